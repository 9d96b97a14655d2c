import { describe, expect, it } from 'vitest';
import { readSse } from '../api/sse';
import { toChatEvent } from '../api/chat';
import type { ChatEvent, ToolEventData, TurnSnapshot } from '../api/types';
import { emptyAssistant, assistantText, type ToolEntry } from './model';
import { finishTurn, fromSnapshot, reduceTurn } from './reducer';
import { fixtureBytes, streamOf } from '../../test/fixtures';

async function fixtureEvents(name: string): Promise<ChatEvent[]> {
  const out: ChatEvent[] = [];
  for await (const e of readSse(streamOf(fixtureBytes(name), 13))) out.push(toChatEvent(e));
  return out;
}

const tool = (data: ToolEventData): ChatEvent => ({ type: 'tool', id: '', data });

describe('stream reducer', () => {
  it('builds the tool-round fixture turn: reasoning, two tools paired by call_id, text, cost', async () => {
    const events = await fixtureEvents('tool-round');
    expect(events.map((e) => e.type)).toContain('unknown');
    const entry = events.reduce(reduceTurn, emptyAssistant('a'));
    expect(entry.status).toBe('complete');
    expect(entry.turnId).toBe('0c9e6b1f2a3d4c5e8f7a6b5c4d3e2f10');
    expect(entry.cost).toBeCloseTo(0.00027);
    expect(entry.hops.map((h) => h.messageId)).toEqual([102, 105]);
    expect(entry.blocks.map((b) => b.kind)).toEqual(['reasoning', 'tool', 'tool', 'text']);
    expect(entry.blocks[0]).toEqual({ kind: 'reasoning', text: 'Two lookups: time and a sum.' });
    const [time, calc] = entry.blocks.slice(1, 3) as ToolEntry[];
    expect(time).toMatchObject({ callId: 'call_a1', name: 'current_time', state: 'finished', arguments: '{}' });
    expect(time?.result).toContain('2025-10-21T16:09:52.311Z');
    expect(calc).toMatchObject({ callId: 'call_b2', state: 'finished', result: '42', arguments: '{"expression":"6*7"}' });
    expect(assistantText(entry)).toBe('It is 12:09 — and 6×7 = **42**.');
  });

  it('pairs parallel tool calls that finish out of order, before any metadata named them', () => {
    let e = emptyAssistant('a');
    e = reduceTurn(e, tool({ status: 'started', name: 'slow', call_id: 'c1', hop: 1 }));
    e = reduceTurn(e, tool({ status: 'started', name: 'fast', call_id: 'c2', hop: 1 }));
    e = reduceTurn(e, tool({ status: 'started', name: 'mid', call_id: 'c3', hop: 1 }));
    const done = (call_id: string, name: string, result: string, status: 'finished' | 'error' = 'finished'): ChatEvent =>
      tool({ status, name, call_id, hop: 1, result, message_id: 1, duration_ms: 5, created_at: '' });
    e = reduceTurn(e, done('c2', 'fast', 'F'));
    e = reduceTurn(e, done('c3', 'mid', 'boom', 'error'));
    const mid = e.blocks as ToolEntry[];
    expect(mid.map((b) => [b.callId, b.state])).toEqual([['c1', 'running'], ['c2', 'finished'], ['c3', 'error']]);
    e = reduceTurn(e, done('c1', 'slow', 'S'));
    expect((e.blocks as ToolEntry[]).map((b) => [b.callId, b.state, b.result])).toEqual([
      ['c1', 'finished', 'S'], ['c2', 'finished', 'F'], ['c3', 'error', 'boom'],
    ]);
  });

  it('shows notices and turn-level tool errors as separate entries and ignores unknown statuses', () => {
    let e = emptyAssistant('a');
    e = reduceTurn(e, tool({ status: 'notice', name: 'system', message: 'Tool limit reached' }));
    e = reduceTurn(e, tool({ status: 'error', name: 'system', message: 'Tools unavailable' }));
    e = reduceTurn(e, { type: 'tool', id: '', data: { status: 'awaiting_approval' } as unknown as ToolEventData });
    expect(e.blocks).toEqual([
      { kind: 'notice', message: 'Tool limit reached', error: false },
      { kind: 'notice', message: 'Tools unavailable', error: true },
    ]);
  });

  it('marks a failed turn with the error and keeps the partial text', () => {
    let e = emptyAssistant('a');
    e = reduceTurn(e, { type: 'chunk', id: '2', data: { choices: [{ index: 0, delta: { content: 'Hal' } }] } });
    e = reduceTurn(e, { type: 'error', id: '3', data: { detail: 'Upstream error', status: 502, retryable: true } });
    e = reduceTurn(e, { type: 'done', id: '4' });
    expect(e.status).toBe('failed');
    expect(e.error).toEqual({ detail: 'Upstream error', status: 502, retryable: true });
    expect(assistantText(e)).toBe('Hal');
  });

  it('takes a cancelled status from metadata and closes running tools', () => {
    let e = emptyAssistant('a');
    e = reduceTurn(e, tool({ status: 'started', name: 'slow', call_id: 'c1', hop: 1 }));
    e = reduceTurn(e, {
      type: 'metadata', id: '5',
      data: { role: 'assistant', turn_id: 't', hop: 1, status: 'cancelled', finish_reason: null, model: 'm', provider: null,
        usage: null, cost: null, turn_cost: 0.5, generation_id: null, reasoning: null, tool_calls: null, message_id: 9, created_at: '' },
    });
    e = reduceTurn(e, { type: 'done', id: '6' });
    expect(e.status).toBe('cancelled');
    expect(e.cost).toBe(0.5);
    expect((e.blocks[0] as ToolEntry).state).toBe('error');
    expect(finishTurn(emptyAssistant('b'), 'cancelled').status).toBe('cancelled');
  });

  it('ignores unknown events and unknown chunk shapes', () => {
    const e = emptyAssistant('a');
    expect(reduceTurn(e, { type: 'unknown', id: '1', name: 'x', data: '' })).toBe(e);
    expect(reduceTurn(e, { type: 'chunk', id: '1', data: { foo: 1 } })).toBe(e);
  });
});

describe('a resumed turn: snapshot, then live events', () => {
  const TURN = '0c9e6b1f2a3d4c5e8f7a6b5c4d3e2f10';
  /** What the service's snapshot holds for the tool-round fixture as of event 15 (docs/api.md §3.6). */
  const at15: TurnSnapshot = {
    session_id: '5f0c2a9d41e84b0c9a7f3c1d2e4b6a80', turn_id: TURN, last_event_id: 15,
    hops: [{ hop: 1, status: 'complete', content: null, reasoning: [{ type: 'reasoning', text: 'Two lookups: time and a sum.' }],
      tool_calls: [
        { id: 'call_a1', type: 'function', function: { name: 'current_time', arguments: '{}' } },
        { id: 'call_b2', type: 'function', function: { name: 'calculator_evaluate', arguments: '{"expression":"6*7"}' } },
      ], message_id: 102 }],
    current: { hop: 2, content: 'It is 12:09 — ', reasoning: '' },
    tools: [
      { call_id: 'call_a1', name: 'current_time', hop: 1, status: 'finished', result: '{"value":"2025-10-21T16:09:52.311Z"}', message_id: 103 },
      { call_id: 'call_b2', name: 'calculator_evaluate', hop: 1, status: 'finished', result: '42', message_id: 104 },
    ],
    usage: { prompt_tokens: 812, completion_tokens: 14, cost: 0.00013 },
    error: null,
  };

  const strip = (blocks: unknown[]) => blocks.map((b) => ({ ...(b as object), durationMs: undefined }));

  it('a snapshot then the live events give the same reply as the uninterrupted stream', async () => {
    const events = await fixtureEvents('tool-round');
    const whole = events.reduce(reduceTurn, emptyAssistant('a'));
    // A reloaded page: an empty entry, whatever it held before is replaced by the snapshot.
    const stale = reduceTurn(emptyAssistant('a'), { type: 'chunk', id: '2', data: { choices: [{ index: 0, delta: { content: 'stale' } }] } });
    let resumed = reduceTurn(stale, { type: 'snapshot', id: '15', data: at15 });
    expect(resumed.status).toBe('streaming');
    expect(resumed.turnId).toBe(TURN);
    expect(resumed.cost).toBe(0.00013);
    expect(assistantText(resumed)).toBe('It is 12:09 — ');
    resumed = events.filter((e) => Number(e.id) > 15).reduce(reduceTurn, resumed);
    expect(resumed.status).toBe('complete');
    expect(strip(resumed.blocks)).toEqual(strip(whole.blocks));
    expect(assistantText(resumed)).toBe('It is 12:09 — and 6×7 = **42**.');
    expect(resumed.hops.map((h) => h.messageId)).toEqual([102, 105]);
    expect(resumed.cost).toBeCloseTo(0.00027);
  });

  it('shows running tools, the reasoning of the hop under way and a failure the snapshot carries', () => {
    const running = fromSnapshot(emptyAssistant('a'), {
      ...at15,
      current: { hop: 2, content: '', reasoning: 'Now the answer.' },
      tools: [{ call_id: 'call_a1', name: 'current_time', hop: 1, status: 'started' }],
    });
    expect(running.blocks.map((b) => (b.kind === 'tool' ? `${b.callId}:${b.state}` : b.kind)))
      .toEqual(['reasoning', 'call_a1:running', 'call_b2:pending', 'reasoning']);
    const failed = fromSnapshot(emptyAssistant('a'), { ...at15, error: { detail: 'Provider disconnected', status: 502 } });
    expect(failed.status).toBe('failed');
    expect(failed.error).toEqual({ detail: 'Provider disconnected', status: 502, retryable: true });
  });

  it('reads the snapshot fixture of the server', async () => {
    const events = await fixtureEvents('../events/snapshot');
    const entry = events.reduce(reduceTurn, emptyAssistant('a'));
    expect(entry.blocks).toEqual([{ kind: 'reasoning', text: 'Check the clock.' }, { kind: 'text', text: 'It is' }]);
    expect(entry.status).toBe('streaming');
  });
});

describe('approvals and elicitations (docs/api.md §3.7)', () => {
  const approvalData = { call_id: 'c1', tool: 'send_gmail_message', server: 'custom-gmail', arguments: { to: 'a@b.c' }, reason: 'r' };
  const approval: ChatEvent = { type: 'approval', id: '4', data: approvalData };
  const elicitation: ChatEvent = {
    type: 'elicitation', id: '6',
    data: { elicitation_id: 'e1', call_id: 'c1', server: 'everything', message: 'Name?',
      requested_schema: { type: 'object', properties: { name: { type: 'string' } } } },
  };

  it('shows the card until the call starts, then the elicitation until the call finishes', () => {
    let e = reduceTurn(emptyAssistant('a'), approval);
    let t = e.blocks[0] as ToolEntry;
    expect(t).toMatchObject({ callId: 'c1', name: 'send_gmail_message', state: 'awaiting_approval', arguments: '{"to":"a@b.c"}' });
    expect(t.approval?.server).toBe('custom-gmail');
    e = reduceTurn(e, tool({ status: 'started', name: 'send_gmail_message', call_id: 'c1', hop: 1 }));
    e = reduceTurn(e, elicitation);
    t = e.blocks[0] as ToolEntry;
    expect(t.approval).toBeUndefined();
    expect(t.state).toBe('running');
    expect(t.elicitations?.map((x) => x.elicitation_id)).toEqual(['e1']);
    e = reduceTurn(e, tool({ status: 'finished', name: 'send_gmail_message', call_id: 'c1', hop: 1, result: 'sent',
      message_id: 3, duration_ms: 1, created_at: '' }));
    t = e.blocks[0] as ToolEntry;
    expect(t.elicitations).toBeUndefined();
    expect(t.state).toBe('finished');
  });

  it('a denied call finishes without a start and its card goes away', () => {
    let e = reduceTurn(emptyAssistant('a'), approval);
    e = reduceTurn(e, tool({ status: 'error', name: 'send_gmail_message', call_id: 'c1', hop: 1,
      result: 'The user declined this tool call.', message_id: 3, duration_ms: 0, created_at: '' }));
    expect(e.blocks[0]).toMatchObject({ state: 'error', result: 'The user declined this tool call.', approval: undefined });
  });

  it('a snapshot with pending cards shows them again', () => {
    const s: TurnSnapshot = {
      session_id: 's', turn_id: 't', last_event_id: 12, hops: [], current: { hop: 1, content: '', reasoning: '' },
      tools: [{ call_id: 'c1', name: 'send_gmail_message', status: 'awaiting_approval' }],
      usage: { prompt_tokens: 0, completion_tokens: 0, cost: null }, error: null,
      pending: [{ event: 'approval', data: approvalData }],
    };
    const t = fromSnapshot(emptyAssistant('a'), s).blocks[0] as ToolEntry;
    expect(t.state).toBe('awaiting_approval');
    expect(t.approval?.call_id).toBe('c1');
  });

  it('a turn that ends while a call waits closes the card', () => {
    const e = finishTurn(reduceTurn(emptyAssistant('a'), approval), 'cancelled');
    expect(e.blocks[0]).toMatchObject({ state: 'error', approval: undefined });
  });
});

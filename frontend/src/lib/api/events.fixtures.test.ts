import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { toChatEvent } from './chat';
import { readSse } from './sse';
import type { ChatEvent } from './types';
import { streamOf } from '../../test/fixtures';

/**
 * The byte fixtures of every server event (src/test/resources/fixtures/events/), written by the Java test from the
 * server's sealed ChatStreamEvent: each must parse into the matching member of the ChatEvent union.
 */
const dir = resolve(process.cwd(), '../src/test/resources/fixtures/events') + '/';

async function parse(name: string): Promise<ChatEvent[]> {
  const out: ChatEvent[] = [];
  const bytes = new Uint8Array(readFileSync(dir + name));
  for await (const e of readSse(streamOf(bytes, 7))) out.push(toChatEvent(e));
  return out;
}

const expected: Record<string, (e: ChatEvent) => void> = {
  'session.sse': (e) => {
    expect(e).toMatchObject({ type: 'session', id: '1' });
    if (e.type !== 'session') return;
    expect(e.data.user_messages).toEqual([
      { message_id: 1, client_message_id: 'user_7b2f' },
      { message_id: 2, client_message_id: null },
    ]);
  },
  'upstream-chunk.sse': (e) => {
    expect(e).toMatchObject({ type: 'chunk', id: '2' });
    if (e.type !== 'chunk') return;
    expect(e.data.choices?.[0]?.delta?.content).toBe('It is');
  },
  'upstream-named.sse': (e) => expect(e).toMatchObject({ type: 'unknown', name: 'openrouter-progress', id: '3' }),
  'tool-started.sse': (e) =>
    expect(e).toMatchObject({ type: 'tool', data: { status: 'started', call_id: 'call_1', hop: 1 } }),
  'tool-finished.sse': (e) =>
    expect(e).toMatchObject({ type: 'tool', data: { status: 'finished', result: '4', message_id: 4 } }),
  'tool-error.sse': (e) =>
    expect(e).toMatchObject({ type: 'tool', data: { status: 'error', result: 'Cancelled before completion.' } }),
  'system-notice.sse': (e) => expect(e).toMatchObject({ type: 'tool', data: { status: 'notice', name: 'system' } }),
  'metadata.sse': (e) => {
    expect(e).toMatchObject({ type: 'metadata', id: '8' });
    if (e.type !== 'metadata') return;
    // reasoning is a list of {type, text} segments, not a string (the drift issue 11 fixed)
    expect(e.data.reasoning).toEqual([{ type: 'reasoning.text', text: 'Check the clock.' }]);
    expect(e.data.tool_calls?.[0]?.function.name).toBe('calculator_evaluate');
    expect(e.data.turn_cost).toBe(0.025);
  },
  'error.sse': (e) => expect(e).toMatchObject({ type: 'error', data: { status: 502, retryable: true } }),
  'done.sse': (e) => expect(e).toEqual({ type: 'done', id: '10' }),
  'snapshot.sse': (e) => {
    expect(e).toMatchObject({ type: 'snapshot', id: '11' });
    if (e.type !== 'snapshot') return;
    expect(e.data.last_event_id).toBe(11);
    expect(e.data.current.content).toBe('It is');
  },
  'approval.sse': (e) => {
    expect(e).toMatchObject({ type: 'approval', id: '12' });
    if (e.type !== 'approval') return;
    expect(e.data).toMatchObject({ call_id: 'call_3', tool: 'send_gmail_message', server: 'custom-gmail' });
    expect(e.data.arguments).toEqual({ to: 'ana@example.com', subject: 'Hi', body: 'See you' });
  },
  'elicitation.sse': (e) => {
    expect(e).toMatchObject({ type: 'elicitation', id: '13' });
    if (e.type !== 'elicitation') return;
    expect(e.data.requested_schema?.required).toEqual(['name']);
    expect(e.data.requested_schema?.properties.count?.maximum).toBe(10);
    expect(e.data.url).toBeUndefined();
  },
  'elicitation-url.sse': (e) => {
    expect(e).toMatchObject({ type: 'elicitation', id: '14' });
    if (e.type !== 'elicitation') return;
    expect(e.data.url).toBe('https://example.com/connect?state=abc');
    expect(e.data.requested_schema).toBeUndefined();
  },
  'snapshot-pending.sse': (e) => {
    expect(e).toMatchObject({ type: 'snapshot', id: '15' });
    if (e.type !== 'snapshot') return;
    expect(e.data.pending?.[0]).toMatchObject({ event: 'approval', data: { call_id: 'call_3' } });
    expect(e.data.tools[0]?.status).toBe('awaiting_approval');
  },
};

describe('server event fixtures', () => {
  it('has an expectation for every fixture the server writes', () => {
    const files = readdirSync(dir).filter((f) => f.endsWith('.sse')).sort();
    expect(files).toEqual(Object.keys(expected).sort());
  });

  for (const [name, check] of Object.entries(expected)) {
    it(`parses ${name} into the typed event`, async () => {
      const events = await parse(name);
      expect(events).toHaveLength(1);
      check(events[0] as ChatEvent);
    });
  }
});

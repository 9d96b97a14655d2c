import { describe, expect, it } from 'vitest';
import type { MessageView } from '../api/types';
import { entriesFromMessages, reasoningText } from './history';
import type { AssistantEntry, ToolEntry, UserEntry } from './model';

const base = { created_at: '2025-10-21T16:09:51.678Z', status: 'complete' as const };

describe('entries from stored messages', () => {
  it('groups a turn with parallel tools, pairing results by tool_call_id, and sums cost per hop', () => {
    const messages: MessageView[] = [
      { ...base, id: 1, role: 'user', position: 1, turn_id: 't1', content: 'hi', client_message_id: 'user_1' },
      { ...base, id: 2, role: 'assistant', position: 2, turn_id: 't1', content: null, cost: 0.1, model: 'm',
        reasoning: [{ type: 'reasoning.text', text: 'think' }, { type: 'reasoning.summary', text: 'again' }],
        tool_calls: [
          { id: 'a', type: 'function', function: { name: 'x', arguments: '{}' } },
          { id: 'b', type: 'function', function: { name: 'y', arguments: '{"q":1}' } },
        ] },
      { ...base, id: 3, role: 'tool', position: 3, turn_id: 't1', content: 'B!', tool_call_id: 'b', is_error: true },
      { ...base, id: 4, role: 'tool', position: 4, turn_id: 't1', content: 'A!', tool_call_id: 'a' },
      { ...base, id: 5, role: 'assistant', position: 5, turn_id: 't1', content: 'done', cost: 0.2, status: 'cancelled' },
      { ...base, id: 6, role: 'user', position: 6, turn_id: 't2', content: [{ type: 'text', text: 'next' }, { type: 'attachment', attachment_id: 'x' }] },
      { ...base, id: 7, role: 'assistant', position: 7, turn_id: 't2', content: 'partial', status: 'failed' },
    ];
    const entries = entriesFromMessages(messages);
    expect(entries.map((e) => e.kind)).toEqual(['user', 'assistant', 'user', 'assistant']);
    const turn = entries[1] as AssistantEntry;
    expect(turn.blocks.map((b) => b.kind)).toEqual(['reasoning', 'tool', 'tool', 'text']);
    expect(turn.blocks[0]).toEqual({ kind: 'reasoning', text: 'think\n\nagain' });
    expect((turn.blocks[1] as ToolEntry)).toMatchObject({ callId: 'a', state: 'finished', result: 'A!' });
    expect((turn.blocks[2] as ToolEntry)).toMatchObject({ callId: 'b', state: 'error', result: 'B!' });
    expect(turn.cost).toBeCloseTo(0.3);
    expect(turn.status).toBe('cancelled');
    expect((entries[2] as UserEntry).text).toBe('next');
    expect((entries[3] as AssistantEntry).status).toBe('failed');
  });

  it('reads reasoning as the server stores it: a list of segments, or null', () => {
    expect(reasoningText(null)).toBe('');
    expect(reasoningText([])).toBe('');
    expect(reasoningText([{ type: 'reasoning', text: 'a' }, { type: 'reasoning.encrypted', text: '' }])).toBe('a');
    const entries = entriesFromMessages([
      { ...base, id: 1, role: 'user', position: 1, turn_id: 't', content: 'q' },
      { ...base, id: 2, role: 'assistant', position: 2, turn_id: 't', content: 'a', reasoning: null },
    ]);
    expect((entries[1] as AssistantEntry).blocks.map((b) => b.kind)).toEqual(['text']);
  });

  it('keeps a user message whose turn produced nothing', () => {
    const entries = entriesFromMessages([{ ...base, id: 1, role: 'user', position: 1, turn_id: 't', content: 'lonely' }]);
    expect(entries).toHaveLength(1);
  });
});

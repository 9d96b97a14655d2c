import { afterEach, describe, expect, it, vi } from 'vitest';
import { Conversation } from './conversation.svelte';
import type { AssistantEntry } from './model';

afterEach(() => vi.unstubAllGlobals());

const sse = (events: [string, unknown][]) =>
  events.map(([name, data], i) => `id: ${i + 1}\nevent: ${name}\ndata: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`).join('');

describe('conversation', () => {
  it('sends a turn, remembers the session and builds the reply', async () => {
    const bodies: unknown[] = [];
    vi.stubGlobal('fetch', vi.fn(async (_url: string, init?: RequestInit) => {
      bodies.push(JSON.parse(String(init?.body)));
      const clientId = (bodies[0] as { messages: { client_message_id: string }[] }).messages[0]!.client_message_id;
      return new Response(sse([
        ['session', { session_id: 's1', turn_id: 't1', new_session: true, user_messages: [{ message_id: 7, client_message_id: clientId }] }],
        ['message', { choices: [{ index: 0, delta: { content: 'Hi!' } }] }],
        ['metadata', { role: 'assistant', turn_id: 't1', hop: 1, status: 'complete', turn_cost: 0.1, message_id: 8, model: 'm' }],
        ['message', '[DONE]'],
      ]));
    }));
    const changes: string[] = [];
    const c = new Conversation((id) => changes.push(id));
    await c.send({ text: 'hello', model: 'm' });
    expect(c.sessionId).toBe('s1');
    expect(changes).toContain('s1');
    expect(c.entries.map((e) => e.kind)).toEqual(['user', 'assistant']);
    expect(c.entries[0]).toMatchObject({ text: 'hello', messageId: 7 });
    expect(c.entries[1]).toMatchObject({ status: 'complete', cost: 0.1 });
    expect(c.streaming).toBe(false);
    await c.send({ text: 'again' });
    expect((bodies[1] as { session_id: string }).session_id).toBe('s1');
  });

  it('offers Stop on 409 and marks the reply failed', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => new Response('{"detail":"A turn is already running"}', { status: 409 })));
    const c = new Conversation();
    await c.send({ text: 'x' });
    expect(c.banner).toMatchObject({ status: 409, busy: true, retryable: false });
    expect((c.entries[1] as AssistantEntry).status).toBe('failed');
  });

  it('Stop calls the cancel route, then aborts the stream; the reply ends cancelled', async () => {
    const calls: string[] = [];
    vi.stubGlobal('fetch', vi.fn(async (url: string, init?: RequestInit) => {
      calls.push(`${init?.method} ${url}`);
      if (url.endsWith('/cancel')) return new Response('{"session_id":"s1","turn_id":"t1","cancelled":true}');
      const body = new ReadableStream<Uint8Array>({
        start(ctrl) {
          ctrl.enqueue(new TextEncoder().encode(sse([['session', { session_id: 's1', turn_id: 't1', new_session: true, user_messages: [] }],
            ['message', { choices: [{ index: 0, delta: { content: 'partial' } }] }]])));
          init?.signal?.addEventListener('abort', () => ctrl.error(new DOMException('aborted', 'AbortError')));
        },
      });
      return new Response(body);
    }));
    const c = new Conversation();
    const sending = c.send({ text: 'slow' });
    await vi.waitFor(() => expect(c.sessionId).toBe('s1'));
    await c.stop();
    await sending;
    expect(calls[1]).toBe('POST /api/chat/session/s1/cancel');
    expect((c.entries[1] as AssistantEntry).status).toBe('cancelled');
    expect(c.streaming).toBe(false);
  });
});

describe('long conversations', () => {
  it('loads the last 200 messages and widens the window on request', async () => {
    const urls: string[] = [];
    vi.stubGlobal('fetch', vi.fn(async (url: string) => {
      urls.push(url);
      const more = url.endsWith('limit=200');
      return new Response(JSON.stringify({ session: { id: 's', title: 't', active_turn_id: null }, has_more: more,
        messages: [{ id: 1, role: 'user', position: 1, turn_id: 't', status: 'complete', created_at: '', content: 'hi' }] }));
    }));
    const c = new Conversation();
    await c.load('s');
    expect(c.hasEarlier).toBe(true);
    await c.loadEarlier();
    expect(urls).toEqual(['/api/chat/session/s?limit=200', '/api/chat/session/s?limit=400']);
    expect(c.hasEarlier).toBe(false);
  });

  it('a failed load keeps the session id for Retry, which loads the same session again', async () => {
    let calls = 0;
    vi.stubGlobal('fetch', vi.fn(async (url: string) => {
      calls++;
      expect(String(url)).toContain('/api/chat/session/s9');
      if (calls === 1) return new Response('{"detail":"Service Unavailable"}', { status: 503 });
      return new Response(JSON.stringify({
        session: { id: 's9', title: 'Kept', created_at: '', updated_at: '', message_count: 1, last_model: null, total_cost: null, active_turn_id: null },
        messages: [{ id: 1, role: 'user', position: 1, turn_id: 't', status: 'complete', created_at: '2026-01-01T00:00:00Z', content: 'hi' }],
        has_more: false,
      }));
    }));
    const c = new Conversation();
    await expect(c.load('s9')).rejects.toThrow();
    expect(c.loadError).toMatchObject({ id: 's9', status: 503 });
    expect(c.banner).toBeNull();
    await c.retryLoad();
    expect(calls).toBe(2);
    expect(c.loadError).toBeNull();
    expect(c.sessionId).toBe('s9');
    expect(c.title).toBe('Kept');
    expect(c.entries).toHaveLength(1);
  });

  it('stamps a sent user message with the time it was sent', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => new Response('{"detail":"nope"}', { status: 422 })));
    const c = new Conversation();
    const before = Date.now();
    await c.send({ text: 'x' });
    const user = c.entries[0]!;
    expect(user.kind).toBe('user');
    expect(Date.parse(user.createdAt ?? '')).toBeGreaterThanOrEqual(before - 1000);
  });
});

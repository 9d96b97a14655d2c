import { afterEach, describe, expect, it, vi } from 'vitest';
import { Conversation } from './conversation.svelte';
import type { AssistantEntry } from './model';
import { assistantText } from './model';

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

describe('a running turn (issue 12)', () => {
  const T = 'b'.repeat(32);
  const summary = (active: string | null) =>
    ({ id: 's1', title: 't', created_at: '', updated_at: '', message_count: 2, last_model: null, total_cost: null, active_turn_id: active });
  const msg = (id: number, role: string, extra: object) =>
    ({ id, role, position: id, turn_id: T, status: 'complete', created_at: '2026-01-01T00:00:00Z', ...extra });
  /** Stored while the turn runs: the user message, the finished first hop (a tool call) and its tool result. */
  const storedSoFar = [
    msg(1, 'user', { content: 'use a tool' }),
    msg(2, 'assistant', { content: 'Let me check. ', tool_calls: [{ id: 'c1', type: 'function', function: { name: 'clock', arguments: '{}' } }] }),
    msg(3, 'tool', { content: '12:00', tool_call_id: 'c1', tool_name: 'clock' }),
  ];
  const chunk = (content: string) => ({ choices: [{ index: 0, delta: { content } }] });
  const meta = (hop: number, status: string, message_id: number) =>
    ({ role: 'assistant', turn_id: T, hop, status, turn_cost: 0.2, message_id, model: 'm' });
  /** The turn's events 1..n as the service numbers them. */
  const TURN: [string, unknown][] = [
    ['session', { session_id: 's1', turn_id: T, new_session: false, user_messages: [{ message_id: 1, client_message_id: null }] }],
    ['message', chunk('Let me check. ')],
    ['metadata', { ...meta(1, 'complete', 2), tool_calls: [{ id: 'c1', type: 'function', function: { name: 'clock', arguments: '{}' } }] }],
    ['tool', { status: 'started', name: 'clock', call_id: 'c1', hop: 1 }],
    ['tool', { status: 'finished', name: 'clock', call_id: 'c1', hop: 1, result: '12:00', message_id: 3, duration_ms: 1, created_at: '' }],
    ['message', chunk('It is ')],
    ['message', chunk('noon.')],
    ['metadata', meta(2, 'complete', 4)],
    ['message', '[DONE]'],
  ];
  const frames = (from: number, to = TURN.length) => TURN.slice(from, to)
    .map(([name, data], i) => `id: ${from + i + 1}\nevent: ${name}\ndata: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`).join('');
  const detail = (running: boolean, messages: unknown[] = storedSoFar) => new Response(JSON.stringify({
    session: summary(running ? T : null), messages, has_more: false,
    running_turn: running ? { turn_id: T, last_event_id: 5, status: 'running' } : null,
  }));
  /** A body that sends `text`, then fails like iOS Safari does when the connection drops. */
  const breaking = (text: string) => new Response(new ReadableStream<Uint8Array>({
    start(c) {
      c.enqueue(new TextEncoder().encode(text));
      setTimeout(() => c.error(new TypeError('Load failed')), 5);
    },
  }));

  it('a reload attaches from the first event and rebuilds the reply: no stored hop shown twice, no gap', async () => {
    const calls: { url: string; last?: string }[] = [];
    vi.stubGlobal('fetch', vi.fn(async (url: string, init?: RequestInit) => {
      calls.push({ url, last: (init?.headers as Record<string, string>)?.['Last-Event-ID'] });
      if (url.includes('/turns/')) return new Response(frames(0));
      return detail(true);
    }));
    const c = new Conversation();
    await c.load('s1');
    expect(c.streaming).toBe(true);
    await vi.waitFor(() => expect(c.streaming).toBe(false));
    expect(c.entries.map((e) => e.kind)).toEqual(['user', 'assistant']);
    const reply = c.entries[1] as AssistantEntry;
    expect(reply).toMatchObject({ key: `t${T}`, turnId: T, status: 'complete', cost: 0.2 });
    expect(assistantText(reply)).toBe('Let me check. It is noon.');
    expect(reply.blocks.filter((b) => b.kind === 'tool')).toHaveLength(1);
    expect(calls.map((x) => x.url)).toEqual(['/api/chat/session/s1?limit=200', `/api/chat/turns/${T}/events`]);
    expect(calls[1]?.last).toBeUndefined();
  });

  it('a connection that breaks with a generic TypeError is resumed with the last id, not marked failed', async () => {
    const asked: (string | undefined)[] = [];
    vi.stubGlobal('fetch', vi.fn(async (url: string, init?: RequestInit) => {
      if (!url.includes('/turns/')) return detail(true);
      const last = (init?.headers as Record<string, string>)?.['Last-Event-ID'];
      asked.push(last);
      return last === undefined ? breaking(frames(0, 6)) : new Response(frames(Number(last)));
    }));
    const c = new Conversation();
    await c.load('s1');
    await vi.waitFor(() => expect(c.link).toBe('reconnecting'));
    expect((c.entries[1] as AssistantEntry).status).toBe('streaming');
    await vi.waitFor(() => expect(c.streaming).toBe(false), { timeout: 3000 });
    expect(asked).toEqual([undefined, '6']);
    expect(assistantText(c.entries[1] as AssistantEntry)).toBe('Let me check. It is noon.');
    expect((c.entries[1] as AssistantEntry).status).toBe('complete');
    expect(c.banner).toBeNull();
    expect(c.link).toBe('live');
  });

  it('a turn whose events are gone (410) shows the stored history instead', async () => {
    let reads = 0;
    vi.stubGlobal('fetch', vi.fn(async (url: string) => {
      if (url.includes('/turns/')) return new Response('{"detail":"The turn\'s events are no longer kept"}', { status: 410 });
      reads++;
      return reads === 1 ? detail(true) : detail(false, [...storedSoFar, msg(4, 'assistant', { content: 'It is noon.' })]);
    }));
    const c = new Conversation();
    await c.load('s1');
    await vi.waitFor(() => expect(reads).toBe(2));
    await vi.waitFor(() => expect(c.loading).toBe(false));
    expect(c.streaming).toBe(false);
    expect(assistantText(c.entries[1] as AssistantEntry)).toBe('Let me check. It is noon.');
    expect(c.banner).toBeNull();
  });

  it('Stop on an attached turn calls the cancel route and ends with the service’s own cancelled events', async () => {
    const calls: string[] = [];
    let push: ((s: string) => void) | undefined;
    vi.stubGlobal('fetch', vi.fn(async (url: string, init?: RequestInit) => {
      calls.push(`${init?.method ?? 'GET'} ${url}`);
      if (url.endsWith('/cancel')) {
        push?.(`id: 7\nevent: metadata\ndata: ${JSON.stringify(meta(2, 'cancelled', 4))}\n\nid: 8\nevent: message\ndata: [DONE]\n\n`);
        return new Response(JSON.stringify({ session_id: 's1', turn_id: T, cancelled: true }));
      }
      if (!url.includes('/turns/')) return detail(true);
      return new Response(new ReadableStream<Uint8Array>({
        start(c) {
          c.enqueue(new TextEncoder().encode(frames(0, 6)));
          push = (s) => {
            c.enqueue(new TextEncoder().encode(s));
            c.close();
          };
        },
      }));
    }));
    const c = new Conversation();
    await c.load('s1');
    await vi.waitFor(() => expect(assistantText(c.entries[1] as AssistantEntry)).toContain('It is'));
    const started = Date.now();
    await c.stop();
    expect(Date.now() - started).toBeLessThan(1000);
    expect(calls).toContain('POST /api/chat/session/s1/cancel');
    expect((c.entries[1] as AssistantEntry).status).toBe('cancelled');
    expect((c.entries[1] as AssistantEntry).hops.map((h) => h.messageId)).toEqual([2, 4]);
    expect(c.streaming).toBe(false);
  });

  it('wake() on a page showing the session picks up a turn another tab started; it does nothing when none runs', async () => {
    let running = false;
    const urls: string[] = [];
    vi.stubGlobal('fetch', vi.fn(async (url: string) => {
      urls.push(url);
      if (url.includes('/turns/')) return new Response(frames(0));
      return running ? detail(true) : detail(false, storedSoFar.slice(0, 0));
    }));
    const c = new Conversation();
    await c.load('s1');
    expect(c.entries).toEqual([]);
    c.wake();
    await vi.waitFor(() => expect(urls).toHaveLength(2));
    expect(urls[1]).toBe('/api/chat/session/s1?limit=1');
    expect(c.streaming).toBe(false);
    running = true;
    c.wake();
    await vi.waitFor(() => expect(urls.some((u) => u.includes('/turns/'))).toBe(true));
    await vi.waitFor(() => expect(c.streaming).toBe(false));
    expect(assistantText(c.entries[1] as AssistantEntry)).toBe('Let me check. It is noon.');
  });

  it('opening another session while following a turn drops the old stream without touching the new entries', async () => {
    vi.stubGlobal('fetch', vi.fn(async (url: string, init?: RequestInit) => {
      if (url.includes('/turns/')) {
        return new Response(new ReadableStream<Uint8Array>({
          start(c) {
            c.enqueue(new TextEncoder().encode(frames(0, 3)));
            init?.signal?.addEventListener('abort', () => c.error(new DOMException('aborted', 'AbortError')));
          },
        }));
      }
      if (url.includes('/session/s2')) {
        return new Response(JSON.stringify({ session: { ...summary(null), id: 's2' }, has_more: false, running_turn: null,
          messages: [{ ...msg(1, 'user', { content: 'other' }), turn_id: 'x' }] }));
      }
      return detail(true);
    }));
    const c = new Conversation();
    await c.load('s1');
    await vi.waitFor(() => expect(assistantText(c.entries[1] as AssistantEntry)).toBe('Let me check. '));
    await c.load('s2');
    await new Promise((r) => setTimeout(r, 20));
    expect(c.sessionId).toBe('s2');
    expect(c.entries.map((e) => e.kind)).toEqual(['user']);
    expect(c.streaming).toBe(false);
    expect(c.banner).toBeNull();
  });
});

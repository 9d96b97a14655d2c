import { afterEach, describe, expect, it, vi } from 'vitest';
import { attachTurn } from './chat';
import { ApiError } from './client';
import { backoffDelay, followTurn, isNetworkError, LastEventId, StreamBroken, TurnGone, Waker, type LinkState } from './resume';
import type { ChatEvent } from './types';

afterEach(() => vi.unstubAllGlobals());

const text = (id: number, content: string): ChatEvent =>
  ({ type: 'chunk', id: String(id), data: { choices: [{ index: 0, delta: { content } }] } });
const session = (id = 1): ChatEvent =>
  ({ type: 'session', id: String(id), data: { session_id: 's1', turn_id: 'turn1', new_session: false, user_messages: [] } });
const done = (id: number): ChatEvent => ({ type: 'done', id: String(id) });

/** The whole turn as the service numbers it: session, 8 chunks, [DONE]. */
const TURN: ChatEvent[] = [session(), ...Array.from({ length: 8 }, (_, i) => text(i + 2, `w${i + 1} `)), done(10)];

/** A source that yields `events` and then fails with `error` (or ends quietly without it). */
function source(events: ChatEvent[], error?: unknown): AsyncIterable<ChatEvent> {
  return (async function* () {
    for (const e of events) yield e;
    if (error) throw error;
  })();
}

const quick = { baseDelayMs: 1, maxDelayMs: 4, idleMs: 60_000 };

async function collect(it: AsyncIterable<ChatEvent>): Promise<ChatEvent[]> {
  const out: ChatEvent[] = [];
  for await (const e of it) out.push(e);
  return out;
}

describe('last event id', () => {
  it('keeps the highest id and recognises replayed events as duplicates', () => {
    const t = new LastEventId();
    expect(t.accept(text(1, 'a'))).toBe(true);
    expect(t.accept(text(2, 'b'))).toBe(true);
    expect(t.accept(text(2, 'b'))).toBe(false);
    expect(t.accept(text(1, 'a'))).toBe(false);
    expect(t.value).toBe(2);
    expect(t.accept({ type: 'unknown', id: '', name: 'x', data: '' }), 'an event without id passes').toBe(true);
    expect(t.value).toBe(2);
    expect(t.accept(done(3))).toBe(true);
    expect(t.value).toBe(3);
  });
});

describe('error classification', () => {
  it('counts every browser wording of a failed fetch or read as a network error', () => {
    expect(isNetworkError(new TypeError('Load failed'))).toBe(true); // iOS Safari
    expect(isNetworkError(new TypeError('Failed to fetch'))).toBe(true); // Chromium
    expect(isNetworkError(new TypeError('network error'))).toBe(true); // Chromium, body read
    expect(isNetworkError(new TypeError('NetworkError when attempting to fetch resource.'))).toBe(true); // Firefox
    expect(isNetworkError(new TypeError(''))).toBe(true);
    expect(isNetworkError(new DOMException('x', 'NetworkError'))).toBe(true);
    expect(isNetworkError(new Error('net::ERR_INTERNET_DISCONNECTED'))).toBe(true);
    expect(isNetworkError(new StreamBroken())).toBe(true);
    expect(isNetworkError(new ApiError(502, 'Bad Gateway'))).toBe(true);
    expect(isNetworkError(new ApiError(504, 'Gateway Timeout'))).toBe(true);
  });

  it('does not count the service’s answers, aborts or other failures', () => {
    expect(isNetworkError(new ApiError(409, 'A turn is already in progress'))).toBe(false);
    expect(isNetworkError(new ApiError(401, 'Unauthorized'))).toBe(false);
    expect(isNetworkError(new ApiError(410, 'gone'))).toBe(false);
    expect(isNetworkError(new DOMException('aborted', 'AbortError'))).toBe(false);
    expect(isNetworkError(new SyntaxError('Unexpected token'))).toBe(false);
    expect(isNetworkError('oops')).toBe(false);
    expect(isNetworkError(undefined)).toBe(false);
  });

  it('backs off by doubling, capped', () => {
    expect([1, 2, 3, 4, 5, 6].map((a) => backoffDelay(a, 500, 8000))).toEqual([500, 1000, 2000, 4000, 8000, 8000]);
  });
});

describe('followTurn', () => {
  it('resumes a POST stream that broke with Safari’s "Load failed" from the last id: no gap, no duplicate', async () => {
    const asked: number[] = [];
    const links: LinkState[] = [];
    const events = await collect(followTurn({
      ...quick,
      signal: new AbortController().signal,
      open: () => source(TURN.slice(0, 4), new TypeError('Load failed')),
      // The service replays everything after the id it is given; this one also repeats the last event once.
      attach: (turnId, last) => {
        asked.push(last);
        expect(turnId).toBe('turn1');
        return source(TURN.slice(last - 1));
      },
      onLink: (l) => links.push(l),
    }));
    expect(asked).toEqual([4]);
    expect(events.map((e) => e.id)).toEqual(['1', '2', '3', '4', '5', '6', '7', '8', '9', '10']);
    expect(links[0]).toBe('reconnecting');
  });

  it('resumes a stream that ended without [DONE], several times, and ends only on [DONE]', async () => {
    const asked: number[] = [];
    const events = await collect(followTurn({
      ...quick,
      signal: new AbortController().signal,
      turnId: 'turn1',
      // Each attachment gives two more events, then the connection closes without an error.
      attach: (_t, last) => {
        asked.push(last);
        return source(TURN.filter((e) => Number(e.id) > last).slice(0, 2));
      },
    }));
    expect(events.map((e) => e.id).join(',')).toBe('1,2,3,4,5,6,7,8,9,10');
    expect(asked).toEqual([0, 2, 4, 6, 8]);
  });

  it('starts from the snapshot when the asked events were dropped, then continues live', async () => {
    const snapshot: ChatEvent = { type: 'snapshot', id: '6', data: { session_id: 's1', turn_id: 'turn1', last_event_id: 6, hops: [],
      current: { hop: 1, content: 'w1 w2 w3 w4 w5 ', reasoning: '' }, tools: [], usage: { prompt_tokens: 0, completion_tokens: 0, cost: null }, error: null } };
    const events = await collect(followTurn({
      ...quick,
      signal: new AbortController().signal,
      turnId: 'turn1',
      lastEventId: 2,
      attach: () => source([snapshot, ...TURN.slice(6)]),
    }));
    expect(events.map((e) => `${e.type}${e.id}`)).toEqual(['snapshot6', 'chunk7', 'chunk8', 'chunk9', 'done10']);
  });

  it('stops after the bounded attempts, waits for a wake, then resumes', async () => {
    const waker = new Waker();
    let calls = 0;
    const links: LinkState[] = [];
    const it = followTurn({
      ...quick,
      maxAttempts: 3,
      waker,
      signal: new AbortController().signal,
      open: () => source(TURN.slice(0, 2), new TypeError('network error')),
      attach: (_t, last) => {
        calls++;
        if (calls <= 3) return source([], new TypeError('Failed to fetch'));
        return source(TURN.slice(last));
      },
      onLink: (l) => links.push(l),
    });
    const collecting = collect(it);
    await vi.waitFor(() => expect(links).toContain('interrupted'));
    expect(calls).toBe(3);
    waker.wake();
    const events = await collecting;
    expect(events.map((e) => e.id).join(',')).toBe('1,2,3,4,5,6,7,8,9,10');
    expect(links).toEqual(['reconnecting', 'reconnecting', 'reconnecting', 'interrupted']);
  });

  it('spends no attempt while offline and resumes on the online wake', async () => {
    const waker = new Waker();
    let isOnline = false;
    const links: LinkState[] = [];
    const collecting = collect(followTurn({
      ...quick,
      maxDelayMs: 60_000,
      waker,
      online: () => isOnline,
      signal: new AbortController().signal,
      open: () => source(TURN.slice(0, 5), new TypeError('network error')),
      attach: (_t, last) => source(TURN.slice(last)),
      onLink: (l) => links.push(l),
    }));
    await vi.waitFor(() => expect(links).toEqual(['offline']));
    isOnline = true;
    waker.wake();
    expect((await collecting).length).toBe(10);
  });

  it('drops a connection that went silent and attaches again (a frozen background tab, a dead Wi-Fi)', async () => {
    let calls = 0;
    const events = await collect(followTurn({
      ...quick,
      idleMs: 30,
      signal: new AbortController().signal,
      turnId: 'turn1',
      attach: (_t, last, signal) => {
        calls++;
        if (calls === 1) {
          // Two events, then nothing at all (no probe comments either) until aborted.
          return (async function* () {
            yield* TURN.slice(0, 2);
            await new Promise((r) => signal.addEventListener('abort', r));
          })();
        }
        return source(TURN.slice(last));
      },
    }));
    expect(calls).toBe(2);
    expect(events).toHaveLength(10);
  });

  it('on wake, reattaches a connection that has been quiet for longer than staleMs', async () => {
    const waker = new Waker();
    let calls = 0;
    let firstOpen = false;
    const collecting = collect(followTurn({
      ...quick,
      staleMs: 0,
      waker,
      signal: new AbortController().signal,
      turnId: 'turn1',
      attach: (_t, last, signal) => {
        calls++;
        if (calls === 1) {
          firstOpen = true;
          return (async function* () {
            yield* TURN.slice(0, 3);
            await new Promise((r) => signal.addEventListener('abort', r));
          })();
        }
        return source(TURN.slice(last));
      },
    }));
    await vi.waitFor(() => expect(firstOpen).toBe(true));
    await new Promise((r) => setTimeout(r, 5));
    waker.wake();
    expect((await collecting).map((e) => e.id).join(',')).toBe('1,2,3,4,5,6,7,8,9,10');
    expect(calls).toBe(2);
  });

  it('a turn whose events are gone (410) throws TurnGone; an error of the service is thrown as it is', async () => {
    await expect(collect(followTurn({
      ...quick, signal: new AbortController().signal, turnId: 'turn1',
      attach: () => source([], new ApiError(410, 'The turn’s events are no longer kept')),
    }))).rejects.toBeInstanceOf(TurnGone);
    await expect(collect(followTurn({
      ...quick, signal: new AbortController().signal,
      open: () => source([], new ApiError(409, 'A turn is already in progress for this session')),
    }))).rejects.toMatchObject({ status: 409 });
  });

  it('a POST that broke before its session event finds the turn through the session', async () => {
    const events = await collect(followTurn({
      ...quick,
      signal: new AbortController().signal,
      open: () => source([], new TypeError('Failed to fetch')),
      discover: async () => 'turn1',
      attach: (turnId, last) => {
        expect([turnId, last]).toEqual(['turn1', 0]);
        return source(TURN);
      },
    }));
    expect(events).toHaveLength(10);
  });

  it('an abort ends the loop quietly, also while it waits to reconnect', async () => {
    const abort = new AbortController();
    const links: LinkState[] = [];
    const collecting = collect(followTurn({
      ...quick, maxAttempts: 0, signal: abort.signal, turnId: 'turn1',
      attach: () => source([], new TypeError('Load failed')),
      onLink: (l) => links.push(l),
    }));
    await vi.waitFor(() => expect(links).toEqual(['interrupted']));
    abort.abort();
    expect(await collecting).toEqual([]);
  });
});

describe('attachTurn', () => {
  it('GETs the events route with the bearer token and Last-Event-ID, and parses the stream', async () => {
    localStorage.setItem('orchat.token', 'tok');
    const seen: { url: string; headers: Record<string, string> }[] = [];
    vi.stubGlobal('fetch', vi.fn(async (url: string, init?: RequestInit) => {
      seen.push({ url, headers: init?.headers as Record<string, string> });
      return new Response('id: 5\nevent: message\ndata: {"choices":[]}\n\n:\n\nid: 6\nevent: message\ndata: [DONE]\n\n');
    }));
    let bytes = 0;
    const events = await collect(attachTurn('abc', 4, undefined, { onBytes: () => bytes++ }));
    expect(seen[0]?.url).toBe('/api/chat/turns/abc/events');
    expect(seen[0]?.headers).toMatchObject({ Authorization: 'Bearer tok', 'Last-Event-ID': '4' });
    expect(events.map((e) => [e.type, e.id])).toEqual([['chunk', '5'], ['done', '6']]);
    expect(bytes).toBeGreaterThan(0);
    await collect(attachTurn('abc', 0));
    expect(seen[1]?.headers['Last-Event-ID'], 'from the start: no header').toBeUndefined();
    localStorage.removeItem('orchat.token');
  });

  it('a 410 is thrown as ApiError with the detail', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => new Response('{"detail":"The turn\'s events are no longer kept; read the session\'s history"}', { status: 410 })));
    await expect(collect(attachTurn('abc', 0))).rejects.toMatchObject({ status: 410 });
  });
});

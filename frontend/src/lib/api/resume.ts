/**
 * Runs that survive the browser (docs/api.md §3.6): follow one turn's events across broken connections. Every event
 * of a turn has an id 1..n; the id of the last event read is kept, and when the connection breaks (a network error,
 * a stream that ends without `[DONE]`, or a connection silent for longer than the service's probes allow) the loop
 * attaches again with that id. A turn is finished only by `[DONE]`; the loop never decides it from silence.
 */
import { attachTurn } from './chat';
import { ApiError } from './client';
import type { ChatEvent } from './types';

/** The id of the last event the UI has read from a turn's stream; later duplicates are recognised and skipped. */
export class LastEventId {
  constructor(public value = 0) {}

  /** True when `event` is new (its id is above the last one, or it carries none); then remembers its id. */
  accept(event: ChatEvent): boolean {
    const id = Number(event.id);
    if (event.id === '' || !Number.isInteger(id) || id <= 0) return true;
    if (id <= this.value) return false;
    this.value = id;
    return true;
  }
}

/** A stream that ended without `[DONE]`, or went silent (a dead connection): resumable. */
export class StreamBroken extends Error {
  constructor(message = 'The stream ended before the turn did') {
    super(message);
    this.name = 'StreamBroken';
  }
}

/** The turn's events can no longer be read (404 or 410): the caller reads the session's history instead. */
export class TurnGone extends Error {
  constructor(readonly status: number, detail: string) {
    super(detail);
    this.name = 'TurnGone';
  }
}

/**
 * Whether a failure is the network's rather than the service's answer. `fetch` and body reads reject with a
 * generic TypeError for every network failure, worded per browser ("Failed to fetch", "network error", Safari's
 * "Load failed", Firefox's "NetworkError when attempting to fetch resource."), so any TypeError counts; so do
 * 502/503/504 from a proxy in front of the service. An abort is not a network error.
 */
export function isNetworkError(err: unknown): boolean {
  if (err instanceof StreamBroken) return true;
  if (err instanceof ApiError) return err.status === 502 || err.status === 503 || err.status === 504;
  if (err instanceof TypeError) return true;
  // DOMExceptions are not always instances of Error (jsdom, older WebKit): read the fields.
  if (typeof err !== 'object' || err === null) return false;
  const { name, message } = err as { name?: unknown; message?: unknown };
  if (name === 'AbortError') return false;
  if (name === 'NetworkError') return true;
  return typeof message === 'string'
    && /network|load failed|failed to fetch|connection (was )?(reset|closed|lost|refused)|ERR_/i.test(message);
}

/** Delay before resume attempt `attempt` (1-based): doubling from `baseMs`, at most `maxMs`. */
export function backoffDelay(attempt: number, baseMs = 500, maxMs = 8000): number {
  return Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
}

/** Wakes a waiting resume loop at once: the page became visible, the browser came online, or the user asked. */
export class Waker {
  private listeners = new Set<() => void>();

  wake(): void {
    for (const l of [...this.listeners]) l();
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Resolves after `ms` (never when Infinity), on wake(), or when `signal` aborts. */
  sleep(ms: number, signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const done = () => {
        if (timer !== undefined) clearTimeout(timer);
        off();
        signal.removeEventListener('abort', done);
        resolve();
      };
      const off = this.subscribe(done);
      signal.addEventListener('abort', done, { once: true });
      if (Number.isFinite(ms)) timer = setTimeout(done, ms);
      if (signal.aborted) done();
    });
  }
}

/** How the page's link to the turn is doing, for the view. */
export type LinkState = 'live' | 'reconnecting' | 'offline' | 'interrupted';

type Open = (signal: AbortSignal, onBytes: () => void) => AsyncIterable<ChatEvent>;

export interface FollowOptions {
  signal: AbortSignal;
  /** The POST stream of a turn this page started; without it the loop attaches to `turnId` from `lastEventId`. */
  open?: Open;
  turnId?: string;
  lastEventId?: number;
  attach?: (turnId: string, lastEventId: number, signal: AbortSignal, onBytes: () => void) => AsyncIterable<ChatEvent>;
  /** Finds the running turn when the POST broke before its `session` event named it. */
  discover?: () => Promise<string | null>;
  waker?: Waker;
  online?: () => boolean;
  onLink?: (state: LinkState, attempt: number) => void;
  /** Automatic attempts in a row; then the loop waits for a wake (visible page, online, the user). */
  maxAttempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** No byte at all for this long means a dead connection (the service writes a probe every ≤ 375 ms). */
  idleMs?: number;
  /** On wake, a connection silent for this long is dropped and attached again. */
  staleMs?: number;
  /** Shared with the caller: the id of the last event yielded. */
  tracker?: LastEventId;
}

/**
 * Yields a turn's events once each, in order, until `[DONE]`, resuming after network failures. Throws TurnGone
 * when the events are no longer kept, and other failures (e.g. a 409 or 401 of the POST) as they are. Aborting
 * `signal` ends it quietly.
 */
export async function* followTurn(o: FollowOptions): AsyncGenerator<ChatEvent, void, undefined> {
  const attach = o.attach ?? ((id, last, signal, onBytes) => attachTurn(id, last, signal, { onBytes }));
  const waker = o.waker ?? new Waker();
  const online = o.online ?? (() => typeof navigator === 'undefined' || navigator.onLine !== false);
  const maxAttempts = o.maxAttempts ?? 6;
  const maxDelayMs = o.maxDelayMs ?? 8000;
  const idleMs = o.idleMs ?? 15_000;
  const staleMs = o.staleMs ?? 2_000;
  const tracker = o.tracker ?? new LastEventId();
  if (o.lastEventId !== undefined) tracker.value = o.lastEventId;
  let turnId = o.turnId;
  let attempt = 0;
  let first = true;
  let reconnecting = false;
  for (;;) {
    if (o.signal.aborted) return;
    const conn = new AbortController();
    const stop = () => conn.abort();
    o.signal.addEventListener('abort', stop, { once: true });
    let lastBytes = Date.now();
    const onBytes = () => {
      lastBytes = Date.now();
      if (reconnecting) {
        reconnecting = false;
        o.onLink?.('live', 0);
      }
    };
    const watchdog = setInterval(() => {
      if (Date.now() - lastBytes > idleMs) conn.abort();
    }, Math.min(1000, idleMs / 2));
    const offWake = waker.subscribe(() => {
      if (Date.now() - lastBytes > staleMs) conn.abort();
    });
    let failure: unknown;
    try {
      const source: AsyncIterable<ChatEvent> = first && o.open
        ? o.open(conn.signal, onBytes)
        : attach(turnId as string, tracker.value, conn.signal, onBytes);
      first = false;
      for await (const event of source) {
        if (event.type === 'session' || event.type === 'snapshot') turnId = event.data.turn_id;
        if (!tracker.accept(event)) continue;
        attempt = 0;
        yield event;
        if (event.type === 'done') return;
      }
      failure = new StreamBroken();
    } catch (err) {
      failure = err;
    } finally {
      first = false;
      clearInterval(watchdog);
      offWake();
      o.signal.removeEventListener('abort', stop);
    }
    if (o.signal.aborted) return;
    if (failure instanceof ApiError && (failure.status === 404 || failure.status === 410) && turnId) {
      throw new TurnGone(failure.status, failure.detail);
    }
    if (!isNetworkError(failure)) throw failure;
    if (!turnId && o.discover) turnId = (await o.discover().catch(() => null)) ?? undefined;
    if (!turnId) throw failure;
    reconnecting = true;
    if (!online()) {
      // No attempt is spent while the browser knows it is offline: its `online` event wakes the loop.
      o.onLink?.('offline', attempt);
      await waker.sleep(maxDelayMs, o.signal);
      continue;
    }
    attempt++;
    if (attempt > maxAttempts) {
      o.onLink?.('interrupted', attempt);
      await waker.sleep(Infinity, o.signal);
      attempt = 1;
    } else {
      o.onLink?.('reconnecting', attempt);
      await waker.sleep(backoffDelay(attempt, o.baseDelayMs, maxDelayMs), o.signal);
    }
  }
}

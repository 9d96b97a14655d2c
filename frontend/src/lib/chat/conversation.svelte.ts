/**
 * State of the open conversation: loading from history, sending a turn and folding its stream into entries,
 * Stop, Retry (frontend/README.md). All server access goes through src/lib/api.
 */
import { cancelTurn, streamChat } from '../api/chat';
import { ApiError } from '../api/client';
import { deleteMessage, getSession, runningTurnOf } from '../api/history';
import { followTurn, TurnGone, Waker, type FollowOptions, type LinkState } from '../api/resume';
import type { SessionDetail, StreamErrorData } from '../api/types';
import { entriesFromMessages, withRunningTurn } from './history';
import { emptyAssistant, type AssistantEntry, type Entry } from './model';
import { finishTurn, reduceTurn } from './reducer';
import { buildChatRequest, newClientIds, type WebSearchOptions } from './request';
import { randomHex } from '../util/format';

export interface Banner {
  detail: string;
  status: number;
  retryable: boolean;
  /** A turn is already running on the session (409): offer Stop. */
  busy: boolean;
}

/** A conversation that could not be loaded: the view offers Retry, which loads the same id again. */
export interface LoadFailure {
  id: string;
  status: number;
  detail: string;
}

export interface SendInput {
  text: string;
  attachmentIds?: string[];
  attachments?: import('../api/types').AttachmentRef[];
  model?: string | null;
  webSearch?: WebSearchOptions;
}

export class Conversation {
  sessionId = $state<string | null>(null);
  entries = $state.raw<Entry[]>([]);
  streaming = $state(false);
  loading = $state(false);
  banner = $state<Banner | null>(null);
  title = $state<string | null>(null);
  /** Older messages exist beyond the loaded window. */
  hasEarlier = $state(false);
  static readonly PAGE = 200;
  private limit = Conversation.PAGE;
  /** The last load failed; the URL still names this session and Retry loads it again. */
  loadError = $state<LoadFailure | null>(null);
  /** Set when a turn of the loaded session runs but its events cannot be followed: the view polls history. */
  runningElsewhere = $state(false);
  /** The link to the turn being followed: reconnecting, offline or interrupted after a network failure. */
  link = $state<LinkState>('live');

  private abort: AbortController | null = null;
  /** Settles when the turn being followed ends (its `[DONE]`, a failure or an abort). */
  private finished: Promise<void> = Promise.resolve();
  private stopRequested = false;
  private readonly waker = new Waker();
  private lastSent: (SendInput & { clientMessageId: string }) | null = null;

  constructor(private readonly onChange: (sessionId: string, isNew: boolean) => void = () => {}) {}

  reset(): void {
    this.stopLocal();
    this.sessionId = null;
    this.entries = [];
    this.banner = null;
    this.title = null;
    this.runningElsewhere = false;
    this.hasEarlier = false;
    this.lastSent = null;
    this.loadError = null;
  }

  /** Uploads need a session before the first turn: a client-side id `session_<hex>` (frontend/README.md). */
  ensureSessionId(): string {
    if (!this.sessionId) this.sessionId = `session_${randomHex(12)}`;
    return this.sessionId;
  }

  /**
   * Shows a session. When one of its turns is running (a reload during a reply, a second tab) the page attaches to
   * it, unless `follow` is false (the events were found gone): then it polls history until the turn ends.
   */
  async load(id: string, keepWindow = false, follow = true): Promise<void> {
    this.stopLocal();
    this.loading = true;
    this.banner = null;
    this.loadError = null;
    if (!keepWindow) this.limit = Conversation.PAGE;
    try {
      const detail = await getSession(id, this.limit);
      this.hasEarlier = detail.has_more;
      this.sessionId = detail.session.id;
      this.title = detail.session.title;
      this.show(detail, follow);
    } catch (err) {
      this.entries = [];
      this.sessionId = null;
      this.title = null;
      const b = toBanner(err);
      this.loadError = { id, status: b.status, detail: b.detail };
      throw err;
    } finally {
      this.loading = false;
    }
  }

  /** Retry after a failed load: loads the same session again (the URL still names it). */
  async retryLoad(): Promise<void> {
    const failed = this.loadError;
    if (failed) await this.load(failed.id).catch(() => undefined);
  }

  async send(input: SendInput): Promise<void> {
    if (this.streaming || !input.text.trim() && !(input.attachmentIds?.length)) return;
    this.loadError = null;
    const ids = newClientIds();
    this.lastSent = { ...input, clientMessageId: ids.user };
    this.banner = null;
    const assistantKey = ids.assistant;
    this.entries = [
      ...this.entries,
      // The time is shown from the moment of sending; a reload shows the stored time.
      { kind: 'user', key: ids.user, clientMessageId: ids.user, text: input.text, attachments: input.attachments ?? [],
        createdAt: new Date().toISOString() },
      { ...emptyAssistant(assistantKey), createdAt: new Date().toISOString() },
    ];
    const body = buildChatRequest({
      text: input.text,
      attachmentIds: input.attachmentIds,
      sessionId: this.sessionId,
      model: input.model,
      webSearch: input.webSearch,
      clientMessageId: ids.user,
      assistantMessageId: ids.assistant,
    });
    const sessionId = this.sessionId;
    await this.follow(assistantKey, {
      open: (signal, onBytes) => streamChat(body, signal, { onBytes }),
      // The POST broke before its `session` event: the session may still name the turn it started.
      discover: sessionId ? () => runningTurnOf(sessionId) : undefined,
    }, ids.user);
  }

  /**
   * Folds a turn's events into the assistant entry `key` until `[DONE]`, across broken connections (followTurn).
   * `userKey` is the user entry of a turn this page sent, stamped with its stored id from the `session` event.
   */
  private follow(key: string, options: Omit<FollowOptions, 'signal'>, userKey?: string): Promise<void> {
    const abort = new AbortController();
    this.abort = abort;
    this.streaming = true;
    this.stopRequested = false;
    this.link = 'live';
    const run = async () => {
      let gone = false;
      try {
        const events = followTurn({ ...options, signal: abort.signal, waker: this.waker, onLink: (l) => (this.link = l) });
        for await (const event of events) {
          if (event.type === 'session' && userKey) {
            const isNew = this.entries.length <= 2;
            this.sessionId = event.data.session_id;
            const stored = event.data.user_messages.find((m) => m.client_message_id === userKey);
            this.updateUser(userKey, stored?.message_id);
            this.onChange(event.data.session_id, isNew);
          }
          if (event.type === 'error') this.banner = fromStreamError(event.data);
          this.updateAssistant(key, (e) => reduceTurn(e, event));
          if (event.type === 'done') break;
        }
        // Superseded (another session shown, or this one loaded again): the entries are no longer ours.
        if (abort.signal.aborted && abort.signal.reason !== 'stop') return;
        this.updateAssistant(key, (e) => finishTurn(e, abort.signal.aborted || this.stopRequested ? 'cancelled' : undefined));
      } catch (err) {
        if (err instanceof TurnGone) {
          gone = true;
        } else {
          const banner = toBanner(err);
          this.banner = banner;
          this.updateAssistant(key, (e) => ({ ...finishTurn(e, 'failed'), error: banner }));
        }
      } finally {
        if (this.abort === abort || this.abort === null) {
          this.abort = null;
          this.streaming = false;
          this.link = 'live';
        }
        if (this.sessionId && abort.signal.reason !== 'superseded') this.onChange(this.sessionId, false);
      }
      // The turn's events are no longer kept: its stored state is in history.
      if (gone && this.sessionId) await this.load(this.sessionId, true, false).catch(() => undefined);
    };
    this.finished = run();
    return this.finished;
  }

  /**
   * The page became visible or the browser came online: a broken stream is resumed at once; with none, a turn
   * started elsewhere (another tab) is picked up.
   */
  wake(): void {
    if (this.streaming) {
      this.waker.wake();
      return;
    }
    const id = this.sessionId;
    if (!id || this.loading || this.loadError) return;
    void runningTurnOf(id).then((turn) => {
      if (turn && this.sessionId === id && !this.streaming && !this.loading) return this.load(id, true);
    }).catch(() => undefined);
  }

  /** Shows a loaded session; a running turn replaces its stored hops by the entry rebuilt from its events. */
  private show(detail: SessionDetail, follow: boolean): void {
    const entries = entriesFromMessages(detail.messages);
    const turnId = detail.running_turn?.turn_id ?? detail.session.active_turn_id;
    this.runningElsewhere = false;
    if (!turnId) {
      this.entries = entries;
      return;
    }
    if (!follow) {
      this.entries = entries;
      this.runningElsewhere = true;
      this.watchRunningTurn(detail.session.id);
      return;
    }
    const running = withRunningTurn(entries, turnId);
    this.entries = running.entries;
    void this.follow(running.key, { turnId, lastEventId: 0 });
  }

  /** Stop: ask the server to cancel the turn, then drop the connection (frontend/README.md, docs/api.md §3.5). */
  async stop(): Promise<void> {
    const id = this.sessionId;
    const run = this.abort;
    this.stopRequested = true;
    try {
      if (id) {
        const result = await cancelTurn(id);
        this.stopRequested = result.cancelled;
        // The service has ended the turn for every attached client; its last events are on their way.
        if (run) await Promise.race([this.finished, new Promise((r) => setTimeout(r, 1500))]);
      }
    } catch {
      // the abort below still ends the turn (client disconnect, then the detach grace)
    } finally {
      if (this.abort === run) run?.abort('stop');
      this.runningElsewhere = false;
      if (this.banner?.busy) this.banner = null;
    }
  }

  /** Retry the last turn: delete it server-side, then send the same text and attachments again. */
  async retry(): Promise<void> {
    const last = this.lastSent;
    if (!last || this.streaming) return;
    if (this.sessionId) {
      try {
        await deleteMessage(this.sessionId, last.clientMessageId);
      } catch {
        // nothing stored (e.g. failed before the stream opened)
      }
    }
    const cut = this.entries.findIndex((e) => e.kind === 'user' && e.clientMessageId === last.clientMessageId);
    if (cut >= 0) this.entries = this.entries.slice(0, cut);
    await this.send(last);
  }

  /** Shows older messages by widening the window of the last N messages (keeps whole turns together). */
  async loadEarlier(): Promise<void> {
    if (!this.sessionId || !this.hasEarlier || this.streaming) return;
    this.limit = Math.min(1000, this.limit * 2);
    await this.load(this.sessionId, true);
  }

  /** Deletes a user message and its turn output on the server, then shows the stored state again. */
  async deleteTurn(userKey: string): Promise<void> {
    const entry = this.entries.find((e) => e.kind === 'user' && e.key === userKey);
    if (!entry || entry.kind !== 'user' || !this.sessionId || this.streaming) return;
    const ref = entry.messageId ?? entry.clientMessageId;
    if (ref === undefined) return;
    try {
      await deleteMessage(this.sessionId, ref);
      await this.load(this.sessionId, true);
    } catch (err) {
      this.banner = toBanner(err);
    }
  }

  /** Edit or resend a user message: delete it server-side, then send the given text with the same attachments. */
  async resend(userKey: string, text: string): Promise<void> {
    const entry = this.entries.find((e) => e.kind === 'user' && e.key === userKey);
    if (!entry || entry.kind !== 'user' || this.streaming) return;
    const ref = entry.messageId ?? entry.clientMessageId;
    if (this.sessionId && ref !== undefined) {
      try {
        await deleteMessage(this.sessionId, ref);
      } catch {
        // already gone
      }
    }
    this.entries = this.entries.slice(0, this.entries.indexOf(entry));
    await this.send({ text, attachments: entry.attachments, attachmentIds: entry.attachments.map((a) => a.id) });
  }

  dismissBanner(): void {
    this.banner = null;
  }

  /**
   * The page was (re)loaded while a turn of this session was still running on the server, so its stream is not ours:
   * poll until the turn ends, then show the stored result.
   */
  private watchRunningTurn(id: string, delayMs = 1500): void {
    setTimeout(async () => {
      if (this.sessionId !== id || !this.runningElsewhere || this.streaming) return;
      try {
        const detail = await getSession(id);
        if (this.sessionId !== id) return;
        if (detail.session.active_turn_id === null) {
          this.entries = entriesFromMessages(detail.messages);
          this.runningElsewhere = false;
          return;
        }
      } catch {
        // try again
      }
      this.watchRunningTurn(id, delayMs);
    }, delayMs);
  }

  private stopLocal(): void {
    this.abort?.abort('superseded');
    this.abort = null;
  }

  private updateAssistant(key: string, f: (e: AssistantEntry) => AssistantEntry): void {
    this.entries = this.entries.map((e) => (e.kind === 'assistant' && e.key === key ? f(e) : e));
  }

  private updateUser(key: string, messageId: number | undefined): void {
    if (messageId === undefined) return;
    this.entries = this.entries.map((e) => (e.kind === 'user' && e.key === key ? { ...e, messageId } : e));
  }
}

function fromStreamError(e: StreamErrorData): Banner {
  return { detail: e.detail, status: e.status, retryable: e.retryable, busy: false };
}

export function toBanner(err: unknown): Banner {
  if (err instanceof ApiError) {
    const retryable = [408, 429, 500, 502, 503, 504].includes(err.status);
    return { detail: err.detail, status: err.status, retryable, busy: err.status === 409 };
  }
  const detail = err instanceof Error ? err.message : String(err);
  return { detail: `Network error: ${detail}`, status: 0, retryable: true, busy: false };
}

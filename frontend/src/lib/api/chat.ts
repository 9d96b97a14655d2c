import { apiUrl, authHeaders, errorFrom, getToken, request } from './client';
import { readSse, type SseEvent } from './sse';
import type { CancelResult, ChatEvent, ChatRequest } from './types';

/** Maps one SSE event of the chat stream to the typed union; unparsable or unknown events become `unknown`. */
export function toChatEvent(e: SseEvent): ChatEvent {
  const parse = (): unknown => JSON.parse(e.data);
  try {
    switch (e.name) {
      case 'session':
        return { type: 'session', id: e.id, data: parse() as never };
      case 'message':
        if (e.data === '[DONE]') return { type: 'done', id: e.id };
        return { type: 'chunk', id: e.id, data: parse() as never };
      case 'metadata':
        return { type: 'metadata', id: e.id, data: parse() as never };
      case 'tool':
        return { type: 'tool', id: e.id, data: parse() as never };
      case 'error':
        return { type: 'error', id: e.id, data: parse() as never };
      case 'snapshot':
        return { type: 'snapshot', id: e.id, data: parse() as never };
      case 'approval':
        return { type: 'approval', id: e.id, data: parse() as never };
      case 'elicitation':
        return { type: 'elicitation', id: e.id, data: parse() as never };
      default:
        return { type: 'unknown', id: e.id, name: e.name, data: e.data };
    }
  } catch {
    return { type: 'unknown', id: e.id, name: e.name, data: e.data };
  }
}

/** Options of a stream read: `onBytes` is called whenever bytes arrive (comments included), see readSse. */
export interface StreamOptions {
  onBytes?: () => void;
}

/** Opens an event-stream request and yields its typed events; aborting `signal` ends it without an error. */
async function* eventStream(
  path: string,
  init: RequestInit,
  signal: AbortSignal | undefined,
  options: StreamOptions,
): AsyncGenerator<ChatEvent, void, undefined> {
  let res: Response;
  const token = getToken();
  try {
    res = await fetch(apiUrl(path), { ...init, signal });
  } catch (err) {
    if (signal?.aborted) return;
    throw err;
  }
  if (!res.ok) throw await errorFrom(res, token);
  if (!res.body) return;
  options.onBytes?.();
  try {
    for await (const e of readSse(res.body, signal, options.onBytes)) yield toChatEvent(e);
  } catch (err) {
    if (signal?.aborted) return;
    throw err;
  }
}

/**
 * POSTs a chat request and yields the typed events of the stream (docs/api.md §3.1). Errors before the stream opens
 * are thrown as ApiError; aborting `signal` ends the generator (and the fetch) without an error.
 */
export function streamChat(
  body: ChatRequest,
  signal?: AbortSignal,
  options: StreamOptions = {},
): AsyncGenerator<ChatEvent, void, undefined> {
  const headers = authHeaders({ 'Content-Type': 'application/json', Accept: 'text/event-stream' });
  return eventStream('/api/chat/stream', { method: 'POST', headers, body: JSON.stringify(body) }, signal, options);
}

/**
 * Attaches to a turn's events (docs/api.md §3.6): every event after `lastEventId` (0 = from the start), then the
 * live ones until `[DONE]`. When the asked events are no longer kept the stream starts with one `snapshot`. A
 * finished turn whose events are gone answers 410 and an unknown one 404 (both thrown as ApiError).
 */
export function attachTurn(
  turnId: string,
  lastEventId: number,
  signal?: AbortSignal,
  options: StreamOptions = {},
): AsyncGenerator<ChatEvent, void, undefined> {
  const extra: Record<string, string> = { Accept: 'text/event-stream' };
  if (lastEventId > 0) extra['Last-Event-ID'] = String(lastEventId);
  const path = `/api/chat/turns/${encodeURIComponent(turnId)}/events`;
  return eventStream(path, { method: 'GET', headers: authHeaders(extra), cache: 'no-store' }, signal, options);
}

export function cancelTurn(sessionId: string): Promise<CancelResult> {
  return request<CancelResult>(`/api/chat/session/${encodeURIComponent(sessionId)}/cancel`, { method: 'POST' });
}

/** The person's answer to a waiting call (docs/api.md §3.7); any tab may answer. */
export interface ApprovalAnswer {
  call_id: string;
  decision: 'allow' | 'deny';
  remember: 'once' | 'session' | 'always';
}

export function answerApproval(turnId: string, answer: ApprovalAnswer): Promise<unknown> {
  return request(`/api/chat/turns/${encodeURIComponent(turnId)}/approvals`, { method: 'POST', body: answer });
}

/** Answers a server's request for input; accepted content is checked against its schema (422 with field errors). */
export function answerElicitation(
  turnId: string,
  elicitationId: string,
  answer: { action: 'accept' | 'decline' | 'cancel'; content?: Record<string, unknown> },
): Promise<unknown> {
  const path = `/api/chat/turns/${encodeURIComponent(turnId)}/elicitations/${encodeURIComponent(elicitationId)}`;
  return request(path, { method: 'POST', body: answer });
}

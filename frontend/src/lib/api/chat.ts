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
      default:
        return { type: 'unknown', id: e.id, name: e.name, data: e.data };
    }
  } catch {
    return { type: 'unknown', id: e.id, name: e.name, data: e.data };
  }
}

/**
 * POSTs a chat request and yields the typed events of the stream (SPEC §4.11). Errors before the stream opens
 * are thrown as ApiError; aborting `signal` ends the generator (and the fetch) without an error.
 */
export async function* streamChat(body: ChatRequest, signal?: AbortSignal): AsyncGenerator<ChatEvent, void, undefined> {
  let res: Response;
  const token = getToken();
  try {
    res = await fetch(apiUrl('/api/chat/stream'), {
      method: 'POST',
      headers: authHeaders({ 'Content-Type': 'application/json', Accept: 'text/event-stream' }),
      body: JSON.stringify(body),
      signal,
    });
  } catch (err) {
    if (signal?.aborted) return;
    throw err;
  }
  if (!res.ok) throw await errorFrom(res, token);
  if (!res.body) return;
  try {
    for await (const e of readSse(res.body, signal)) yield toChatEvent(e);
  } catch (err) {
    if (signal?.aborted) return;
    throw err;
  }
}

export function cancelTurn(sessionId: string): Promise<CancelResult> {
  return request<CancelResult>(`/api/chat/session/${encodeURIComponent(sessionId)}/cancel`, { method: 'POST' });
}

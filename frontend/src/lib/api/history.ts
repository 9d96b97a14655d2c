import { query, request } from './client';
import type { Health, SessionDetail, SessionPage, SessionSummary } from './types';

export function listSessions(opts: { limit?: number; cursor?: string | null; q?: string } = {}): Promise<SessionPage> {
  return request<SessionPage>(`/api/chat/sessions${query({ limit: opts.limit ?? 50, cursor: opts.cursor, q: opts.q })}`);
}

/** `limit` returns the last `limit` messages (1–1000); `has_more` says whether older ones exist (docs/api.md §2). */
export function getSession(id: string, limit?: number): Promise<SessionDetail> {
  return request<SessionDetail>(`/api/chat/session/${encodeURIComponent(id)}${query({ limit })}`);
}

/** The id of the session's running turn (docs/api.md §3.6), or null. */
export async function runningTurnOf(sessionId: string): Promise<string | null> {
  const detail = await getSession(sessionId, 1);
  return detail.running_turn?.turn_id ?? detail.session.active_turn_id ?? null;
}

/** `null` restores the automatic title (docs/api.md §2). */
export function renameSession(id: string, title: string | null): Promise<SessionSummary> {
  return request<SessionSummary>(`/api/chat/session/${encodeURIComponent(id)}`, { method: 'PATCH', body: { title } });
}

export function deleteSession(id: string): Promise<void> {
  return request<void>(`/api/chat/session/${encodeURIComponent(id)}`, { method: 'DELETE' });
}

export function deleteMessage(sessionId: string, messageRef: string | number): Promise<void> {
  return request<void>(
    `/api/chat/session/${encodeURIComponent(sessionId)}/messages/${encodeURIComponent(String(messageRef))}`,
    { method: 'DELETE' },
  );
}

export function getGeneration(id: string): Promise<{ data?: Record<string, unknown> }> {
  return request(`/api/chat/generation/${encodeURIComponent(id)}`);
}

export function health(): Promise<Health> {
  return request<Health>('/health');
}

import { request } from './client';

/** POST /api/stt/deepgram/token (docs/api.md §2.20): a short-lived Deepgram token (or, with the opt-in fallback, a key). */
export function deepgramToken(): Promise<{ access_token: string; expires_in: number | null }> {
  return request('/api/stt/deepgram/token', { method: 'POST', body: {} });
}

/** Deepgram's streaming endpoint; the token travels as a WebSocket sub-protocol, never in the URL (frontend/README.md). */
export function openDeepgramSocket(url: string, protocols: string[]): WebSocket {
  return new WebSocket(url, protocols);
}

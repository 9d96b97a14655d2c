import { request } from './client';

export interface GoogleStatus {
  authorized: boolean;
  email: string | null;
  scopes: string[];
  write_enabled: boolean;
  expires_at: string | null;
  needs_reauth: boolean;
}

export const googleStatus = () => request<GoogleStatus>('/api/google-auth/status');
export const googleAuthorize = (write: boolean) =>
  request<{ auth_url: string; expires_at: string }>('/api/google-auth/authorize', { method: 'POST', body: { write } });
export const googleDisconnect = () => request<void>('/api/google-auth/token', { method: 'DELETE' });

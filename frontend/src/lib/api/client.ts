/** Base fetch wrapper: base URL, bearer token, JSON bodies and the `{"detail": …}` error shape (docs/api.md §1.2). */

const TOKEN_KEY = 'orchat.token';
const base: string = (import.meta.env.VITE_API_BASE_URL ?? '').replace(/\/$/, '');

export function apiUrl(path: string): string {
  return base + path;
}

export function getToken(): string | null {
  try {
    return localStorage.getItem(TOKEN_KEY);
  } catch {
    return null;
  }
}

export function setToken(token: string | null): void {
  if (token) localStorage.setItem(TOKEN_KEY, token);
  else localStorage.removeItem(TOKEN_KEY);
}

type Listener = () => void;
const unauthorizedListeners = new Set<Listener>();

/** Called whenever an API call answers 401, so the app can show the token prompt (frontend/README.md). */
export function onUnauthorized(listener: Listener): () => void {
  unauthorizedListeners.add(listener);
  return () => unauthorizedListeners.delete(listener);
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly detail: string,
    readonly body: unknown = undefined,
    readonly retryAfter: number | undefined = undefined,
  ) {
    super(detail);
    this.name = 'ApiError';
  }
}

/** Turns any `detail` (string or validation list) into one readable line. */
export function detailText(detail: unknown, fallback: string): string {
  if (typeof detail === 'string') return detail;
  if (Array.isArray(detail)) {
    return detail
      .map((d) => {
        const item = d as { loc?: unknown[]; msg?: string };
        const where = Array.isArray(item.loc) ? item.loc.filter((p) => p !== 'body').join('.') : '';
        return where ? `${where}: ${item.msg ?? ''}` : (item.msg ?? '');
      })
      .join('; ');
  }
  return fallback;
}

/**
 * `sentWith` is the token the request carried: a 401 for a request sent before the user entered a new token must
 * not bring the prompt back.
 */
export async function errorFrom(res: Response, sentWith: string | null = getToken()): Promise<ApiError> {
  let body: unknown;
  let detail = `${res.status} ${res.statusText}`.trim();
  try {
    body = await res.json();
    detail = detailText((body as { detail?: unknown })?.detail, detail);
  } catch {
    // not JSON: keep the status line
  }
  const retryAfter = Number(res.headers.get('Retry-After')) || undefined;
  if (res.status === 401 && sentWith === getToken()) unauthorizedListeners.forEach((l) => l());
  return new ApiError(res.status, detail, body, retryAfter);
}

export interface RequestOptions {
  method?: string;
  body?: unknown;
  signal?: AbortSignal;
  headers?: Record<string, string>;
}

export function authHeaders(extra: Record<string, string> = {}): Record<string, string> {
  const headers: Record<string, string> = { ...extra };
  const token = getToken();
  if (token) headers['Authorization'] = `Bearer ${token}`;
  return headers;
}

/** Sends a request and parses JSON; throws ApiError for non-2xx answers. 204 yields undefined. */
export async function request<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const token = getToken();
  const init: RequestInit = {
    method: options.method ?? 'GET',
    headers: authHeaders(options.headers),
    signal: options.signal,
  };
  if (options.body !== undefined) {
    (init.headers as Record<string, string>)['Content-Type'] = 'application/json';
    init.body = JSON.stringify(options.body);
  }
  const res = await fetch(apiUrl(path), init);
  if (!res.ok) throw await errorFrom(res, token);
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

export function query(params: Record<string, string | number | boolean | null | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  }
  const s = q.toString();
  return s ? `?${s}` : '';
}

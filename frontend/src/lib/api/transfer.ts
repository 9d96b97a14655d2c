/** Search, export and import (docs/api.md §2.28–2.30). */
import { apiUrl, authHeaders, errorFrom, getToken, query, request, ApiError, detailText } from './client';

export interface SearchHit {
  session_id: string;
  message_id: number | null;
  role: string | null;
  title: string | null;
  /** Server-escaped HTML whose only tags are `<mark>`; render with {@link snippetSegments}, never as HTML. */
  snippet: string;
  created_at: string;
  score: number;
  source: 'message' | 'title' | 'attachment';
  attachment?: { id: string; filename: string | null };
}

export interface SearchPage {
  hits: SearchHit[];
  next_cursor: string | null;
}

export function search(q: string, opts: { cursor?: string | null; limit?: number; signal?: AbortSignal } = {}): Promise<SearchPage> {
  return request<SearchPage>(`/api/search${query({ q, limit: opts.limit ?? 20, cursor: opts.cursor })}`, { signal: opts.signal });
}

export type ExportFormat = 'md' | 'json';

/** Downloads through fetch so the bearer token is sent; the browser saves the blob under the server's name. */
export async function downloadExport(sessionId: string, format: ExportFormat): Promise<void> {
  const token = getToken();
  const res = await fetch(apiUrl(`/api/chat/session/${encodeURIComponent(sessionId)}/export${query({ format })}`), {
    headers: authHeaders(),
  });
  if (!res.ok) throw await errorFrom(res, token);
  const blob = await res.blob();
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = `${sessionId}.${format}`;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export interface ImportReport {
  imported: { item: string; session_id: string; title: string | null; source: string; messages: number; note?: string }[];
  skipped: { item: string; session_id: string; title: string | null; reason: string }[];
  failed: { item: string; reason: string }[];
}

/**
 * Uploads export files as multipart; XMLHttpRequest because fetch reports no upload progress. `onprogress`
 * gets the uploaded fraction (0–1); after 1 the server is still importing until the promise settles.
 */
export function importFiles(files: File[], onprogress: (fraction: number) => void = () => {}): Promise<ImportReport> {
  const form = new FormData();
  for (const f of files) form.append('file', f, f.name);
  const token = getToken();
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', apiUrl('/api/import'));
    for (const [k, v] of Object.entries(authHeaders())) xhr.setRequestHeader(k, v);
    xhr.upload.onprogress = (e) => e.lengthComputable && onprogress(e.loaded / e.total);
    xhr.onerror = () => reject(new ApiError(0, 'The upload failed (network error)'));
    xhr.onload = () => {
      let body: unknown;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        body = undefined;
      }
      if (xhr.status === 200) {
        resolve(body as ImportReport);
        return;
      }
      const detail = detailText((body as { detail?: unknown } | undefined)?.detail, `${xhr.status} ${xhr.statusText}`);
      if (xhr.status === 401 && token === getToken()) {
        // Same path as fetch errors: let the app show the token prompt.
        void errorFrom(new Response(JSON.stringify(body ?? {}), { status: 401 }), token);
      }
      reject(new ApiError(xhr.status, detail, body));
    };
    xhr.send(form);
  });
}

import { apiUrl, ApiError, authHeaders, detailText, request } from './client';

/** The attachment object of docs/api.md §2.21. */
export interface Attachment {
  id: string;
  sessionId: string;
  mimeType: string;
  sizeBytes: number;
  displayUrl: string;
  deliveryUrl?: string;
  uploadedAt: string;
  expiresAt: string | null;
  metadata?: { filename?: string; mime_type?: string; size_bytes?: number };
}

/**
 * POST /api/uploads (multipart `file` + `session_id`) with upload progress, which fetch cannot report, hence
 * XMLHttpRequest. Rejects with ApiError carrying the server's detail (e.g. 413, 415).
 */
export function uploadFile(
  file: File,
  sessionId: string,
  onProgress: (fraction: number) => void,
  signal?: AbortSignal,
): Promise<Attachment> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', apiUrl('/api/uploads'));
    for (const [k, v] of Object.entries(authHeaders())) xhr.setRequestHeader(k, v);
    xhr.upload.onprogress = (e) => e.lengthComputable && onProgress(e.loaded / e.total);
    xhr.onload = () => {
      let body: unknown;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        body = undefined;
      }
      if (xhr.status >= 200 && xhr.status < 300) {
        const a = (body as { attachment?: Attachment })?.attachment;
        if (a) resolve(a);
        else reject(new ApiError(xhr.status, 'Unexpected upload response'));
      } else {
        const detail = detailText((body as { detail?: unknown })?.detail, `Upload failed (${xhr.status})`);
        reject(new ApiError(xhr.status, detail, body));
      }
    };
    xhr.onerror = () => reject(new ApiError(0, 'Network error during upload'));
    xhr.onabort = () => reject(new ApiError(0, 'Upload cancelled'));
    signal?.addEventListener('abort', () => xhr.abort(), { once: true });
    const form = new FormData();
    form.append('session_id', sessionId);
    form.append('file', file, file.name);
    xhr.send(form);
  });
}

export function deleteUpload(id: string): Promise<void> {
  return request<void>(`/api/uploads/${encodeURIComponent(id)}`, { method: 'DELETE' });
}

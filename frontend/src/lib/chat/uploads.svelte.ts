/** Files attached in the composer: uploaded at once with progress; send waits until all are done (frontend/README.md). */
import { deleteUpload, uploadFile, type Attachment } from '../api/uploads';
import type { AttachmentRef } from '../api/types';
import { checkFiles } from './files';

export interface PendingFile {
  localId: number;
  name: string;
  mimeType: string;
  size: number;
  progress: number;
  status: 'uploading' | 'done' | 'error';
  error?: string;
  previewUrl?: string;
  attachment?: Attachment;
}

let nextId = 1;

export class PendingUploads {
  items = $state<PendingFile[]>([]);
  notice = $state<string | null>(null);

  get ready(): boolean {
    return this.items.every((i) => i.status === 'done');
  }

  get uploading(): boolean {
    return this.items.some((i) => i.status === 'uploading');
  }

  add(files: File[], sessionId: string): void {
    const check = checkFiles(files, this.items.length);
    this.notice = check.rejected.length ? check.rejected.map((r) => r.reason).join('; ') : null;
    for (const file of check.accepted) {
      const item: PendingFile = {
        localId: nextId++,
        name: file.name,
        mimeType: file.type,
        size: file.size,
        progress: 0,
        status: 'uploading',
        previewUrl: file.type.startsWith('image/') ? URL.createObjectURL(file) : undefined,
      };
      this.items.push(item);
      const tracked = this.items[this.items.length - 1]!; // the reactive proxy
      uploadFile(file, sessionId, (p) => (tracked.progress = p))
        .then((a) => {
          tracked.attachment = a;
          tracked.progress = 1;
          tracked.status = 'done';
        })
        .catch((err: unknown) => {
          tracked.status = 'error';
          tracked.error = err instanceof Error ? err.message : String(err);
        });
    }
  }

  remove(localId: number): void {
    const item = this.items.find((i) => i.localId === localId);
    if (!item) return;
    if (item.previewUrl) URL.revokeObjectURL(item.previewUrl);
    if (item.attachment) void deleteUpload(item.attachment.id).catch(() => undefined);
    this.items = this.items.filter((i) => i.localId !== localId);
  }

  /** Hands the uploaded files to a message and empties the tray. */
  take(): { ids: string[]; refs: AttachmentRef[] } {
    const done = this.items.filter((i) => i.status === 'done' && i.attachment);
    const result = {
      ids: done.map((i) => i.attachment!.id),
      refs: done.map((i) => ({
        id: i.attachment!.id,
        filename: i.attachment!.metadata?.filename ?? i.name,
        mimeType: i.attachment!.mimeType,
        sizeBytes: i.attachment!.sizeBytes,
        displayUrl: i.attachment!.displayUrl,
        available: true,
      })),
    };
    this.items.forEach((i) => i.previewUrl && URL.revokeObjectURL(i.previewUrl));
    this.items = [];
    this.notice = null;
    return result;
  }
}

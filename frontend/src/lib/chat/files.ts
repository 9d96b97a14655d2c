/** Which files the composer accepts (frontend/README.md): PNG, JPEG, WebP, GIF, PDF, TXT, MD, CSV; at most 10 per message. */
export const MAX_ATTACHMENTS = 10;
export const ACCEPT = '.png,.jpg,.jpeg,.webp,.gif,.pdf,.txt,.md,.csv,image/png,image/jpeg,image/webp,image/gif,application/pdf,text/plain,text/markdown,text/csv';

const BY_EXTENSION: Record<string, string> = {
  png: 'image/png', jpg: 'image/jpeg', jpeg: 'image/jpeg', webp: 'image/webp', gif: 'image/gif',
  pdf: 'application/pdf', txt: 'text/plain', md: 'text/markdown', csv: 'text/csv',
};

export function acceptedType(name: string, type: string): string | null {
  const allowed = new Set(Object.values(BY_EXTENSION));
  if (allowed.has(type)) return type;
  const ext = name.toLowerCase().split('.').pop() ?? '';
  return BY_EXTENSION[ext] ?? null;
}

export interface FileCheck<F> {
  accepted: F[];
  rejected: { file: F; reason: string }[];
}

export function checkFiles<F extends { name: string; type: string; size: number }>(files: F[], alreadyAttached: number): FileCheck<F> {
  const result: FileCheck<F> = { accepted: [], rejected: [] };
  for (const file of files) {
    if (!acceptedType(file.name, file.type)) {
      result.rejected.push({ file, reason: `${file.name}: unsupported type (PNG, JPEG, WebP, GIF, PDF, TXT, MD or CSV)` });
    } else if (file.size === 0) {
      result.rejected.push({ file, reason: `${file.name}: the file is empty` });
    } else if (alreadyAttached + result.accepted.length >= MAX_ATTACHMENTS) {
      result.rejected.push({ file, reason: `${file.name}: at most ${MAX_ATTACHMENTS} files per message` });
    } else {
      result.accepted.push(file);
    }
  }
  return result;
}

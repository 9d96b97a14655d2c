/** Pure helpers of the search UI (docs/api.md §2.28). */
import type { SearchHit } from '../api/transfer';

export interface Segment {
  text: string;
  mark: boolean;
}

const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'" };

/**
 * Splits a server snippet into plain-text segments, marked or not, so it renders as text nodes: even if the
 * server's escaping were wrong, no markup from a message could reach the page.
 */
export function snippetSegments(snippet: string): Segment[] {
  const segments: Segment[] = [];
  let mark = false;
  for (const piece of snippet.split(/(<mark>|<\/mark>)/)) {
    if (piece === '<mark>') mark = true;
    else if (piece === '</mark>') mark = false;
    else if (piece) segments.push({ text: piece.replace(/&(amp|lt|gt|quot|#39);/g, (e) => ENTITIES[e] ?? e), mark });
  }
  return segments;
}

/** What a hit says about where it matched, for the line under its title. */
export function hitLabel(hit: SearchHit): string {
  if (hit.source === 'title') return 'Title';
  if (hit.source === 'attachment') return `Attachment ${hit.attachment?.filename ?? hit.attachment?.id ?? ''}`.trim();
  return hit.role === 'assistant' ? 'Assistant' : hit.role === 'user' ? 'You' : (hit.role ?? 'Message');
}

/** Keyboard movement in the result list: wraps around, -1 means "nothing selected". */
export function moveSelection(current: number, delta: number, count: number): number {
  if (count === 0) return -1;
  if (current < 0) return delta > 0 ? 0 : count - 1;
  return (current + delta + count) % count;
}

interface EntryLike {
  key: string;
  kind: string;
  messageId?: number;
  hops?: { messageId: number | null }[];
}

/**
 * The rendered entry that shows a message: a user entry by its id, an assistant turn by the ids of its hops;
 * tool results are not entries of their own, so they map to the last entry that starts before them (ids grow
 * with position inside a session).
 */
export function entryKeyForMessage(entries: EntryLike[], messageId: number): string | null {
  let before: string | null = null;
  for (const e of entries) {
    const ids = e.kind === 'user' ? [e.messageId] : (e.hops ?? []).map((h) => h.messageId);
    if (ids.includes(messageId)) return e.key;
    const first = ids.filter((id): id is number => typeof id === 'number').sort((a, b) => a - b)[0];
    if (first !== undefined && first < messageId) before = e.key;
  }
  return before;
}

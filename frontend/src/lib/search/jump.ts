/** Scrolls the conversation to a message found by search (docs/api.md §2.28), loading earlier pages as needed. */
import { tick } from 'svelte';
import { entryKeyForMessage } from './snippet';
import type { Conversation } from '../chat/conversation.svelte';

const MAX_EARLIER_PAGES = 50;

export async function jumpToMessage(chat: Conversation, messageId: number): Promise<boolean> {
  for (let page = 0; page <= MAX_EARLIER_PAGES; page++) {
    const loadedFrom = Math.min(...chat.entries.map((e) => firstId(e)).filter((id) => id !== undefined) as number[]);
    const key = messageId >= loadedFrom || !chat.hasEarlier ? entryKeyForMessage(chat.entries, messageId) : null;
    if (key) {
      await tick();
      const entry = document.querySelector(`[data-entry-key="${CSS.escape(key)}"]`);
      const target = entry?.firstElementChild as HTMLElement | null;
      if (target) {
        target.scrollIntoView?.({ block: 'center' });
        target.classList.add('search-target');
        setTimeout(() => target.classList.remove('search-target'), 2500);
        return true;
      }
      return false;
    }
    if (!chat.hasEarlier) return false;
    await chat.loadEarlier();
  }
  return false;
}

function firstId(entry: { kind: string; messageId?: number; hops?: { messageId: number | null }[] }): number | undefined {
  if (entry.kind === 'user') return entry.messageId;
  const ids = (entry.hops ?? []).map((h) => h.messageId).filter((id): id is number => typeof id === 'number');
  return ids.length ? Math.min(...ids) : undefined;
}

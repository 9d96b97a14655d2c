/** Keyboard shortcuts (issue 18), listed in the help dialog (`?`). Pure: the app maps an id to an action. */
export type ShortcutId = 'new-chat' | 'focus-composer' | 'stop' | 'search' | 'toggle-sidebar' | 'help';

export interface Shortcut {
  id: ShortcutId;
  keys: string[];
  description: string;
}

export interface KeyLike {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
  altKey: boolean;
}

export interface ShortcutContext {
  /** Focus is in a text field (the composer, an input, a textarea, a contenteditable). */
  typing: boolean;
  /** A dialog is open: only its own keys apply. */
  dialogOpen: boolean;
  streaming: boolean;
  mac: boolean;
}

export function shortcutList(mac: boolean): Shortcut[] {
  const mod = mac ? '⌘' : 'Ctrl';
  return [
    { id: 'new-chat', keys: [mod, 'Shift', 'O'], description: 'New chat' },
    { id: 'focus-composer', keys: ['Shift', 'Esc'], description: 'Focus the message box (also / when not typing)' },
    { id: 'stop', keys: ['Esc'], description: 'Stop the reply that is being generated' },
    { id: 'search', keys: [mod, 'K'], description: 'Search all messages' },
    { id: 'toggle-sidebar', keys: [mod, 'Shift', 'S'], description: 'Show or hide the conversation list' },
    { id: 'help', keys: ['?'], description: 'Show these shortcuts' },
  ];
}

export function matchShortcut(e: KeyLike, ctx: ShortcutContext): ShortcutId | null {
  const mod = ctx.mac ? e.metaKey : e.ctrlKey;
  const key = e.key.length === 1 ? e.key.toLowerCase() : e.key;
  if (ctx.dialogOpen) return null;
  if (mod && e.shiftKey && !e.altKey && key === 'o') return 'new-chat';
  if (mod && e.shiftKey && !e.altKey && key === 's') return 'toggle-sidebar';
  if (mod && !e.shiftKey && !e.altKey && key === 'k') return 'search';
  if (e.key === 'Escape' && e.shiftKey && !mod) return 'focus-composer';
  if (e.key === 'Escape' && !e.shiftKey && !mod && ctx.streaming) return 'stop';
  if (ctx.typing || mod || e.altKey) return null;
  if (e.key === '?') return 'help';
  if (e.key === '/') return 'focus-composer';
  return null;
}

/** Whether an element takes typed text, so single-key shortcuts must leave it alone. */
export function isTyping(el: Element | null): boolean {
  if (!el) return false;
  const tag = el.tagName;
  if (tag === 'TEXTAREA' || tag === 'SELECT') return true;
  if (tag === 'INPUT') {
    const type = (el as HTMLInputElement).type;
    return !['checkbox', 'radio', 'button', 'submit', 'range', 'file', 'reset'].includes(type);
  }
  return (el as HTMLElement).isContentEditable === true;
}

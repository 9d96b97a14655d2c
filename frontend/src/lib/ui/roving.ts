/**
 * Keyboard movement in a list of items (menus, the session list): the index that a key moves to, or null when the
 * key is not a movement key. Wraps around at both ends, like the WAI-ARIA menu pattern.
 */
export function nextIndex(current: number, key: string, count: number): number | null {
  if (count <= 0) return null;
  switch (key) {
    case 'ArrowDown':
      return current < 0 ? 0 : (current + 1) % count;
    case 'ArrowUp':
      return current < 0 ? count - 1 : (current - 1 + count) % count;
    case 'Home':
      return 0;
    case 'End':
      return count - 1;
    default:
      return null;
  }
}

/** Moves focus among `items` for a key event; returns whether the key was handled. */
export function moveFocus(items: HTMLElement[], event: KeyboardEvent): boolean {
  const current = items.indexOf(document.activeElement as HTMLElement);
  const next = nextIndex(current, event.key, items.length);
  if (next === null) return false;
  event.preventDefault();
  items[next]?.focus();
  return true;
}

/** The elements Tab can reach inside `root`, in document order (for the dialog's focus trap). */
export function focusables(root: HTMLElement): HTMLElement[] {
  const selector = 'a[href], button:not([disabled]), input:not([disabled]):not([type="hidden"]), select:not([disabled]), '
    + 'textarea:not([disabled]), summary, [tabindex]:not([tabindex="-1"])';
  return Array.from(root.querySelectorAll<HTMLElement>(selector)).filter((el) => el.tabIndex >= 0 && !el.closest('[inert]'));
}

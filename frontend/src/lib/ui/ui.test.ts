import { describe, expect, it } from 'vitest';
import { nextIndex } from './roving';
import { isTyping, matchShortcut, shortcutList, type KeyLike, type ShortcutContext } from './shortcuts';
import { parsePreference, resolveTheme, loadPreference, savePreference, THEME_KEY, applyTheme } from './theme.svelte';

const key = (k: string, mods: Partial<KeyLike> = {}): KeyLike => ({ key: k, ctrlKey: false, metaKey: false, shiftKey: false, altKey: false, ...mods });
const ctx = (c: Partial<ShortcutContext> = {}): ShortcutContext => ({ typing: false, dialogOpen: false, streaming: false, mac: false, ...c });

describe('keyboard shortcuts', () => {
  it('maps the listed keys to actions', () => {
    expect(matchShortcut(key('O', { ctrlKey: true, shiftKey: true }), ctx())).toBe('new-chat');
    expect(matchShortcut(key('o', { metaKey: true, shiftKey: true }), ctx({ mac: true }))).toBe('new-chat');
    expect(matchShortcut(key('o', { ctrlKey: true, shiftKey: true }), ctx({ mac: true }))).toBeNull();
    expect(matchShortcut(key('k', { ctrlKey: true }), ctx({ typing: true }))).toBe('search');
    expect(matchShortcut(key('Escape', { shiftKey: true }), ctx({ typing: true }))).toBe('focus-composer');
    expect(matchShortcut(key('/'), ctx())).toBe('focus-composer');
    expect(matchShortcut(key('?', { shiftKey: true }), ctx())).toBe('help');
    expect(matchShortcut(key('S', { ctrlKey: true, shiftKey: true }), ctx())).toBe('toggle-sidebar');
  });

  it('leaves typing alone, stops only while streaming, and yields to an open dialog', () => {
    expect(matchShortcut(key('?', { shiftKey: true }), ctx({ typing: true }))).toBeNull();
    expect(matchShortcut(key('/'), ctx({ typing: true }))).toBeNull();
    expect(matchShortcut(key('Escape'), ctx())).toBeNull();
    expect(matchShortcut(key('Escape'), ctx({ streaming: true, typing: true }))).toBe('stop');
    expect(matchShortcut(key('k', { ctrlKey: true }), ctx({ dialogOpen: true }))).toBeNull();
  });

  it('lists every action once, with the platform modifier', () => {
    const ids = shortcutList(false).map((s) => s.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(shortcutList(true)[0]?.keys[0]).toBe('⌘');
  });

  it('knows which elements take text', () => {
    const input = document.createElement('input');
    expect(isTyping(input)).toBe(true);
    input.type = 'checkbox';
    expect(isTyping(input)).toBe(false);
    expect(isTyping(document.createElement('textarea'))).toBe(true);
    expect(isTyping(document.createElement('button'))).toBe(false);
    expect(isTyping(null)).toBe(false);
  });
});

describe('roving focus', () => {
  it('moves with arrows, wraps, jumps with Home/End, ignores other keys', () => {
    expect(nextIndex(0, 'ArrowDown', 3)).toBe(1);
    expect(nextIndex(2, 'ArrowDown', 3)).toBe(0);
    expect(nextIndex(0, 'ArrowUp', 3)).toBe(2);
    expect(nextIndex(-1, 'ArrowDown', 3)).toBe(0);
    expect(nextIndex(-1, 'ArrowUp', 3)).toBe(2);
    expect(nextIndex(1, 'Home', 3)).toBe(0);
    expect(nextIndex(1, 'End', 3)).toBe(2);
    expect(nextIndex(1, 'a', 3)).toBeNull();
    expect(nextIndex(0, 'ArrowDown', 0)).toBeNull();
  });
});

describe('theme', () => {
  it('follows the system unless the user chose, and remembers the choice', () => {
    expect(parsePreference(null)).toBe('system');
    expect(parsePreference('purple')).toBe('system');
    expect(resolveTheme('system', true)).toBe('dark');
    expect(resolveTheme('system', false)).toBe('light');
    expect(resolveTheme('light', true)).toBe('light');
    localStorage.clear();
    savePreference('dark');
    expect(localStorage.getItem(THEME_KEY)).toBe('dark');
    expect(loadPreference()).toBe('dark');
    savePreference('system');
    expect(localStorage.getItem(THEME_KEY)).toBeNull();
  });

  it('sets data-theme on the root element', () => {
    const root = document.createElement('html');
    expect(applyTheme('system', root, true)).toBe('dark');
    expect(root.dataset['theme']).toBe('dark');
    applyTheme('light', root, true);
    expect(root.dataset['theme']).toBe('light');
  });
});

import { flushSync, mount, tick, unmount } from 'svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import Dialog from './Dialog.svelte';
import IconButton from './IconButton.svelte';
import Menu from './Menu.svelte';
import { Pencil, Trash } from './icons';
import { createRawSnippet } from 'svelte';

let app: Record<string, unknown> | undefined;
afterEach(() => {
  if (app) unmount(app);
  app = undefined;
  document.body.innerHTML = '';
});

const key = (el: Element, k: string, init: KeyboardEventInit = {}) => {
  const e = new KeyboardEvent('keydown', { key: k, bubbles: true, cancelable: true, ...init });
  el.dispatchEvent(e);
  flushSync();
  return e;
};

describe('IconButton', () => {
  it('has its label as accessible name and tooltip', () => {
    const onclick = vi.fn();
    app = mount(IconButton, { target: document.body, props: { label: 'Delete', icon: Trash, onclick } });
    const b = document.querySelector('button')!;
    expect(b.getAttribute('aria-label')).toBe('Delete');
    expect(b.dataset['tooltip']).toBe('Delete');
    expect(b.querySelector('svg')?.getAttribute('aria-hidden')).toBe('true');
    b.click();
    expect(onclick).toHaveBeenCalledOnce();
  });
});

describe('Menu', () => {
  it('opens on ArrowDown with focus on the first item, moves with arrows, Escape returns focus', async () => {
    const rename = vi.fn();
    const remove = vi.fn();
    app = mount(Menu, { target: document.body, props: { label: 'Actions', icon: Pencil, items: [
      { id: 'r', label: 'Rename', onselect: rename }, { id: 'd', label: 'Delete', danger: true, onselect: remove }] } });
    const trigger = document.querySelector<HTMLButtonElement>('button[aria-haspopup=menu]')!;
    expect(trigger.getAttribute('aria-expanded')).toBe('false');
    key(trigger, 'ArrowDown');
    await tick();
    await tick();
    const items = [...document.querySelectorAll<HTMLElement>('[role=menuitem]')];
    expect(items.map((i) => i.textContent?.trim())).toEqual(['Rename', 'Delete']);
    expect(document.activeElement).toBe(items[0]);
    key(items[0]!, 'ArrowDown');
    expect(document.activeElement).toBe(items[1]);
    key(items[1]!, 'ArrowDown');
    expect(document.activeElement).toBe(items[0]);
    key(items[0]!, 'Escape');
    expect(document.querySelector('[role=menu]')).toBeNull();
    expect(document.activeElement).toBe(trigger);
    trigger.click();
    flushSync();
    document.querySelectorAll<HTMLElement>('[role=menuitem]')[1]!.click();
    flushSync();
    expect(remove).toHaveBeenCalledOnce();
    expect(rename).not.toHaveBeenCalled();
    expect(document.querySelector('[role=menu]')).toBeNull();
  });
});

describe('Dialog', () => {
  it('is labelled by its title, takes focus, keeps Tab inside, and closes on Escape', async () => {
    const opener = document.createElement('button');
    document.body.append(opener);
    opener.focus();
    const onclose = vi.fn();
    const children = createRawSnippet(() => ({ render: () => '<div><input id="a" /><button id="b">B</button></div>' }));
    app = mount(Dialog, { target: document.body, props: { title: 'Hello', onclose, children } });
    flushSync();
    await tick();
    const dialog = document.querySelector('[role=dialog]')!;
    expect(document.getElementById(dialog.getAttribute('aria-labelledby')!)?.textContent).toBe('Hello');
    expect(dialog.getAttribute('aria-modal')).toBe('true');
    expect(document.activeElement?.id).toBe('a');
    document.getElementById('b')!.focus();
    expect(key(document.getElementById('b')!, 'Tab').defaultPrevented).toBe(true);
    expect(document.activeElement?.getAttribute('aria-label')).toBe('Close'); // wrapped to the first element
    key(document.activeElement!, 'Tab', { shiftKey: true });
    expect(document.activeElement?.id).toBe('b');
    key(document.activeElement!, 'Escape');
    expect(onclose).toHaveBeenCalledOnce();
    unmount(app);
    app = undefined;
    expect(document.activeElement).toBe(opener);
  });
});

import { flushSync, mount, unmount } from 'svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import Composer from './Composer.svelte';

let app: Record<string, unknown> | undefined;
afterEach(() => {
  if (app) unmount(app);
  document.body.innerHTML = '';
});

function setup(streaming = false) {
  const onsend = vi.fn();
  const onstop = vi.fn();
  app = mount(Composer, { target: document.body, props: { streaming, onsend, onstop } });
  const box = document.querySelector('textarea')!;
  const type = (text: string) => {
    box.value = text;
    box.dispatchEvent(new Event('input', { bubbles: true }));
    flushSync();
  };
  const key = (init: KeyboardEventInit) => {
    const e = new KeyboardEvent('keydown', { bubbles: true, cancelable: true, ...init });
    box.dispatchEvent(e);
    flushSync();
    return e;
  };
  return { onsend, onstop, box, type, key };
}

describe('Composer', () => {
  it('sends on Enter and clears the box', () => {
    const { onsend, box, type, key } = setup();
    type('hello');
    const e = key({ key: 'Enter' });
    expect(e.defaultPrevented).toBe(true);
    expect(onsend).toHaveBeenCalledWith('hello');
    expect(box.value).toBe('');
  });

  it('leaves Shift+Enter to insert a new line and ignores empty text', () => {
    const { onsend, type, key } = setup();
    type('line one');
    expect(key({ key: 'Enter', shiftKey: true }).defaultPrevented).toBe(false);
    expect(onsend).not.toHaveBeenCalled();
    type('   ');
    key({ key: 'Enter' });
    expect(onsend).not.toHaveBeenCalled();
  });

  it('shows Stop instead of Send while a reply streams', () => {
    const { onsend, onstop, type, key } = setup(true);
    type('queued');
    key({ key: 'Enter' });
    expect(onsend).not.toHaveBeenCalled();
    const stop = document.querySelector<HTMLButtonElement>('button[aria-label=Stop]')!;
    stop.click();
    expect(onstop).toHaveBeenCalledOnce();
    expect(document.querySelector('textarea')?.getAttribute('id')).toBe('composer-input');
    expect(document.querySelector('label[for=composer-input]')?.textContent).toBe('Message');
  });
});

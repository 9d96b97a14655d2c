import { flushSync, mount, unmount } from 'svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import SearchBox from './SearchBox.svelte';

let app: Record<string, unknown> | undefined;
afterEach(() => {
  if (app) unmount(app);
  document.body.innerHTML = '';
  vi.unstubAllGlobals();
});

const page = {
  hits: [
    { session_id: 's1', message_id: 11, role: 'user', title: 'Trip', snippet: 'old <mark>town</mark> &lt;img src=x&gt;',
      created_at: '2026-12-07T10:00:00.000Z', score: 3, source: 'message' },
    { session_id: 's2', message_id: null, role: null, title: 'Town hall', snippet: '<mark>Town</mark> hall',
      created_at: '2026-12-06T10:00:00.000Z', score: 2, source: 'title' },
  ],
  next_cursor: null,
};

async function setup(answer: unknown = page, status = 200) {
  const fetchMock = vi.fn(async () => new Response(JSON.stringify(answer), { status, headers: { 'Content-Type': 'application/json' } }));
  vi.stubGlobal('fetch', fetchMock);
  const onopenhit = vi.fn();
  app = mount(SearchBox, { target: document.body, props: { onopenhit, delay: 0 } });
  const input = document.querySelector<HTMLInputElement>('#history-search')!;
  input.value = 'town';
  input.dispatchEvent(new Event('input', { bubbles: true }));
  await vi.waitFor(() => expect(fetchMock).toHaveBeenCalled());
  await vi.waitFor(() => {
    flushSync();
    expect(document.querySelector('[role=alert], [data-testid=search-hit]')).not.toBeNull();
  });
  const key = (k: string) => {
    input.dispatchEvent(new KeyboardEvent('keydown', { key: k, bubbles: true, cancelable: true }));
    flushSync();
  };
  return { fetchMock, onopenhit, input, key };
}

describe('SearchBox', () => {
  it('queries the search route and shows highlighted snippets as text', async () => {
    const { fetchMock } = await setup();
    expect(String((fetchMock.mock.calls[0] as unknown[])[0])).toContain('/api/search?q=town');
    const hits = document.querySelectorAll('[data-testid=search-hit]');
    expect(hits).toHaveLength(2);
    expect(hits[0]!.querySelector('mark')?.textContent).toBe('town');
    expect(hits[0]!.querySelector('img')).toBeNull();
    expect(hits[0]!.textContent).toContain('<img src=x>');
    expect(hits[1]!.textContent).toContain('Title');
  });

  it('moves with the arrow keys and opens the selected hit with Enter', async () => {
    const { onopenhit, input, key } = await setup();
    key('ArrowDown');
    key('ArrowDown');
    expect(input.getAttribute('aria-activedescendant')).toBe('search-hit-1');
    key('ArrowUp');
    key('Enter');
    expect(onopenhit).toHaveBeenCalledWith(expect.objectContaining({ session_id: 's1', message_id: 11 }));
    key('Escape');
    expect(input.value).toBe('');
    expect(document.querySelectorAll('[data-testid=search-hit]')).toHaveLength(0);
  });

  it('shows the server detail of a bad query', async () => {
    await setup({ detail: 'Unbalanced quote: a phrase needs a closing "' }, 400);
    expect(document.querySelector('[role=alert]')?.textContent).toContain('Unbalanced quote');
  });
});

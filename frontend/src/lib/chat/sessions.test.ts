import { afterEach, describe, expect, it, vi } from 'vitest';
import { SessionList } from './sessions.svelte';

const summary = (id: string) => ({ id, title: `T ${id}`, created_at: '', updated_at: '', message_count: 2, last_model: null,
  total_cost: null, active_turn_id: null });

afterEach(() => vi.unstubAllGlobals());

describe('session list', () => {
  it('pages with next_cursor, passes the filter, drops duplicates, renames and deletes', async () => {
    const calls: string[] = [];
    vi.stubGlobal('fetch', vi.fn(async (url: string, init?: RequestInit) => {
      calls.push(`${init?.method ?? 'GET'} ${url}`);
      if (init?.method === 'PATCH') return new Response(JSON.stringify({ ...summary('b'), title: 'New' }));
      if (init?.method === 'DELETE') return new Response(null, { status: 204 });
      if (url.includes('cursor=c1')) return new Response(JSON.stringify({ sessions: [summary('b'), summary('c')], next_cursor: null }));
      return new Response(JSON.stringify({ sessions: [summary('a'), summary('b')], next_cursor: 'c1' }));
    }));
    const list = new SessionList(2);
    list.filter = ' trip ';
    await list.refresh();
    expect(list.hasMore).toBe(true);
    await list.loadMore();
    expect(list.items.map((s) => s.id)).toEqual(['a', 'b', 'c']);
    expect(list.hasMore).toBe(false);
    await list.loadMore(); // nothing more to load
    expect(calls).toEqual(['GET /api/chat/sessions?limit=2&q=trip', 'GET /api/chat/sessions?limit=2&cursor=c1&q=trip']);
    await list.rename('b', 'New');
    expect(list.items[1]?.title).toBe('New');
    await list.remove('a');
    expect(list.items.map((s) => s.id)).toEqual(['b', 'c']);
  });
});

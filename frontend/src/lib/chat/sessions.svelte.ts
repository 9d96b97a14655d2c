/** The sidebar's session list: pages through `next_cursor`, filters by title, renames and deletes (frontend/README.md). */
import { deleteSession, listSessions, renameSession } from '../api/history';
import type { SessionSummary } from '../api/types';

export class SessionList {
  items = $state.raw<SessionSummary[]>([]);
  cursor = $state<string | null>(null);
  filter = $state('');
  loading = $state(false);
  error = $state<string | null>(null);
  private generation = 0;

  constructor(private readonly pageSize = 30) {}

  get hasMore(): boolean {
    return this.cursor !== null;
  }

  /** Reloads the first page (after a filter change, a send or a delete). */
  async refresh(): Promise<void> {
    const gen = ++this.generation;
    this.loading = true;
    try {
      const page = await listSessions({ limit: this.pageSize, q: this.filter.trim() || undefined });
      if (gen !== this.generation) return;
      this.items = page.sessions;
      this.cursor = page.next_cursor;
      this.error = null;
    } catch (err) {
      if (gen === this.generation) this.error = err instanceof Error ? err.message : String(err);
      throw err;
    } finally {
      if (gen === this.generation) this.loading = false;
    }
  }

  async loadMore(): Promise<void> {
    if (!this.cursor || this.loading) return;
    const gen = this.generation;
    this.loading = true;
    try {
      const page = await listSessions({ limit: this.pageSize, cursor: this.cursor, q: this.filter.trim() || undefined });
      if (gen !== this.generation) return;
      const seen = new Set(this.items.map((s) => s.id));
      this.items = [...this.items, ...page.sessions.filter((s) => !seen.has(s.id))];
      this.cursor = page.next_cursor;
    } finally {
      if (gen === this.generation) this.loading = false;
    }
  }

  async rename(id: string, title: string | null): Promise<SessionSummary> {
    const updated = await renameSession(id, title);
    this.items = this.items.map((s) => (s.id === id ? updated : s));
    return updated;
  }

  async remove(id: string): Promise<void> {
    await deleteSession(id);
    this.items = this.items.filter((s) => s.id !== id);
  }
}

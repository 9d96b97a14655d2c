/** State of the search box: debounced queries, paging, selection; stale answers are dropped. */
import { search, type SearchHit } from '../api/transfer';

export class SearchResults {
  query = $state('');
  hits = $state<SearchHit[]>([]);
  cursor = $state<string | null>(null);
  loading = $state(false);
  error = $state<string | null>(null);
  selected = $state(-1);
  private controller: AbortController | null = null;
  private generation = 0;

  get active(): boolean {
    return this.query.trim().length > 0;
  }

  async run(q: string): Promise<void> {
    this.query = q;
    this.controller?.abort();
    const mine = ++this.generation;
    this.selected = -1;
    if (!q.trim()) {
      this.hits = [];
      this.cursor = null;
      this.error = null;
      this.loading = false;
      return;
    }
    this.controller = new AbortController();
    this.loading = true;
    try {
      const page = await search(q, { signal: this.controller.signal });
      if (mine !== this.generation) return;
      this.hits = page.hits;
      this.cursor = page.next_cursor;
      this.error = null;
    } catch (err) {
      if (mine !== this.generation || (err instanceof DOMException && err.name === 'AbortError')) return;
      this.hits = [];
      this.cursor = null;
      this.error = err instanceof Error ? err.message : String(err);
    } finally {
      if (mine === this.generation) this.loading = false;
    }
  }

  async more(): Promise<void> {
    if (!this.cursor || this.loading) return;
    const mine = this.generation;
    this.loading = true;
    try {
      const page = await search(this.query, { cursor: this.cursor });
      if (mine !== this.generation) return;
      this.hits = [...this.hits, ...page.hits];
      this.cursor = page.next_cursor;
    } catch (err) {
      if (mine === this.generation) this.error = err instanceof Error ? err.message : String(err);
    } finally {
      if (mine === this.generation) this.loading = false;
    }
  }

  clear(): void {
    void this.run('');
  }
}

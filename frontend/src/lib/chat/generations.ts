/**
 * Generation details (frontend/README.md, docs/api.md §2): each hop's upstream statistics, retried after 2 s while the upstream still
 * answers 404 (OpenRouter publishes them a few seconds after a generation ends), plus the summed cost.
 */
import { ApiError } from '../api/client';
import { getGeneration } from '../api/history';

export interface GenerationStats {
  id: string;
  data: Record<string, unknown> | null;
  error: string | null;
}

export interface RetryOptions {
  delayMs?: number;
  attempts?: number;
  sleep?: (ms: number) => Promise<void>;
  fetch?: (id: string) => Promise<{ data?: Record<string, unknown> }>;
}

export async function generationWithRetry(id: string, o: RetryOptions = {}): Promise<GenerationStats> {
  const attempts = o.attempts ?? 3;
  const sleep = o.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const load = o.fetch ?? getGeneration;
  for (let i = 1; ; i++) {
    try {
      const body = await load(id);
      return { id, data: body?.data ?? (body as Record<string, unknown>) ?? null, error: null };
    } catch (err) {
      if (err instanceof ApiError && err.status === 404 && i < attempts) {
        await sleep(o.delayMs ?? 2000);
        continue;
      }
      return { id, data: null, error: err instanceof Error ? err.message : String(err) };
    }
  }
}

export function totalCost(stats: GenerationStats[]): number | null {
  const costs = stats.map((s) => s.data?.['total_cost']).filter((c): c is number => typeof c === 'number');
  return costs.length ? costs.reduce((a, b) => a + b, 0) : null;
}

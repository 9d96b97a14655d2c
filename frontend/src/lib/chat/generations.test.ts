import { describe, expect, it, vi } from 'vitest';
import { ApiError } from '../api/client';
import { generationWithRetry, totalCost } from './generations';

describe('generation details', () => {
  it('retries after a 404 with the configured delay, then returns the data', async () => {
    const fetch = vi.fn()
      .mockRejectedValueOnce(new ApiError(404, 'Generation not found'))
      .mockResolvedValueOnce({ data: { id: 'g', total_cost: 0.5 } });
    const sleep = vi.fn(async () => undefined);
    const r = await generationWithRetry('g', { fetch, sleep });
    expect(r).toEqual({ id: 'g', data: { id: 'g', total_cost: 0.5 }, error: null });
    expect(sleep).toHaveBeenCalledWith(2000);
  });

  it('gives up after the attempts and does not retry other errors', async () => {
    const always404 = vi.fn().mockRejectedValue(new ApiError(404, 'not yet'));
    expect((await generationWithRetry('g', { fetch: always404, sleep: async () => undefined, attempts: 2 })).error).toBe('not yet');
    expect(always404).toHaveBeenCalledTimes(2);
    const fails = vi.fn().mockRejectedValue(new ApiError(502, 'bad gateway'));
    expect((await generationWithRetry('g', { fetch: fails, sleep: async () => undefined })).error).toBe('bad gateway');
    expect(fails).toHaveBeenCalledTimes(1);
  });

  it('sums the known costs', () => {
    expect(totalCost([{ id: 'a', data: { total_cost: 0.25 }, error: null }, { id: 'b', data: null, error: 'x' },
      { id: 'c', data: { total_cost: 0.5 }, error: null }])).toBe(0.75);
    expect(totalCost([])).toBeNull();
  });
});

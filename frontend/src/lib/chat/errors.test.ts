import { describe, expect, it } from 'vitest';
import { humanError } from './errors';

describe('human error messages', () => {
  it('explains every status the API uses, keeping the server detail where it helps', () => {
    expect(humanError(0, 'Failed to fetch').headline).toMatch(/Cannot reach/);
    expect(humanError(404, 'Session not found', 'load').headline).toMatch(/does not exist/);
    expect(humanError(409, 'busy').headline).toMatch(/still being generated/);
    expect(humanError(413, 'Upload exceeded 20000 bytes')).toEqual({ headline: 'That is too large for the server.', detail: 'Upload exceeded 20000 bytes' });
    expect(humanError(502, 'Upstream said no', 'send').detail).toBe('Upstream said no');
    expect(humanError(503, '', 'load').headline).toMatch(/busy or unavailable/);
    expect(humanError(500, '').detail).toMatch(/500/);
    for (const status of [0, 400, 401, 403, 404, 409, 413, 415, 422, 429, 500, 502, 503, 504, 418]) {
      const e = humanError(status, 'x', 'load');
      expect(e.headline.length).toBeGreaterThan(5);
    }
  });
});

import { describe, expect, it } from 'vitest';
import type { SessionSummary } from '../api/types';
import { groupLabel, groupSessions } from './groups';

const now = new Date(2026, 11, 7, 10, 0, 0).getTime(); // local time
const at = (days: number, hour = 9) => new Date(2026, 11, 7 - days, hour, 30).toISOString();
const session = (id: string, updated: string): SessionSummary => ({
  id, title: id, created_at: updated, updated_at: updated, message_count: 2, last_model: null, total_cost: null, active_turn_id: null,
});

describe('session groups by day', () => {
  it('labels by local calendar day, not by 24-hour spans', () => {
    expect(groupLabel(new Date(2026, 11, 7, 0, 5).toISOString(), now)).toBe('Today');
    expect(groupLabel(new Date(2026, 11, 6, 23, 55).toISOString(), now)).toBe('Yesterday');
    expect(groupLabel(at(2), now)).toBe('Previous 7 days');
    expect(groupLabel(at(7), now)).toBe('Previous 7 days');
    expect(groupLabel(at(8), now)).toBe('Previous 30 days');
    expect(groupLabel(at(31), now)).toBe('Older');
    expect(groupLabel('not a date', now)).toBe('Older');
    expect(groupLabel(new Date(2026, 11, 7, 12).toISOString(), now)).toBe('Today'); // clock skew: future is today
  });

  it('keeps the server order inside each group and the groups in time order', () => {
    const groups = groupSessions([session('a', at(0)), session('b', at(0, 8)), session('c', at(1)), session('d', at(40))], now);
    expect(groups.map((g) => [g.label, g.sessions.map((s) => s.id)])).toEqual([
      ['Today', ['a', 'b']], ['Yesterday', ['c']], ['Older', ['d']],
    ]);
    expect(groupSessions([], now)).toEqual([]);
  });
});

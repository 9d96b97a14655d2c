/** The sidebar's day groups (issue 18): Today, Yesterday, Previous 7 days, Previous 30 days, then Older. */
import type { SessionSummary } from '../api/types';

export interface SessionGroup {
  label: string;
  sessions: SessionSummary[];
}

const LABELS = ['Today', 'Yesterday', 'Previous 7 days', 'Previous 30 days', 'Older'] as const;

function startOfDay(t: number): number {
  const d = new Date(t);
  d.setHours(0, 0, 0, 0);
  return d.getTime();
}

/** Which group a time falls in, by local calendar days before `now`. */
export function groupLabel(iso: string, now: number = Date.now()): string {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return 'Older';
  const today = startOfDay(now);
  const day = startOfDay(t);
  const days = Math.round((today - day) / 86_400_000); // DST days are 23 or 25 h: round, not floor
  if (days <= 0) return LABELS[0];
  if (days === 1) return LABELS[1];
  if (days <= 7) return LABELS[2];
  if (days <= 30) return LABELS[3];
  return LABELS[4];
}

/** Groups sessions (kept in the server's order, most recently updated first) by their `updated_at`. */
export function groupSessions(sessions: SessionSummary[], now: number = Date.now()): SessionGroup[] {
  const groups = new Map<string, SessionSummary[]>();
  for (const s of sessions) {
    const label = groupLabel(s.updated_at, now);
    const list = groups.get(label);
    if (list) list.push(s);
    else groups.set(label, [s]);
  }
  return LABELS.filter((l) => groups.has(l)).map((label) => ({ label, sessions: groups.get(label)! }));
}

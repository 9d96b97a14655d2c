/** Client-side routes: `/` (new chat) and `/c/<session_id>` (an open conversation; survives reload). */
const SESSION = /^\/c\/([A-Za-z0-9_-]{1,64})\/?$/;

export function sessionFromPath(path: string): string | null {
  return SESSION.exec(path)?.[1] ?? null;
}

export function pathForSession(id: string | null): string {
  return id ? `/c/${id}` : '/';
}

export function navigate(id: string | null, replace = false): void {
  const path = pathForSession(id);
  if (location.pathname === path) return;
  if (replace) history.replaceState(null, '', path);
  else history.pushState(null, '', path);
}

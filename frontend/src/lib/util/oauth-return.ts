/** Reads the outcome the OAuth callback put in the URL (docs/api.md §2.27, frontend/README.md) and the URL without those parameters. */
export interface OAuthOutcome {
  message: string;
  ok: boolean;
  cleanUrl: string;
}

const KEYS = ['auth_success', 'auth_error', 'email'];

export function oauthOutcome(href: string): OAuthOutcome | null {
  const url = new URL(href);
  const success = url.searchParams.get('auth_success');
  const error = url.searchParams.get('auth_error');
  if (success === null && error === null) return null;
  const email = url.searchParams.get('email');
  KEYS.forEach((k) => url.searchParams.delete(k));
  const cleanUrl = url.pathname + (url.search === '?' ? '' : url.search) + url.hash;
  if (error !== null) return { ok: false, message: `Google connection failed: ${error.replace(/_/g, ' ')}`, cleanUrl };
  return { ok: true, message: email ? `Google connected as ${email}` : 'Google connected', cleanUrl };
}

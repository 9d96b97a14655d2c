/**
 * Light and dark themes (issue 18): the preference is `system` (follow `prefers-color-scheme`), `light` or `dark`,
 * remembered in localStorage. The resolved theme is set as `data-theme` on <html>, which tokens.css reads.
 */
export type ThemePreference = 'system' | 'light' | 'dark';
export type Theme = 'light' | 'dark';

export const THEME_KEY = 'orchat.theme';
const DARK_QUERY = '(prefers-color-scheme: dark)';

export function parsePreference(value: string | null | undefined): ThemePreference {
  return value === 'light' || value === 'dark' ? value : 'system';
}

export function resolveTheme(pref: ThemePreference, systemDark: boolean): Theme {
  if (pref === 'system') return systemDark ? 'dark' : 'light';
  return pref;
}

export function loadPreference(storage: Pick<Storage, 'getItem'> | undefined = safeStorage()): ThemePreference {
  try {
    return parsePreference(storage?.getItem(THEME_KEY));
  } catch {
    return 'system';
  }
}

export function savePreference(pref: ThemePreference, storage: Pick<Storage, 'setItem' | 'removeItem'> | undefined = safeStorage()): void {
  try {
    if (pref === 'system') storage?.removeItem(THEME_KEY);
    else storage?.setItem(THEME_KEY, pref);
  } catch {
    // private mode: the choice lasts for this page only
  }
}

function safeStorage(): Storage | undefined {
  try {
    return typeof localStorage === 'undefined' ? undefined : localStorage;
  } catch {
    return undefined;
  }
}

function systemDark(): boolean {
  return typeof matchMedia === 'function' && matchMedia(DARK_QUERY).matches;
}

/** Sets `data-theme` and `color-scheme` on the root element; returns the theme applied. */
export function applyTheme(pref: ThemePreference, root: HTMLElement = document.documentElement, dark = systemDark()): Theme {
  const theme = resolveTheme(pref, dark);
  root.dataset['theme'] = theme;
  root.style.colorScheme = theme;
  return theme;
}

/** The app's theme state: the preference, the theme in force, and a listener for system changes. */
export class ThemeState {
  preference = $state<ThemePreference>('system');
  theme = $state<Theme>('light');

  constructor() {
    this.preference = loadPreference();
    if (typeof document !== 'undefined') this.theme = applyTheme(this.preference);
    if (typeof matchMedia === 'function') {
      matchMedia(DARK_QUERY).addEventListener?.('change', () => {
        if (this.preference === 'system') this.theme = applyTheme('system');
      });
    }
  }

  set(pref: ThemePreference): void {
    this.preference = pref;
    savePreference(pref);
    this.theme = applyTheme(pref);
  }
}

/** Browser-only preferences (frontend/README.md): whether new chats get the default preset. */
const APPLY_DEFAULT_KEY = 'presets.applyDefaultToNewChats';

export function applyDefaultToNewChats(): boolean {
  try {
    return localStorage.getItem(APPLY_DEFAULT_KEY) === 'true';
  } catch {
    return false;
  }
}

export function setApplyDefaultToNewChats(on: boolean): void {
  localStorage.setItem(APPLY_DEFAULT_KEY, String(on));
}

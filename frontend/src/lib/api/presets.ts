import { request } from './client';

export interface PresetListItem {
  name: string;
  model: string | null;
  is_default: boolean;
  created_at: string;
  updated_at: string;
}

export interface PresetConfig extends PresetListItem {
  provider: Record<string, unknown> | null;
  parameters: Record<string, unknown> | null;
  system_prompt: string | null;
  mcp_servers: { id: string; enabled: boolean; disabled_tools: string[] }[] | null;
  warnings?: string[];
}

const path = (name: string) => `/api/presets/${encodeURIComponent(name)}`;

export const listPresets = () => request<PresetListItem[]>('/api/presets');
export const defaultPreset = () => request<PresetConfig | null>('/api/presets/default');
/** Snapshot of the current model settings, system prompt and MCP enablement under a new name. */
export const createPreset = (name: string) => request<PresetConfig>('/api/presets', { method: 'POST', body: { name } });
/** Re-snapshot the current state into an existing preset ("save snapshot"). */
export const overwritePreset = (name: string) => request<PresetConfig>(path(name), { method: 'PUT', body: {} });
export const deletePreset = (name: string) => request<{ deleted: boolean }>(path(name), { method: 'DELETE' });
export const setDefaultPreset = (name: string) => request<PresetConfig>(`${path(name)}/set-default`, { method: 'POST', body: {} });
export const applyPreset = (name: string) => request<PresetConfig>(`${path(name)}/apply`, { method: 'POST', body: {} });

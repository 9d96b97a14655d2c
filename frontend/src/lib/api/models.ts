import { request } from './client';

/** A model of the enriched catalogue (docs/api.md §2.16); only the fields the UI reads are typed. */
export interface CatalogModel {
  id: string;
  name?: string;
  description?: string;
  created?: number;
  context_length?: number | null;
  input_modalities?: string[];
  output_modalities?: string[];
  supported_parameters?: string[];
  supported_parameters_normalized?: string[];
  series?: string[];
  provider_prefix?: string;
  prompt_price_per_million?: number;
  pricing?: Record<string, unknown>;
  top_provider?: { is_moderated?: boolean | null; context_length?: number | null } | null;
  supports_tools?: boolean;
  supports_reasoning?: boolean;
  [key: string]: unknown;
}

export interface ModelList {
  data: CatalogModel[];
  metadata?: { total: number; base_count: number; count: number };
}

export function listModels(): Promise<ModelList> {
  return request<ModelList>('/api/models');
}

export interface ModelSettings {
  model: string;
  provider: Record<string, unknown> | null;
  parameters: Record<string, unknown> | null;
  updated_at?: string | null;
}

export function getModelSettings(): Promise<ModelSettings> {
  return request<ModelSettings>('/api/settings/model');
}

export function putModelSettings(s: ModelSettings): Promise<ModelSettings> {
  return request<ModelSettings>('/api/settings/model', {
    method: 'PUT',
    body: { model: s.model, provider: s.provider, parameters: s.parameters },
  });
}

export function getSystemPrompt(): Promise<{ system_prompt: string | null }> {
  return request('/api/settings/system-prompt');
}

export function putSystemPrompt(systemPrompt: string | null): Promise<{ system_prompt: string | null }> {
  return request('/api/settings/system-prompt', { method: 'PUT', body: { system_prompt: systemPrompt } });
}

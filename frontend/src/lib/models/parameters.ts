/**
 * Which model-settings controls to show (SPEC §14.5, §9.1): the parameters the model advertises, plus any already
 * set; set parameters the model does not advertise are shown inactive. A model whose parameters are unknown
 * (not in the catalogue, or a generic upstream) gets every control active.
 */
import type { CatalogModel } from '../api/models';
import { parametersOf } from './filters';

export interface ParamSpec {
  key: string;
  label: string;
  kind: 'number' | 'int' | 'bool';
  min?: number;
  max?: number;
  step?: number;
}

export const PARAMS: ParamSpec[] = [
  { key: 'temperature', label: 'Temperature', kind: 'number', min: 0, max: 2, step: 0.1 },
  { key: 'top_p', label: 'Top P', kind: 'number', min: 0, max: 1, step: 0.05 },
  { key: 'top_k', label: 'Top K', kind: 'int', min: 0, step: 1 },
  { key: 'min_p', label: 'Min P', kind: 'number', min: 0, max: 1, step: 0.05 },
  { key: 'top_a', label: 'Top A', kind: 'number', min: 0, step: 0.05 },
  { key: 'max_tokens', label: 'Max tokens', kind: 'int', min: 1, step: 1 },
  { key: 'frequency_penalty', label: 'Frequency penalty', kind: 'number', min: -2, max: 2, step: 0.1 },
  { key: 'presence_penalty', label: 'Presence penalty', kind: 'number', min: -2, max: 2, step: 0.1 },
  { key: 'repetition_penalty', label: 'Repetition penalty', kind: 'number', min: 0, step: 0.05 },
  { key: 'seed', label: 'Seed', kind: 'int', step: 1 },
  { key: 'parallel_tool_calls', label: 'Parallel tool calls', kind: 'bool' },
  { key: 'structured_outputs', label: 'Structured outputs', kind: 'bool' },
];

export interface Control {
  spec: ParamSpec;
  active: boolean;
}

export function advertised(model: CatalogModel | undefined): Set<string> | null {
  if (!model) return null;
  const params = parametersOf(model);
  return params.length ? new Set(params) : null;
}

export function controlsFor(model: CatalogModel | undefined, parameters: Record<string, unknown> | null): Control[] {
  const ads = advertised(model);
  const set = parameters ?? {};
  return PARAMS.filter((p) => ads === null || ads.has(p.key) || set[p.key] !== undefined).map((spec) => ({
    spec,
    active: ads === null || ads.has(spec.key),
  }));
}

export function reasoningControl(model: CatalogModel | undefined, parameters: Record<string, unknown> | null): Control | null {
  const ads = advertised(model);
  const supported = ads === null || ads.has('reasoning') || ads.has('include_reasoning');
  if (!supported && parameters?.['reasoning'] === undefined) return null;
  return { spec: { key: 'reasoning', label: 'Reasoning', kind: 'bool' }, active: supported };
}

/** Parses a control's text into the stored value; '' clears it; invalid numbers are rejected with a message. */
export function parseValue(spec: ParamSpec, raw: string): { value: number | undefined } | { error: string } {
  if (raw.trim() === '') return { value: undefined };
  const n = Number(raw);
  if (!Number.isFinite(n)) return { error: `${spec.label} must be a number` };
  if (spec.kind === 'int' && !Number.isInteger(n)) return { error: `${spec.label} must be a whole number` };
  if (spec.min !== undefined && n < spec.min) return { error: `${spec.label} must be at least ${spec.min}` };
  if (spec.max !== undefined && n > spec.max) return { error: `${spec.label} must be at most ${spec.max}` };
  return { value: n };
}

/** Drops unset members; an empty object becomes null (SPEC §9.2 replaces the whole object). */
export function compact(obj: Record<string, unknown> | null): Record<string, unknown> | null {
  if (!obj) return null;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) {
    if (v === undefined || v === null || v === '') continue;
    if (typeof v === 'object' && !Array.isArray(v)) {
      const inner = compact(v as Record<string, unknown>);
      if (inner) out[k] = inner;
    } else if (!(Array.isArray(v) && v.length === 0)) {
      out[k] = v;
    }
  }
  return Object.keys(out).length ? out : null;
}

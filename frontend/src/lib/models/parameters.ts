/**
 * Which model-settings controls to show (frontend/README.md, docs/api.md §2.18): the parameters the model advertises, plus any already
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
  /** The provider's value when the parameter is not sent (OpenRouter's documented defaults). */
  default?: number;
  description?: string;
}

export const PARAMS: ParamSpec[] = [
  { key: 'temperature', label: 'Temperature', kind: 'number', min: 0, max: 2, step: 0.05, default: 1,
    description: 'How varied the replies are. Lower is more focused and repeatable, higher is more creative.' },
  { key: 'top_p', label: 'Top P', kind: 'number', min: 0, max: 1, step: 0.05, default: 1,
    description: 'Samples only from the most likely tokens whose probabilities add up to this share. Lower is more focused.' },
  { key: 'top_k', label: 'Top K', kind: 'int', min: 0, step: 1, default: 0,
    description: 'Samples only from this many most likely tokens at each step. 0 turns the limit off.' },
  { key: 'min_p', label: 'Min P', kind: 'number', min: 0, max: 1, step: 0.05, default: 0,
    description: 'Drops tokens less likely than this share of the most likely one.' },
  { key: 'top_a', label: 'Top A', kind: 'number', min: 0, max: 1, step: 0.05, default: 0,
    description: 'Like Min P, but scaled by the square of the top probability. 0 turns it off.' },
  { key: 'max_tokens', label: 'Max tokens', kind: 'int', min: 1, step: 1,
    description: 'The longest reply the model may write, in tokens. Unset means the model’s own limit.' },
  { key: 'frequency_penalty', label: 'Frequency penalty', kind: 'number', min: -2, max: 2, step: 0.1, default: 0,
    description: 'Discourages repeating tokens in proportion to how often they already appeared.' },
  { key: 'presence_penalty', label: 'Presence penalty', kind: 'number', min: -2, max: 2, step: 0.1, default: 0,
    description: 'Discourages tokens that appeared at all, nudging the model towards new topics.' },
  { key: 'repetition_penalty', label: 'Repetition penalty', kind: 'number', min: 0, max: 2, step: 0.05, default: 1,
    description: 'Reduces repetition of tokens from the input. 1 means no penalty.' },
  { key: 'seed', label: 'Seed', kind: 'int', step: 1,
    description: 'Asks for repeatable sampling: the same seed and parameters should give the same reply (not all models honour it).' },
  { key: 'parallel_tool_calls', label: 'Parallel tool calls', kind: 'bool',
    description: 'Whether the model may call several tools at once.' },
  { key: 'structured_outputs', label: 'Structured outputs', kind: 'bool',
    description: 'Whether the model may be asked for a reply that follows a JSON schema.' },
];

/** Whether a parameter gets a slider: a number with a bounded range. */
export function hasSlider(spec: ParamSpec): boolean {
  return spec.kind !== 'bool' && spec.min !== undefined && spec.max !== undefined;
}

/** "0 – 2", "≥ 1" or "any whole number": the allowed values, for the label. */
export function rangeText(spec: ParamSpec): string {
  if (spec.kind === 'bool') return 'on or off';
  if (spec.min !== undefined && spec.max !== undefined) return `${spec.min} – ${spec.max}`;
  if (spec.min !== undefined) return `≥ ${spec.min}`;
  return spec.kind === 'int' ? 'any whole number' : 'any number';
}

/** The value a field starts from when the user turns "use default" off. */
export function startValue(spec: ParamSpec): number {
  return spec.default ?? spec.min ?? 0;
}

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

/** Drops unset members; an empty object becomes null (docs/api.md §2.18 replaces the whole object). */
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

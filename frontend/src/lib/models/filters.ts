/**
 * Client-side model explorer filters (frontend/README.md): search, tri-state include/exclude chips on modalities, series,
 * provider and supported parameters, moderation, minimum context, maximum prompt price, and sorting. A filter
 * never excludes a model whose value for it is unknown (generic upstreams report no capabilities, §5.5).
 */
import type { CatalogModel } from '../api/models';

export type Tri = 'include' | 'exclude';
export type Chips = Record<string, Tri>;
export type SortKey = 'newest' | 'price' | 'context';

export interface ModelFilter {
  search: string;
  input: Chips;
  output: Chips;
  series: Chips;
  provider: Chips;
  parameters: Chips;
  moderation: 'any' | 'moderated' | 'unmoderated';
  minContext: number | null;
  /** USD per million prompt tokens. */
  maxPromptPrice: number | null;
  sort: SortKey;
}

export function emptyFilter(): ModelFilter {
  return { search: '', input: {}, output: {}, series: {}, provider: {}, parameters: {}, moderation: 'any',
    minContext: null, maxPromptPrice: null, sort: 'newest' };
}

/** none → include → exclude → none. */
export function cycle(chips: Chips, value: string): Chips {
  const next = { ...chips };
  const state = chips[value];
  if (state === undefined) next[value] = 'include';
  else if (state === 'include') next[value] = 'exclude';
  else delete next[value];
  return next;
}

const lower = (xs: readonly unknown[] | undefined): string[] =>
  (xs ?? []).filter((x): x is string => typeof x === 'string').map((x) => x.trim().toLowerCase());

export function providerOf(m: CatalogModel): string {
  return (m.provider_prefix ?? m.id.split('/')[0] ?? m.id).toLowerCase();
}

export function parametersOf(m: CatalogModel): string[] {
  return m.supported_parameters_normalized ? lower(m.supported_parameters_normalized) : lower(m.supported_parameters);
}

export function promptPrice(m: CatalogModel): number | null {
  if (typeof m.prompt_price_per_million === 'number') return m.prompt_price_per_million;
  const raw = m.pricing?.['prompt'];
  const n = typeof raw === 'number' ? raw : typeof raw === 'string' ? Number(raw) : NaN;
  return Number.isFinite(n) ? n * 1_000_000 : null;
}

export function contextOf(m: CatalogModel): number | null {
  const c = m.context_length ?? m.top_provider?.context_length;
  return typeof c === 'number' && Number.isFinite(c) ? c : null;
}

/** Set-valued capability: every included value present, no excluded one; unknown (empty) passes. */
function matchesAll(values: string[], chips: Chips): boolean {
  if (values.length === 0) return true;
  return Object.entries(chips).every(([v, s]) => (s === 'include' ? values.includes(v) : !values.includes(v)));
}

/** Category: one of the included values if any are included, none of the excluded ones. */
function matchesAny(values: string[], chips: Chips): boolean {
  const entries = Object.entries(chips);
  const includes = entries.filter(([, s]) => s === 'include').map(([v]) => v);
  if (includes.length > 0 && !includes.some((v) => values.includes(v))) return false;
  return entries.every(([v, s]) => s === 'include' || !values.includes(v));
}

function searchable(m: CatalogModel): string {
  return [m.id, m.name, m.description, ...(m.series ?? [])].filter(Boolean).join(' ').toLowerCase();
}

export function matches(m: CatalogModel, f: ModelFilter): boolean {
  const tokens = f.search.toLowerCase().split(/\s+/).filter(Boolean);
  if (tokens.length) {
    const text = searchable(m);
    if (!tokens.every((t) => text.includes(t))) return false;
  }
  if (!matchesAll(lower(m.input_modalities), f.input)) return false;
  if (!matchesAll(lower(m.output_modalities), f.output)) return false;
  if (!matchesAll(parametersOf(m), f.parameters)) return false;
  if (!matchesAny(lower(m.series), f.series)) return false;
  if (!matchesAny([providerOf(m)], f.provider)) return false;
  const moderated = m.top_provider?.is_moderated;
  if (f.moderation !== 'any' && typeof moderated === 'boolean' && moderated !== (f.moderation === 'moderated')) return false;
  const ctx = contextOf(m);
  if (f.minContext !== null && ctx !== null && ctx < f.minContext) return false;
  const price = promptPrice(m);
  if (f.maxPromptPrice !== null && price !== null && price > f.maxPromptPrice) return false;
  return true;
}

function compareNullable(a: number | null, b: number | null, dir: 1 | -1): number {
  if (a === null && b === null) return 0;
  if (a === null) return 1; // unknown last
  if (b === null) return -1;
  return (a - b) * dir;
}

export function sortModels(models: CatalogModel[], key: SortKey): CatalogModel[] {
  const copy = [...models];
  const by = {
    newest: (a: CatalogModel, b: CatalogModel) => compareNullable(a.created ?? null, b.created ?? null, -1),
    price: (a: CatalogModel, b: CatalogModel) => compareNullable(promptPrice(a), promptPrice(b), 1),
    context: (a: CatalogModel, b: CatalogModel) => compareNullable(contextOf(a), contextOf(b), -1),
  }[key];
  return copy.sort((a, b) => by(a, b) || a.id.localeCompare(b.id));
}

export function applyFilter(models: CatalogModel[], f: ModelFilter): CatalogModel[] {
  return sortModels(models.filter((m) => matches(m, f)), f.sort);
}

export interface Facets {
  input: string[];
  output: string[];
  series: string[];
  provider: string[];
  parameters: string[];
}

export function facets(models: CatalogModel[]): Facets {
  const collect = (f: (m: CatalogModel) => string[]) => [...new Set(models.flatMap(f))].sort();
  return {
    input: collect((m) => lower(m.input_modalities)),
    output: collect((m) => lower(m.output_modalities)),
    series: collect((m) => lower(m.series).filter((s) => s !== 'other' && !s.includes('/'))),
    provider: collect((m) => [providerOf(m)]),
    parameters: collect(parametersOf),
  };
}

/** The picker always lists the selected model, even when the catalogue lacks it (frontend/README.md). */
export function withSelected(models: CatalogModel[], selected: string | null): CatalogModel[] {
  if (!selected || models.some((m) => m.id === selected)) return models;
  return [{ id: selected, name: selected }, ...models];
}

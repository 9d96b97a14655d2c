import { describe, expect, it } from 'vitest';
import type { CatalogModel } from '../api/models';
import { applyFilter, cycle, emptyFilter, facets, matches, sortModels, withSelected, type ModelFilter } from './filters';

const gpt: CatalogModel = { id: 'openai/gpt-4o', name: 'GPT-4o', created: 300, context_length: 128000,
  input_modalities: ['image', 'text'], output_modalities: ['text'], supported_parameters_normalized: ['tools', 'temperature'],
  series: ['GPT', 'openai', 'Other'], provider_prefix: 'openai', prompt_price_per_million: 2.5, top_provider: { is_moderated: true } };
const claude: CatalogModel = { id: 'anthropic/claude-3', name: 'Claude 3', created: 200, context_length: 200000,
  input_modalities: ['text', 'image', 'file'], output_modalities: ['text'], supported_parameters_normalized: ['tools', 'reasoning'],
  series: ['Claude', 'anthropic'], provider_prefix: 'anthropic', prompt_price_per_million: 3, top_provider: { is_moderated: false } };
const llama: CatalogModel = { id: 'meta-llama/llama-3-8b', name: 'Llama 3 8B', created: 100, context_length: 8192,
  input_modalities: ['text'], output_modalities: ['text'], supported_parameters_normalized: ['temperature'],
  series: ['Llama'], provider_prefix: 'meta-llama', prompt_price_per_million: 0.05, top_provider: { is_moderated: false } };
/** A generic upstream's model: nothing known (docs/api.md §2.16). */
const bare: CatalogModel = { id: 'local-model' };
const all = [llama, bare, gpt, claude];
const f = (patch: Partial<ModelFilter>): ModelFilter => ({ ...emptyFilter(), ...patch });
const ids = (ms: CatalogModel[]) => ms.map((m) => m.id);

describe('model filters', () => {
  it('searches every token in id, name and series', () => {
    expect(ids(applyFilter(all, f({ search: 'GPT 4o' })))).toEqual(['openai/gpt-4o']);
    expect(ids(applyFilter(all, f({ search: 'llama 8b' })))).toEqual(['meta-llama/llama-3-8b']);
  });

  it('includes and excludes modalities, keeping models with unknown capabilities', () => {
    expect(ids(applyFilter(all, f({ input: { image: 'include' } })))).toEqual(['openai/gpt-4o', 'anthropic/claude-3', 'local-model']);
    expect(ids(applyFilter(all, f({ input: { image: 'include', file: 'include' } })))).toEqual(['anthropic/claude-3', 'local-model']);
    expect(ids(applyFilter(all, f({ input: { image: 'exclude' } })))).toEqual(['meta-llama/llama-3-8b', 'local-model']);
  });

  it('filters supported parameters, series and provider', () => {
    expect(ids(applyFilter(all, f({ parameters: { tools: 'include', reasoning: 'exclude' } })))).toEqual(['openai/gpt-4o', 'local-model']);
    expect(ids(applyFilter(all, f({ series: { claude: 'include', gpt: 'include' } })))).toEqual(['openai/gpt-4o', 'anthropic/claude-3']);
    expect(ids(applyFilter(all, f({ provider: { openai: 'exclude' } })))).toEqual(['anthropic/claude-3', 'meta-llama/llama-3-8b', 'local-model']);
    expect(matches(bare, f({ provider: { openai: 'include' } }))).toBe(false);
  });

  it('filters moderation, minimum context and maximum prompt price; unknown values pass', () => {
    expect(ids(applyFilter(all, f({ moderation: 'moderated' })))).toEqual(['openai/gpt-4o', 'local-model']);
    expect(ids(applyFilter(all, f({ minContext: 100000 })))).toEqual(['openai/gpt-4o', 'anthropic/claude-3', 'local-model']);
    expect(ids(applyFilter(all, f({ maxPromptPrice: 2.5 })))).toEqual(['openai/gpt-4o', 'meta-llama/llama-3-8b', 'local-model']);
    expect(matches({ id: 'x', pricing: { prompt: '0.000010' } }, f({ maxPromptPrice: 5 }))).toBe(false);
  });

  it('sorts by newest, lowest price or longest context with unknowns last', () => {
    expect(ids(sortModels(all, 'newest'))).toEqual(['openai/gpt-4o', 'anthropic/claude-3', 'meta-llama/llama-3-8b', 'local-model']);
    expect(ids(sortModels(all, 'price'))).toEqual(['meta-llama/llama-3-8b', 'openai/gpt-4o', 'anthropic/claude-3', 'local-model']);
    expect(ids(sortModels(all, 'context'))).toEqual(['anthropic/claude-3', 'openai/gpt-4o', 'meta-llama/llama-3-8b', 'local-model']);
  });

  it('cycles chips through include, exclude and off', () => {
    let chips = cycle({}, 'image');
    expect(chips).toEqual({ image: 'include' });
    chips = cycle(chips, 'image');
    expect(chips).toEqual({ image: 'exclude' });
    expect(cycle(chips, 'image')).toEqual({});
  });

  it('collects facets and always lists the selected model', () => {
    const fa = facets(all);
    expect(fa.input).toEqual(['file', 'image', 'text']);
    expect(fa.provider).toEqual(['anthropic', 'local-model', 'meta-llama', 'openai']);
    expect(fa.series).toContain('claude');
    expect(fa.series).not.toContain('other');
    expect(ids(withSelected([gpt], 'custom/model'))).toEqual(['custom/model', 'openai/gpt-4o']);
    expect(withSelected([gpt], 'openai/gpt-4o')).toHaveLength(1);
  });
});

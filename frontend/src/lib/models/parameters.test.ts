import { describe, expect, it } from 'vitest';
import { compact, controlsFor, parseValue, PARAMS, reasoningControl } from './parameters';

const model = { id: 'a/b', supported_parameters_normalized: ['temperature', 'max_tokens', 'reasoning'] };

describe('model settings controls', () => {
  it('shows advertised parameters plus set ones, the latter inactive', () => {
    const controls = controlsFor(model, { top_k: 5 });
    expect(controls.map((c) => [c.spec.key, c.active])).toEqual([
      ['temperature', true], ['top_k', false], ['max_tokens', true],
    ]);
  });

  it('shows every control for a model with unknown parameters', () => {
    expect(controlsFor({ id: 'x' }, null)).toHaveLength(PARAMS.length);
    expect(controlsFor(undefined, null).every((c) => c.active)).toBe(true);
  });

  it('offers the reasoning section only when advertised or set', () => {
    expect(reasoningControl(model, null)?.active).toBe(true);
    expect(reasoningControl({ id: 'y', supported_parameters: ['tools'] }, null)).toBeNull();
    expect(reasoningControl({ id: 'y', supported_parameters: ['tools'] }, { reasoning: { effort: 'low' } })?.active).toBe(false);
  });

  it('validates values against the ranges of docs/api.md §2.18', () => {
    const temperature = PARAMS[0]!;
    expect(parseValue(temperature, '0.7')).toEqual({ value: 0.7 });
    expect(parseValue(temperature, '')).toEqual({ value: undefined });
    expect(parseValue(temperature, '3')).toEqual({ error: 'Temperature must be at most 2' });
    expect(parseValue(PARAMS.find((p) => p.key === 'max_tokens')!, '1.5')).toEqual({ error: 'Max tokens must be a whole number' });
  });

  it('compacts empty members to null', () => {
    expect(compact({ temperature: undefined, reasoning: { effort: '' } })).toBeNull();
    expect(compact({ temperature: 0, order: [], reasoning: { enabled: true } })).toEqual({ temperature: 0, reasoning: { enabled: true } });
  });
});

describe('parameter descriptions and sliders', () => {
  it('describes every parameter; bounded numbers get a slider and a range', async () => {
    const { PARAMS, hasSlider, rangeText, startValue } = await import('./parameters');
    for (const p of PARAMS) expect(p.description?.length ?? 0).toBeGreaterThan(10);
    const t = PARAMS.find((p) => p.key === 'temperature')!;
    expect(hasSlider(t)).toBe(true);
    expect(rangeText(t)).toBe('0 – 2');
    expect(startValue(t)).toBe(1);
    const m = PARAMS.find((p) => p.key === 'max_tokens')!;
    expect(hasSlider(m)).toBe(false);
    expect(rangeText(m)).toBe('≥ 1');
    expect(startValue(m)).toBe(1);
    expect(rangeText(PARAMS.find((p) => p.key === 'seed')!)).toBe('any whole number');
  });
});

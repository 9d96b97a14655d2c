import { describe, expect, it } from 'vitest';
import type { ElicitationSchema } from '../api/types';
import { fieldsOf, initialValues, serverErrors, toContent } from './elicitation';

const schema: ElicitationSchema = {
  type: 'object',
  properties: {
    name: { type: 'string', title: 'Name' },
    email: { type: 'string', format: 'email' },
    count: { type: 'integer', minimum: 1, maximum: 10, default: 3 },
    ratio: { type: 'number' },
    ok: { type: 'boolean', default: true },
    color: { type: 'string', enum: ['red', 'blue'], enumNames: ['Red', 'Blue'] },
    hero: { type: 'string', oneOf: [{ const: 'h1', title: 'Superman' }] },
    tags: { type: 'array', items: { enum: ['a', 'b'] }, minItems: 1 },
  },
  required: ['name', 'tags'],
};

describe('elicitation form', () => {
  it('has one field per property with its kind, label, options and required flag', () => {
    const fields = fieldsOf(schema);
    expect(fields.map((f) => [f.name, f.kind])).toEqual([
      ['name', 'text'], ['email', 'text'], ['count', 'integer'], ['ratio', 'number'], ['ok', 'boolean'],
      ['color', 'select'], ['hero', 'select'], ['tags', 'multiselect'],
    ]);
    expect(fields[0]).toMatchObject({ label: 'Name', required: true });
    expect(fields[1]?.inputType).toBe('email');
    expect(fields[2]).toMatchObject({ min: 1, max: 10 });
    expect(fields[5]?.options).toEqual([{ value: 'red', label: 'Red' }, { value: 'blue', label: 'Blue' }]);
    expect(fields[6]?.options).toEqual([{ value: 'h1', label: 'Superman' }]);
  });

  it('starts from the defaults', () => {
    expect(initialValues(schema)).toEqual({ name: '', email: '', count: '3', ratio: '', ok: true, color: '', hero: '', tags: [] });
  });

  it('builds typed content and reports required fields and bad numbers', () => {
    const fields = fieldsOf(schema);
    const bad = toContent(fields, { ...initialValues(schema), count: '2.5' });
    expect(bad.errors).toEqual({ name: 'Required.', tags: 'Choose at least one.', count: 'Enter a whole number.' });
    // A number input bound by Svelte holds a number, or null when it is emptied.
    const good = toContent(fields, { ...initialValues(schema), name: ' Ada ', ratio: 0.5, color: 'blue', tags: ['a'] });
    expect(toContent(fields, { ...initialValues(schema), name: 'x', tags: ['a'], count: null }).content.count).toBeUndefined();
    expect(good.errors).toEqual({});
    expect(good.content).toEqual({ name: 'Ada', count: 3, ratio: 0.5, ok: true, color: 'blue', tags: ['a'] });
  });

  it('reads the service field errors by field name', () => {
    const body = { detail: [{ loc: ['body', 'content', 'count'], msg: 'Input should be less than or equal to 10', type: 'value_error' }] };
    expect(serverErrors(body)).toEqual({ count: 'Input should be less than or equal to 10' });
    expect(serverErrors({ detail: 'x' })).toEqual({});
  });
});

/**
 * The form of an MCP elicitation (docs/api.md §3.7): one field per property of the flat `requested_schema`
 * (string, number, integer, boolean, enum, multi-select enum; required fields), the initial values from the
 * schema's defaults, and the content to send. The service validates the content again (422 with field errors).
 */
import type { ElicitationProperty, ElicitationSchema } from '../api/types';

export type FieldKind = 'text' | 'number' | 'integer' | 'boolean' | 'select' | 'multiselect';

export interface FormField {
  name: string;
  label: string;
  description?: string;
  kind: FieldKind;
  required: boolean;
  /** The HTML input type of a text field (email, url, date, …). */
  inputType: string;
  options: { value: string; label: string }[];
  min?: number;
  max?: number;
}

/** A field's value as the form holds it (a number input bound by Svelte gives a number, or null when empty). */
export type FieldValue = string | number | boolean | string[] | null;

const INPUT_TYPES: Record<string, string> = { email: 'email', uri: 'url', date: 'date', 'date-time': 'datetime-local' };

function options(p: ElicitationProperty): { value: string; label: string }[] {
  if (p.oneOf) return p.oneOf.map((o) => ({ value: o.const, label: o.title ?? o.const }));
  if (p.enum) return p.enum.map((v, i) => ({ value: v, label: p.enumNames?.[i] ?? v }));
  if (p.items?.anyOf) return p.items.anyOf.map((o) => ({ value: o.const, label: o.title ?? o.const }));
  if (p.items?.enum) return p.items.enum.map((v) => ({ value: v, label: v }));
  return [];
}

function kindOf(p: ElicitationProperty): FieldKind {
  if (p.type === 'array') return 'multiselect';
  if (p.type === 'boolean') return 'boolean';
  if (p.type === 'number') return 'number';
  if (p.type === 'integer') return 'integer';
  return p.enum || p.oneOf ? 'select' : 'text';
}

export function fieldsOf(schema: ElicitationSchema | undefined): FormField[] {
  const required = new Set(schema?.required ?? []);
  return Object.entries(schema?.properties ?? {}).map(([name, p]) => {
    const kind = kindOf(p);
    const min = p.type === 'array' ? p.minItems : p.minimum;
    const max = p.type === 'array' ? p.maxItems : p.maximum;
    return {
      name,
      label: p.title ?? name,
      ...(p.description ? { description: p.description } : {}),
      kind,
      required: required.has(name),
      inputType: kind === 'text' ? (INPUT_TYPES[p.format ?? ''] ?? 'text') : 'text',
      options: options(p),
      ...(min !== undefined ? { min } : {}),
      ...(max !== undefined ? { max } : {}),
    };
  });
}

/** The form's first values: each property's default, else empty (a boolean: false). */
export function initialValues(schema: ElicitationSchema | undefined): Record<string, FieldValue> {
  const out: Record<string, FieldValue> = {};
  for (const [name, p] of Object.entries(schema?.properties ?? {})) {
    const kind = kindOf(p);
    if (kind === 'boolean') out[name] = p.default === true;
    else if (kind === 'multiselect') out[name] = Array.isArray(p.default) ? p.default.map(String) : [];
    else out[name] = p.default === undefined || p.default === null ? '' : String(p.default);
  }
  return out;
}

/**
 * The content to send, or the problems found here first (required fields, numbers that do not parse). Empty optional
 * fields are left out; a boolean is always sent.
 */
export function toContent(
  fields: FormField[],
  values: Record<string, FieldValue>,
): { content: Record<string, unknown>; errors: Record<string, string> } {
  const content: Record<string, unknown> = {};
  const errors: Record<string, string> = {};
  for (const f of fields) {
    const v = values[f.name];
    if (f.kind === 'boolean') {
      content[f.name] = v === true;
      continue;
    }
    if (f.kind === 'multiselect') {
      const list = Array.isArray(v) ? v : [];
      if (list.length) content[f.name] = list;
      else if (f.required) errors[f.name] = 'Choose at least one.';
      continue;
    }
    const text = typeof v === 'number' ? String(v) : typeof v === 'string' ? v.trim() : '';
    if (!text) {
      if (f.required) errors[f.name] = 'Required.';
      continue;
    }
    if (f.kind === 'number' || f.kind === 'integer') {
      const n = Number(text);
      if (!Number.isFinite(n) || (f.kind === 'integer' && !Number.isInteger(n))) {
        errors[f.name] = f.kind === 'integer' ? 'Enter a whole number.' : 'Enter a number.';
      } else {
        content[f.name] = n;
      }
      continue;
    }
    content[f.name] = f.inputType === 'datetime-local' ? new Date(text).toISOString() : text;
  }
  return { content, errors };
}

/** The service's 422 field errors (`loc: ["body", "content", <field>]`) by field name. */
export function serverErrors(body: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  const detail = (body as { detail?: unknown } | undefined)?.detail;
  if (!Array.isArray(detail)) return out;
  for (const d of detail as { loc?: unknown[]; msg?: string }[]) {
    const field = d.loc?.[2];
    if (typeof field === 'string' && d.msg) out[field] = d.msg;
  }
  return out;
}

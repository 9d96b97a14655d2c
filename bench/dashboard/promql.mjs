// A small PromQL evaluator for the subset docs/grafana/orchat.json uses, over samples scraped from /prometheus:
// selectors with = != =~ !~ matchers (also on __name__), rate() and increase() over a range, sum/max/min/avg with
// "by (...)", and histogram_quantile(). It follows Prometheus' rules where they matter for the picture: counter
// resets in rate/increase, classic-histogram interpolation, label removal by aggregations and functions. Not
// implemented: extrapolation at range edges (a rate here is (last - first) / (t_last - t_first) of the samples in the
// window), offset, binary operators, other functions.

/** Parses one line of the Prometheus text format into {name, labels, value}, or null for comments/blank lines. */
export function parseSampleLine(line) {
  if (!line || line.startsWith('#')) return null;
  const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})?\s+(\S+)/.exec(line);
  if (!m) return null;
  const labels = {};
  if (m[3]) {
    const re = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"\s*,?/g;
    let l;
    while ((l = re.exec(m[3])) !== null) {
      labels[l[1]] = l[2].replace(/\\n/g, '\n').replace(/\\"/g, '"').replace(/\\\\/g, '\\');
    }
  }
  const raw = m[4];
  const value = raw === '+Inf' ? Infinity : raw === '-Inf' ? -Infinity : Number(raw);
  return { name: m[1], labels, value };
}

/** Scrapes: [{t: seconds, samples: [{name, labels, value}]}], oldest first. */
export class Store {
  constructor(scrapes) {
    this.scrapes = scrapes;
    // series key -> {name, labels, points: [[t, v]]}
    this.series = new Map();
    for (const s of scrapes) {
      for (const smp of s.samples) {
        const key = smp.name + JSON.stringify(sortObj(smp.labels));
        let entry = this.series.get(key);
        if (!entry) {
          entry = { name: smp.name, labels: smp.labels, points: [] };
          this.series.set(key, entry);
        }
        entry.points.push([s.t, smp.value]);
      }
    }
  }
}

function sortObj(o) {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : 1)));
}

// ---- parser -------------------------------------------------------------------------------------------------------

function tokenize(src) {
  const tokens = [];
  const re = /\s*(?:(\d+(?:\.\d+)?(?:[smhd])?)|([a-zA-Z_:][a-zA-Z0-9_:]*)|("(?:[^"\\]|\\.)*")|(=~|!~|!=|=|[(){}\[\],]))/y;
  let pos = 0;
  while (pos < src.length) {
    if (/^\s*$/.test(src.slice(pos))) break;
    re.lastIndex = pos;
    const m = re.exec(src);
    if (!m) throw new Error('cannot parse PromQL at: ' + src.slice(pos));
    pos = re.lastIndex;
    if (m[1] !== undefined) tokens.push({ t: 'num', v: m[1] });
    else if (m[2] !== undefined) tokens.push({ t: 'id', v: m[2] });
    else if (m[3] !== undefined) tokens.push({ t: 'str', v: JSON.parse(m[3]) });
    else tokens.push({ t: 'op', v: m[4] });
  }
  return tokens;
}

const AGGREGATIONS = new Set(['sum', 'max', 'min', 'avg']);

export function parse(src) {
  const tokens = tokenize(src);
  let i = 0;
  const peek = () => tokens[i];
  const next = () => tokens[i++];
  const expect = (v) => {
    const tok = next();
    if (!tok || tok.v !== v) throw new Error(`expected ${v} in ${src}`);
  };
  const labelList = () => {
    expect('(');
    const names = [];
    while (peek().v !== ')') {
      names.push(next().v);
      if (peek().v === ',') next();
    }
    expect(')');
    return names;
  };
  const selector = (name) => {
    const matchers = [];
    if (name) matchers.push({ label: '__name__', op: '=', value: name });
    if (peek() && peek().v === '{') {
      next();
      while (peek().v !== '}') {
        const label = next().v;
        const op = next().v;
        const value = next().v;
        matchers.push({ label, op, value });
        if (peek().v === ',') next();
      }
      expect('}');
    }
    let range = null;
    if (peek() && peek().v === '[') {
      next();
      range = duration(next().v);
      expect(']');
    }
    return { kind: 'selector', matchers, range };
  };
  const expr = () => {
    const tok = next();
    if (tok.t === 'num') return { kind: 'number', value: Number(tok.v) };
    if (tok.t === 'op' && tok.v === '{') {
      i--;
      return selector(null);
    }
    if (tok.t !== 'id') throw new Error('unexpected ' + tok.v + ' in ' + src);
    if (AGGREGATIONS.has(tok.v)) {
      let by = null;
      if (peek().v === 'by') {
        next();
        by = labelList();
      }
      expect('(');
      const arg = expr();
      expect(')');
      if (by === null && peek() && peek().v === 'by') {
        next();
        by = labelList();
      }
      return { kind: 'agg', op: tok.v, by, arg };
    }
    if (peek() && peek().v === '(' && ['rate', 'increase', 'histogram_quantile'].includes(tok.v)) {
      next();
      const args = [expr()];
      while (peek().v === ',') {
        next();
        args.push(expr());
      }
      expect(')');
      return { kind: 'call', fn: tok.v, args };
    }
    return selector(tok.v);
  };
  const result = expr();
  if (i !== tokens.length) throw new Error('trailing input in ' + src);
  return result;
}

export function duration(text) {
  const m = /^(\d+(?:\.\d+)?)([smhd])$/.exec(text);
  if (!m) throw new Error('bad duration ' + text);
  return Number(m[1]) * { s: 1, m: 60, h: 3600, d: 86400 }[m[2]];
}

// ---- evaluation ---------------------------------------------------------------------------------------------------

function matches(series, matchers) {
  for (const { label, op, value } of matchers) {
    const actual = label === '__name__' ? series.name : series.labels[label] ?? '';
    const re = op === '=~' || op === '!~' ? new RegExp('^(?:' + value + ')$') : null;
    const ok = op === '=' ? actual === value : op === '!=' ? actual !== value : op === '=~' ? re.test(actual)
      : !re.test(actual);
    if (!ok) return false;
  }
  return true;
}

/** Value of a series at time t: its latest point within 5 minutes (Prometheus' lookback), else undefined. */
function at(points, t) {
  let v;
  for (const [pt, pv] of points) {
    if (pt > t) break;
    if (t - pt <= 300) v = pv;
  }
  return v;
}

function increaseOver(points, t, range) {
  const window = points.filter(([pt]) => pt <= t && pt >= t - range);
  if (window.length < 2) return undefined;
  let total = 0;
  for (let k = 1; k < window.length; k++) {
    const d = window[k][1] - window[k - 1][1];
    total += d >= 0 ? d : window[k][1]; // a counter reset: the new value counts from zero
  }
  return { total, span: window[window.length - 1][0] - window[0][0] };
}

/** Evaluates at time t: an array of {labels (with __name__ while a selector's), value}. */
export function evaluate(node, store, t) {
  switch (node.kind) {
    case 'number':
      return [{ labels: {}, value: node.value }];
    case 'selector': {
      const out = [];
      for (const s of store.series.values()) {
        if (!matches(s, node.matchers)) continue;
        const v = at(s.points, t);
        if (v !== undefined) out.push({ labels: { __name__: s.name, ...s.labels }, value: v });
      }
      return out;
    }
    case 'call': {
      if (node.fn === 'histogram_quantile') {
        const q = evaluate(node.args[0], store, t)[0].value;
        return quantile(q, evaluate(node.args[1], store, t));
      }
      const sel = node.args[0];
      if (sel.kind !== 'selector' || sel.range === null) throw new Error(node.fn + ' needs a range selector');
      const out = [];
      for (const s of store.series.values()) {
        if (!matches(s, sel.matchers)) continue;
        const inc = increaseOver(s.points, t, sel.range);
        if (inc === undefined || inc.span <= 0) continue;
        const value = node.fn === 'rate' ? inc.total / inc.span : inc.total;
        out.push({ labels: { ...s.labels }, value }); // functions drop the metric name
      }
      return out;
    }
    case 'agg': {
      const groups = new Map();
      for (const el of evaluate(node.arg, store, t)) {
        const labels = {};
        for (const l of node.by ?? []) if (el.labels[l] !== undefined) labels[l] = el.labels[l];
        const key = JSON.stringify(sortObj(labels));
        if (!groups.has(key)) groups.set(key, { labels, values: [] });
        groups.get(key).values.push(el.value);
      }
      const out = [];
      for (const { labels, values } of groups.values()) {
        const value = node.op === 'sum' ? values.reduce((a, b) => a + b, 0)
          : node.op === 'max' ? Math.max(...values)
          : node.op === 'min' ? Math.min(...values)
          : values.reduce((a, b) => a + b, 0) / values.length;
        out.push({ labels, value });
      }
      return out;
    }
    default:
      throw new Error('cannot evaluate ' + node.kind);
  }
}

/** Prometheus' histogram_quantile over classic buckets (grouped by every label but le). */
function quantile(q, buckets) {
  const groups = new Map();
  for (const b of buckets) {
    const { le, ...rest } = b.labels;
    if (le === undefined) continue;
    const key = JSON.stringify(sortObj(rest));
    if (!groups.has(key)) groups.set(key, { labels: rest, buckets: [] });
    groups.get(key).buckets.push([le === '+Inf' ? Infinity : Number(le), b.value]);
  }
  const out = [];
  for (const { labels, buckets: bs } of groups.values()) {
    bs.sort((a, b) => a[0] - b[0]);
    const total = bs[bs.length - 1][1];
    if (!(total > 0) || bs[bs.length - 1][0] !== Infinity) continue;
    const rank = q * total;
    let k = bs.findIndex(([, c]) => c >= rank);
    let value;
    if (k === bs.length - 1) value = bs.length > 1 ? bs[bs.length - 2][0] : NaN;
    else {
      const [upper, count] = bs[k];
      const [lower, below] = k === 0 ? [0, 0] : bs[k - 1];
      value = count === below ? upper : lower + (upper - lower) * ((rank - below) / (count - below));
    }
    if (!Number.isNaN(value)) out.push({ labels, value });
  }
  return out;
}

/** Grafana's {{label}} legend templates. */
export function legend(format, labels) {
  if (!format) return JSON.stringify(labels);
  return format.replace(/\{\{\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*\}\}/g, (_, l) => labels[l] ?? '');
}

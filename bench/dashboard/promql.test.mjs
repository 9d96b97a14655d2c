// node --test bench/dashboard/: the PromQL subset render.mjs relies on, against values worked out by hand.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { test } from 'node:test';
import { Store, evaluate, legend, parse, parseSampleLine } from './promql.mjs';

const scrape = (t, lines) => ({ t, samples: lines.map(parseSampleLine) });
const value = (expr, store, t) => evaluate(parse(expr), store, t).map((e) => [e.labels, e.value]);

test('every query of the dashboard parses', () => {
  const dashboard = JSON.parse(fs.readFileSync(new URL('../../docs/grafana/orchat.json', import.meta.url)));
  for (const panel of dashboard.panels) {
    for (const target of panel.targets) parse(target.expr.replaceAll('$__rate_interval', '8s'));
  }
});

test('rate and increase follow counter resets and ignore samples outside the window', () => {
  const store = new Store([
    scrape(0, ['c_total{s="a"} 100']), scrape(2, ['c_total{s="a"} 10']), scrape(4, ['c_total{s="a"} 30']),
    scrape(6, ['c_total{s="a"} 50']),
  ]);
  assert.deepEqual(value('sum(rate(c_total[4s]))', store, 6), [[{}, 10]]); // samples at 2..6: (20 + 20) / 4 s
  // 100 -> 10 is a reset: the 10 counts from zero, then +20 and +20.
  assert.deepEqual(value('increase(c_total[10s])', store, 6), [[{ s: 'a' }, 50]]);
});

test('histogram_quantile interpolates within a bucket and falls back to the second-highest bound', () => {
  const at = (t, k) => scrape(t, [`h_bucket{le="0.1",m="x"} ${50 * k}`, `h_bucket{le="1",m="x"} ${90 * k}`,
    `h_bucket{le="+Inf",m="x"} ${100 * k}`]);
  const store = new Store([at(0, 0), at(10, 1)]);
  const q = (p) => value(`histogram_quantile(${p}, sum by (le, m) (rate(h_bucket[20s])))`, store, 10)[0][1];
  assert.equal(q(0.25), 0.05);
  assert.ok(Math.abs(q(0.7) - 0.55) < 1e-12);
  assert.equal(q(0.95), 1);
});

test('aggregations group by the listed labels; a __name__ regex selects across metrics', () => {
  const store = new Store([scrape(0, ['a_seconds{quantile="0.99",x="1"} 3', 'b_seconds{quantile="0.99"} 5',
    'b_seconds{quantile="0.5"} 1', 'c_other 9'])]);
  assert.deepEqual(value('max by (__name__) ({__name__=~"(a|b)_seconds", quantile="0.99"})', store, 0),
    [[{ __name__: 'a_seconds' }, 3], [{ __name__: 'b_seconds' }, 5]]);
  assert.deepEqual(value('sum(b_seconds)', store, 0), [[{}, 6]]);
  assert.equal(legend('p95 {{m}} {{missing}}', { m: 'gpt' }), 'p95 gpt ');
});

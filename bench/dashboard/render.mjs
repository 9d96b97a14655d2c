// Renders docs/grafana/orchat.json as HTML+SVG from scrapes written by scrape.mjs: every panel keeps its title,
// grid position, unit and legend format, and every target's PromQL is evaluated (promql.mjs) at each scrape time.
// $__rate_interval is 4 scrape intervals (Grafana's value when the step equals the scrape interval). This is NOT
// Grafana: it is a stand-in for machines without it (docs/operations.md, "Dashboard screenshot"). Usage:
//   node bench/dashboard/render.mjs --scrapes target/dashboard/scrapes.jsonl --out target/dashboard/orchat.html \
//        [--label <service label>] [--note "text under the title"]
import fs from 'node:fs';
import { Store, evaluate, legend, parse } from './promql.mjs';

const args = Object.fromEntries(process.argv.slice(2).reduce((acc, a, i, all) => {
  if (a.startsWith('--')) acc.push([a.slice(2), all[i + 1]]);
  return acc;
}, []));
const dashboard = JSON.parse(fs.readFileSync(args.dashboard ?? 'docs/grafana/orchat.json', 'utf8'));
const lines = fs.readFileSync(args.scrapes ?? 'target/dashboard/scrapes.jsonl', 'utf8').split('\n').filter(Boolean)
  .map((l) => JSON.parse(l));

// One service process: the one asked for, else the one scraped most often.
const byPid = new Map();
for (const s of lines) {
  if (args.label && s.label !== args.label) continue;
  if (!byPid.has(s.pid)) byPid.set(s.pid, []);
  byPid.get(s.pid).push(s);
}
const scrapes = [...byPid.values()].sort((a, b) => b.length - a.length)[0];
if (!scrapes || scrapes.length < 3) throw new Error('fewer than 3 scrapes of one service');
const store = new Store(scrapes);
const times = scrapes.map((s) => s.t);
const step = (times[times.length - 1] - times[0]) / (times.length - 1);
const rateInterval = Math.max(4 * Math.round(step), 4) + 's';

const W = 1400;
const ROW = 30;
const COL = W / 24;
const PALETTE = ['#73bf69', '#f2cc0c', '#8ab8ff', '#ff780a', '#f2495c', '#5794f2', '#b877d9', '#705da0', '#37872d',
  '#fade2a', '#c4162a', '#1f60c4'];

function fmt(unit, v) {
  if (v === undefined || Number.isNaN(v)) return '–';
  const abs = Math.abs(v);
  const num = (x, d = 2) => (Math.abs(x) >= 100 ? x.toFixed(0) : Math.abs(x) >= 10 ? x.toFixed(1) : x.toFixed(d));
  switch (unit) {
    case 's':
      if (abs === 0) return '0 s';
      if (abs < 1e-3) return num(v * 1e6) + ' µs';
      if (abs < 1) return num(v * 1e3) + ' ms';
      return num(v) + ' s';
    case 'reqps':
      return num(v) + ' req/s';
    case 'bytes': {
      const units = ['B', 'KiB', 'MiB', 'GiB'];
      let x = v;
      let k = 0;
      while (Math.abs(x) >= 1024 && k < units.length - 1) { x /= 1024; k++; }
      return num(x, 1) + ' ' + units[k];
    }
    case 'currencyUSD':
      return '$' + (abs < 0.01 && abs > 0 ? v.toFixed(5) : num(v));
    default:
      if (abs >= 1e6) return num(v / 1e6) + ' M';
      if (abs >= 1e3) return num(v / 1e3) + ' K';
      if (abs > 0 && abs < 0.1) return v.toPrecision(2);
      return Number.isInteger(v) ? String(v) : num(v);
  }
}

const esc = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const clock = (t) => new Date(t * 1000).toISOString().slice(11, 19);

/** Every series of a panel: [{name, color, points: [[t, v]]}]. */
function seriesOf(panel) {
  const out = new Map();
  for (const target of panel.targets ?? []) {
    const ast = parse(target.expr.replaceAll('$__rate_interval', rateInterval));
    for (const t of times) {
      for (const el of evaluate(ast, store, t)) {
        const name = legend(target.legendFormat, el.labels);
        if (!out.has(name)) out.set(name, []);
        out.get(name).push([t, el.value]);
      }
    }
  }
  return [...out.entries()].map(([name, points], i) => ({ name, points, color: PALETTE[i % PALETTE.length] }));
}

function niceMax(v) {
  if (!(v > 0)) return 1;
  const p = Math.pow(10, Math.floor(Math.log10(v)));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= v) return m * p;
  return 10 * p;
}

/** Legend entries flow left to right and wrap, at most maxRows rows; returns [{s, x, row}] and the rows used. */
function layoutLegend(series, unit, width, maxRows, namesOnly = false) {
  const items = [];
  let x = 0;
  let row = 0;
  for (const s of series) {
    const vals = s.points.map(([, v]) => v).filter(Number.isFinite);
    const text = namesOnly ? s.name
      : `${s.name}  last ${fmt(unit, vals[vals.length - 1])} · max ${fmt(unit, vals.length ? Math.max(...vals) : undefined)}`;
    const w = 24 + text.length * 6.4;
    if (x > 0 && x + w > width) {
      row++;
      x = 0;
    }
    if (row >= maxRows) break;
    items.push({ s, x, row, name: s.name, rest: text.slice(s.name.length) });
    x += w;
  }
  if (items.length < series.length && !namesOnly) {
    // Not all fit with their values: list every series by name rather than drop some.
    const short = layoutLegend(series, unit, width, maxRows, true);
    if (short.items.length > items.length) return short;
  }
  return { items, rows: items.length ? items[items.length - 1].row + 1 : 0 };
}

function timeseries(panel, w, h) {
  const unit = panel.fieldConfig?.defaults?.unit;
  const series = seriesOf(panel);
  const legendWidth = w - 86;
  const { items, rows } = layoutLegend(series, unit, legendWidth, h < 200 ? 2 : 3);
  const plot = { x: 70, y: 8, w: w - 86, h: h - 30 - 16 * rows };
  const t0 = times[0];
  const t1 = times[times.length - 1];
  const max = niceMax(Math.max(0, ...series.flatMap((s) => s.points.map(([, v]) => (Number.isFinite(v) ? v : 0)))));
  const x = (t) => plot.x + ((t - t0) / (t1 - t0)) * plot.w;
  const y = (v) => plot.y + plot.h - (v / max) * plot.h;
  const ticks = h < 200 ? 2 : 4;
  let svg = '';
  for (let k = 0; k <= ticks; k++) {
    const v = (max * k) / ticks;
    svg += `<line x1="${plot.x}" x2="${plot.x + plot.w}" y1="${y(v)}" y2="${y(v)}" class="grid"/>`;
    svg += `<text x="${plot.x - 6}" y="${y(v) + 4}" class="tick" text-anchor="end">${esc(fmt(unit, v))}</text>`;
  }
  for (let k = 0; k <= 4; k++) {
    const t = t0 + ((t1 - t0) * k) / 4;
    const anchor = k === 0 ? 'start' : k === 4 ? 'end' : 'middle';
    svg += `<text x="${x(t)}" y="${plot.y + plot.h + 14}" class="tick" text-anchor="${anchor}">${clock(t)}</text>`;
  }
  for (const s of series) {
    const pts = s.points.filter(([, v]) => Number.isFinite(v)).map(([t, v]) => [x(t).toFixed(1), y(v).toFixed(1)]);
    if (pts.length > 1) svg += `<polyline points="${pts.map((p) => p.join(',')).join(' ')}" fill="none" stroke="${s.color}" stroke-width="1.6"/>`;
    else if (pts.length === 1) svg += `<circle cx="${pts[0][0]}" cy="${pts[0][1]}" r="2.5" fill="${s.color}"/>`;
  }
  const ly = plot.y + plot.h + 32;
  for (const it of items) {
    const lx = plot.x + it.x;
    const yy = ly + 16 * it.row;
    svg += `<rect x="${lx}" y="${yy - 8}" width="12" height="3" fill="${it.s.color}"/>`;
    svg += `<text x="${lx + 18}" y="${yy - 3}" class="legend">${esc(it.name)}<tspan class="dim">${esc(it.rest)}</tspan></text>`;
  }
  if (series.length > items.length) {
    svg += `<text x="${plot.x + plot.w}" y="${plot.y + 10}" class="dim" text-anchor="end">+${series.length - items.length} more series not listed</text>`;
  }
  if (series.length === 0) {
    svg += `<text x="${plot.x + plot.w / 2}" y="${plot.y + plot.h / 2}" class="dim" text-anchor="middle">No data</text>`;
  }
  return svg;
}

function stat(panel, w, h) {
  const unit = panel.fieldConfig?.defaults?.unit;
  const series = seriesOf(panel);
  const last = series[0]?.points.at(-1)?.[1];
  const max = series[0] ? Math.max(...series[0].points.map(([, v]) => v)) : undefined;
  return `<text x="${w / 2}" y="${h / 2}" class="stat" text-anchor="middle">${esc(fmt(unit, last))}</text>`
    + `<text x="${w / 2}" y="${h / 2 + 26}" class="dim" text-anchor="middle">now · max during the run ${esc(fmt(unit, max))}</text>`;
}

let body = '';
let height = 0;
for (const panel of dashboard.panels) {
  const g = panel.gridPos;
  const px = { x: g.x * COL + 6, y: g.y * ROW + 6, w: g.w * COL - 12, h: g.h * ROW - 12 };
  height = Math.max(height, px.y + px.h + 6);
  const inner = panel.type === 'stat' ? stat(panel, px.w, px.h - 28) : timeseries(panel, px.w, px.h - 28);
  body += `<div class="panel" style="left:${px.x}px;top:${px.y}px;width:${px.w}px;height:${px.h}px">`
    + `<div class="title">${esc(panel.title)}</div>`
    + `<svg width="${px.w}" height="${px.h - 28}">${inner}</svg></div>`;
}

const note = args.note ?? '';
const html = `<!doctype html><html><head><meta charset="utf-8"><title>${esc(dashboard.title)}</title><style>
body{margin:0;background:#111217;color:#ccccdc;font:13px/1.3 "DejaVu Sans",Arial,sans-serif}
header{padding:10px 14px 4px;width:${W - 28}px}
h1{font-size:17px;margin:0;font-weight:600;color:#e6e6f0}
.sub{color:#8e8e9e;font-size:12px;margin-top:3px}
.grid-area{position:relative;width:${W}px;height:${height}px}
.panel{position:absolute;background:#181b1f;border:1px solid #2a2d33;border-radius:3px;box-sizing:border-box}
.title{height:28px;line-height:28px;padding:0 10px;font-weight:600;font-size:13px;color:#d8d9e2}
svg text{fill:#a0a0b0;font-family:"DejaVu Sans",Arial,sans-serif}
.tick{font-size:10.5px}.legend{font-size:11.5px;fill:#ccccdc}.dim{fill:#7f8090;font-size:11px}
.stat{font-size:46px;fill:#73bf69;font-weight:600}
line.grid{stroke:#2c3036;stroke-width:1}
</style></head><body><header><h1>${esc(dashboard.title)}</h1>
<div class="sub">${esc(note)} ${scrapes.length} scrapes of /prometheus, ${clock(times[0])}–${clock(times.at(-1))} UTC,
step ${step.toFixed(1)} s, $__rate_interval = ${rateInterval}; service “${esc(scrapes[0].label)}”.</div></header>
<div class="grid-area">${body}</div></body></html>`;
fs.writeFileSync(args.out ?? 'target/dashboard/orchat.html', html);
console.error(`render.mjs: ${dashboard.panels.length} panels, ${scrapes.length} scrapes -> ${args.out ?? 'target/dashboard/orchat.html'}`);

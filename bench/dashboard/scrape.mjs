// Scrapes the admin /prometheus of every orchat jar that the benchmark of THIS checkout starts (found by its command
// line and working directory, so other checkouts' runs on the same machine are ignored) every --interval seconds,
// and appends one JSON line per scrape to --out: {t, pid, label, samples}. Only the series the dashboard's queries
// select are kept. Stops on SIGTERM/SIGINT. Usage:
//   node bench/dashboard/scrape.mjs --repo . --dashboard docs/grafana/orchat.json --out target/dashboard/scrapes.jsonl
import fs from 'node:fs';
import path from 'node:path';
import { parse, parseSampleLine } from './promql.mjs';

const args = Object.fromEntries(process.argv.slice(2).reduce((acc, a, i, all) => {
  if (a.startsWith('--')) acc.push([a.slice(2), all[i + 1]]);
  return acc;
}, []));
const repo = fs.realpathSync(args.repo ?? '.');
const out = args.out ?? 'target/dashboard/scrapes.jsonl';
const intervalMs = Number(args.interval ?? 2) * 1000;
const dashboard = JSON.parse(fs.readFileSync(args.dashboard ?? 'docs/grafana/orchat.json', 'utf8'));

// The metric-name matchers of every selector in the dashboard, to keep only what the panels read.
const nameMatchers = [];
const collect = (node) => {
  if (!node || typeof node !== 'object') return;
  if (node.kind === 'selector') {
    const m = node.matchers.find((x) => x.label === '__name__');
    if (m) nameMatchers.push(m.op === '=' ? ((n) => n === m.value) : ((re) => (n) => re.test(n))(new RegExp('^(?:' + m.value + ')$')));
  }
  Object.values(node).forEach(collect);
};
for (const panel of dashboard.panels) {
  for (const target of panel.targets ?? []) {
    const expr = target.expr.replaceAll('$__rate_interval', '1m');
    collect(parse(expr));
  }
}
const wanted = (name) => nameMatchers.some((f) => f(name) || f(name.replace(/_(bucket|sum|count)$/, '')));

function services() {
  const found = [];
  for (const pid of fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const cmd = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      if (!cmd.some((a) => a.endsWith('orchat.jar'))) continue;
      const admin = cmd.map((a) => /^-Ddw\.server\.adminConnectors\[0\]\.port=(\d+)$/.exec(a)).find(Boolean);
      if (!admin) continue;
      if (fs.realpathSync(`/proc/${pid}/cwd`) !== repo) continue;
      const data = cmd.map((a) => /^-Ddw\.dataDir=(.*)$/.exec(a)).find(Boolean);
      const label = data ? path.basename(data[1]).replace(/^data-/, '') : 'service';
      found.push({ pid: Number(pid), port: Number(admin[1]), label });
    } catch {
      // The process ended while we looked.
    }
  }
  return found;
}

fs.mkdirSync(path.dirname(out), { recursive: true });
let stopping = false;
process.on('SIGTERM', () => { stopping = true; });
process.on('SIGINT', () => { stopping = true; });
let count = 0;
while (!stopping) {
  const started = Date.now();
  for (const svc of services()) {
    try {
      const res = await fetch(`http://127.0.0.1:${svc.port}/prometheus`, { signal: AbortSignal.timeout(5000) });
      if (!res.ok) continue;
      const samples = (await res.text()).split('\n').map(parseSampleLine).filter((s) => s && wanted(s.name));
      fs.appendFileSync(out, JSON.stringify({ t: Date.now() / 1000, pid: svc.pid, label: svc.label, samples }) + '\n');
      count++;
    } catch {
      // Not up yet, or stopping.
    }
  }
  await new Promise((r) => setTimeout(r, Math.max(0, intervalMs - (Date.now() - started))));
}
console.error(`scrape.mjs: ${count} scrapes written to ${out}`);

// Lighthouse on the jar-served UI (issue 18): starts the fake upstream and the jar (as the browser tests do), then
// runs Lighthouse's CLI with Debian's Chromium and prints the category scores. Not part of CI: Lighthouse is a large
// package, so it is taken from LIGHTHOUSE_BIN (a lighthouse-cli path) or fetched by `npx lighthouse@12` (Node 20;
// Lighthouse 13 needs Node 22). Usage: node scripts/lighthouse.mjs [desktop|mobile]
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startFakeUpstream } from '../e2e/fake-upstream.mjs';
import { resultsDir, startService } from '../e2e/harness.mjs';

const form = process.argv[2] === 'mobile' ? 'mobile' : 'desktop';
mkdirSync(resultsDir, { recursive: true });
const upstream = await startFakeUpstream();
const service = await startService(upstream.baseUrl);
const out = join(resultsDir, `lighthouse-${form}.json`);
const bin = process.env.LIGHTHOUSE_BIN;
const args = [service.base + '/', '--quiet', '--output=json', `--output-path=${out}`,
  '--only-categories=performance,accessibility,best-practices,seo',
  '--chrome-flags=--headless --no-sandbox --disable-gpu --disable-dev-shm-usage',
  ...(form === 'desktop' ? ['--preset=desktop'] : [])];
const r = bin
  ? spawnSync(process.execPath, [bin, ...args], { stdio: 'inherit', env: { ...process.env, CHROME_PATH: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium' } })
  : spawnSync('npx', ['--yes', 'lighthouse@12', ...args], { stdio: 'inherit', env: { ...process.env, CHROME_PATH: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium' } });
await service.stop();
await upstream.close();
if (r.status !== 0) process.exit(r.status ?? 1);
const report = JSON.parse(readFileSync(out, 'utf-8'));
for (const [id, c] of Object.entries(report.categories)) console.log(`${form}\t${id}\t${Math.round(c.score * 100)}`);
for (const a of Object.values(report.audits)) {
  if (a.score !== null && a.score < 0.9 && a.scoreDisplayMode !== 'informative') console.log(`  below 0.9: ${a.id} (${a.score}) ${a.displayValue ?? ''}`);
}

// `npm run e2e`: runs the browser tests with node's test runner (needs target/orchat.jar and /usr/bin/chromium).
import { spawnSync } from 'node:child_process';
// Arguments pick test files (e.g. `npm run e2e -- e2e/resume.e2e.mjs`); none runs them all.
const files = process.argv.slice(2);
const all = ['e2e/ui.e2e.mjs', 'e2e/design.e2e.mjs', 'e2e/resume.e2e.mjs', 'e2e/transfer.e2e.mjs', 'e2e/approvals.e2e.mjs'];
const r = spawnSync(process.execPath, ['--test', '--test-concurrency=1', '--test-reporter=spec', ...(files.length ? files : all)],
  { stdio: 'inherit', cwd: new URL('..', import.meta.url).pathname });
process.exit(r.status ?? 1);

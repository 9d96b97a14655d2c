// `npm run e2e`: runs the browser tests with node's test runner (needs target/orchat.jar and /usr/bin/chromium).
import { spawnSync } from 'node:child_process';
const r = spawnSync(process.execPath, ['--test', '--test-concurrency=1', '--test-reporter=spec', 'e2e/ui.e2e.mjs', 'e2e/design.e2e.mjs', 'e2e/transfer.e2e.mjs'],
  { stdio: 'inherit', cwd: new URL('..', import.meta.url).pathname });
process.exit(r.status ?? 1);

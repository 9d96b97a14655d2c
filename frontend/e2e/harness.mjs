// Starts the real jar (a child JVM configured through the environment) and Debian's Chromium for the e2e tests.
import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, existsSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';

export const repo = resolve(import.meta.dirname, '..', '..');
export const resultsDir = resolve(import.meta.dirname, '..', 'test-results');
const jar = join(repo, 'target', 'orchat.jar');
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

function freePort() {
  return new Promise((res, rej) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => res(port));
    });
    s.on('error', rej);
  });
}

export async function startService(upstreamUrl, env = {}) {
  if (!existsSync(jar)) throw new Error(`${jar} is missing: run ./mvnw -q package -DskipTests first`);
  const dir = mkdtempSync(join(tmpdir(), 'orchat-e2e-'));
  mkdirSync(join(dir, 'data'));
  const port = await freePort();
  const admin = await freePort();
  const child = spawn('java', ['-jar', jar, 'server', join(repo, 'config.yml')], {
    cwd: dir,
    env: {
      PATH: process.env.PATH, HOME: process.env.HOME, JAVA_HOME: process.env.JAVA_HOME ?? '',
      PORT: String(port), ADMIN_PORT: String(admin), DATA_DIR: join(dir, 'data'),
      CHAT_DATABASE_PATH: join(dir, 'data', 'chat.db'), ATTACHMENTS_DIR: join(dir, 'data', 'uploads'),
      MCP_SERVERS_PATH: join(dir, 'data', 'mcp_servers.json'), OPENROUTER_BASE_URL: upstreamUrl,
      OPENROUTER_API_KEY: 'e2e-key', OPENROUTER_FLAVOR: 'openrouter', OPENROUTER_DEFAULT_MODEL: 'fake/model-1',
      // E2E_UI_DIR serves a fresh `npm run build` without repackaging the jar (development only).
      ...(process.env.E2E_UI_DIR ? { UI_DIR: resolve(process.env.E2E_UI_DIR) } : {}),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stdout.on('data', (d) => (log += d));
  child.stderr.on('data', (d) => (log += d));
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`service exited early:\n${log}`);
    try {
      const r = await fetch(`${base}/health`);
      if (r.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`service did not start:\n${log}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    base,
    log: () => log,
    stop: () => new Promise((r) => {
      if (child.exitCode !== null) return r();
      child.once('exit', () => r());
      child.kill('SIGTERM');
    }),
  };
}

export async function launchBrowser() {
  if (!existsSync(chromiumPath)) throw new Error(`${chromiumPath} is missing: apt-get install -y chromium`);
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run',
      '--disable-quic', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage',
      // A synthetic microphone for the dictation test.
      '--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream'],
  });
}

/** Polls `fn` until it returns a truthy value (generous deadline for a loaded 2-core box). */
export async function eventually(fn, message, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    try {
      last = await fn();
      if (last) return last;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`${message} (last: ${last})`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

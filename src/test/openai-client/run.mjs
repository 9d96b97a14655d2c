// Drives orchat's OpenAI-compatible API (docs/api.md, "OpenAI-compatible API") with the official `openai` npm
// package: starts a scripted fake upstream (dev.orchat.testing.ScriptedFakeMain) and the real jar with a bearer
// token, runs the checks in order, stops both. Needs target/orchat.jar and target/test-classes (`./mvnw package`).
// Run by .ci/run; by hand: `npm ci --prefix src/test/openai-client && node src/test/openai-client/run.mjs`.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, mkdirSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import assert from 'node:assert/strict';
import OpenAI from 'openai';

const repo = resolve(import.meta.dirname, '..', '..', '..');
const jar = join(repo, 'target', 'orchat.jar');
const testClasses = join(repo, 'target', 'test-classes');
const TOKEN = 'node-check-token';
const MODEL = 'openai/gpt-4o-mini';

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

/** The fake upstream: one command line in, one answer line out. */
async function startFake() {
  const child = spawn('java', ['-cp', `${jar}:${testClasses}`, 'dev.orchat.testing.ScriptedFakeMain'],
    { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout });
  const waiting = [];
  const buffered = [];
  lines.on('line', (line) => (waiting.length ? waiting.shift()(line) : buffered.push(line)));
  const nextLine = () => new Promise((r) => (buffered.length ? r(buffered.shift()) : waiting.push(r)));
  const first = await nextLine();
  assert.match(first, /^FAKE_OPENROUTER_URL=/);
  return {
    url: first.slice('FAKE_OPENROUTER_URL='.length),
    command: (line) => {
      child.stdin.write(line + '\n');
      return nextLine();
    },
    stop: () => child.stdin.end(),
  };
}

async function startService(upstreamUrl) {
  const dir = mkdtempSync(join(tmpdir(), 'orchat-openai-'));
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
      OPENROUTER_API_KEY: 'node-key', OPENROUTER_FLAVOR: 'openrouter', OPENROUTER_DEFAULT_MODEL: MODEL,
      AUTH_TOKENS: TOKEN,
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
      if ((await fetch(`${base}/health`)).ok) break;
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

const checks = [];
const check = (name, fn) => checks.push({ name, fn });
const ask = (content, extra = {}) => ({ model: MODEL, messages: [{ role: 'user', content }], ...extra });

check('lists models', async ({ client }) => {
  const ids = [];
  for await (const model of client.models.list()) ids.push(model.id);
  assert.ok(ids.includes(MODEL), `models: ${ids}`);
});

check('non-streaming completion', async ({ client, fake }) => {
  await fake.command('text Hello from node');
  const completion = await client.chat.completions.create(ask('hi'));
  assert.equal(completion.object, 'chat.completion');
  assert.equal(completion.choices[0].message.content, 'Hello from node');
  assert.equal(completion.choices[0].finish_reason, 'stop');
  assert.ok(completion.usage.total_tokens > 0);
});

check('streaming completion with a usage chunk', async ({ client, fake }) => {
  await fake.command('text One two three');
  const stream = await client.chat.completions.create(ask('count', { stream: true, stream_options: { include_usage: true } }));
  let text = '';
  let usage = null;
  let finish = null;
  for await (const chunk of stream) {
    for (const choice of chunk.choices) {
      text += choice.delta?.content ?? '';
      finish = choice.finish_reason ?? finish;
    }
    if (chunk.usage) usage = chunk.usage;
  }
  assert.equal(text, 'One two three');
  assert.equal(finish, 'stop');
  assert.ok(usage && usage.total_tokens > 0);
});

check('server-side calculator round is invisible except for the answer', async ({ client, fake }) => {
  await fake.command('tool calculator_evaluate {"operation":"multiply","a":6,"b":7}');
  await fake.command('text 6 × 7 = 42');
  const completion = await client.chat.completions.create(ask('6 times 7?'));
  assert.equal(completion.choices[0].message.content, '6 × 7 = 42');
  assert.equal(completion.choices[0].message.tool_calls, undefined);
  const upstream = JSON.parse(await fake.command('last'));
  assert.deepEqual(upstream.messages.at(-1), { role: 'tool', tool_call_id: 'call_1', content: '42' });
});

check('client tool calls are passed through', async ({ client, fake }) => {
  await fake.command('tool get_weather {"city":"Paris"}');
  const tools = [{ type: 'function', function: { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } } }];
  const completion = await client.chat.completions.create(ask('weather?', { tools }));
  assert.equal(completion.choices[0].finish_reason, 'tool_calls');
  const call = completion.choices[0].message.tool_calls[0];
  assert.equal(call.function.name, 'get_weather');
  assert.deepEqual(JSON.parse(call.function.arguments), { city: 'Paris' });
  const upstream = JSON.parse(await fake.command('last'));
  assert.deepEqual(upstream.tools.map((t) => t.function.name), ['get_weather']);
});

check('X-Orchat-Session: new stores a session the chat API shows', async ({ client, fake, service }) => {
  await fake.command('text Stored answer');
  const { data, response } = await client.chat.completions
    .create(ask('keep this'), { headers: { 'X-Orchat-Session': 'new' } }).withResponse();
  assert.equal(data.choices[0].message.content, 'Stored answer');
  const sessionId = response.headers.get('x-orchat-session');
  assert.ok(sessionId);
  const session = await (await fetch(`${service.base}/api/chat/session/${sessionId}`,
    { headers: { Authorization: `Bearer ${TOKEN}` } })).json();
  assert.deepEqual(session.messages.map((m) => `${m.role}:${m.content}`), ['user:keep this', 'assistant:Stored answer']);
});

check('401 without the token', async ({ service }) => {
  const anonymous = new OpenAI({ baseURL: `${service.base}/v1`, apiKey: 'wrong', maxRetries: 0 });
  await assert.rejects(anonymous.models.list(), (e) => e instanceof OpenAI.AuthenticationError && e.status === 401);
});

check('upstream 429 is the SDK rate-limit error', async ({ client, fake }) => {
  await fake.command('ratelimit');
  await assert.rejects(client.chat.completions.create(ask('hi')), (e) => e instanceof OpenAI.RateLimitError);
});

check('aborting mid-stream cancels the upstream within 1 s', async ({ client, fake }) => {
  const before = Number(await fake.command('cancelled'));
  await fake.command('stall partial');
  const stream = await client.chat.completions.create(ask('slowly', { stream: true }));
  let text = '';
  for await (const chunk of stream) {
    text += chunk.choices[0]?.delta?.content ?? '';
    if (text.includes('partial')) break; // leaving the loop aborts the request
  }
  const aborted = Date.now();
  let cancelled = before;
  while (cancelled === before && Date.now() - aborted < 5_000) {
    cancelled = Number(await fake.command('cancelled'));
    if (cancelled === before) await new Promise((r) => setTimeout(r, 20));
  }
  assert.equal(cancelled, before + 1, 'upstream stream not cancelled');
  assert.ok(Date.now() - aborted < 1_000, `cancelled after ${Date.now() - aborted} ms`);
});

for (const path of [jar, testClasses]) {
  if (!existsSync(path)) throw new Error(`${path} is missing: run ./mvnw package first`);
}
const fake = await startFake();
let service;
let failed = 0;
try {
  service = await startService(fake.url);
  const client = new OpenAI({ baseURL: `${service.base}/v1`, apiKey: TOKEN, maxRetries: 0 });
  for (const { name, fn } of checks) {
    try {
      await fn({ client, fake, service });
      console.log(`ok - ${name}`);
    } catch (e) {
      failed++;
      console.log(`not ok - ${name}\n  ${e?.stack ?? e}`);
    }
  }
  if (failed) console.log(service.log());
} finally {
  await service?.stop();
  fake.stop();
}
console.log(`openai npm client: ${checks.length - failed}/${checks.length} checks passed`);
process.exit(failed ? 1 : 0);

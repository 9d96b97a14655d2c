// Issue 15's browser acceptance: the policy selector in the MCP panel, the approval card (allow once; a reload while
// the call waits shows the card again and the answer from the reloaded page works; deny), and the form generated
// from an elicitation schema with the real npm server-everything (client check, the service's 422 field errors,
// the accepted answer reaching the server and the model).
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startFakeUpstream } from './fake-upstream.mjs';
import { eventually, launchBrowser, repo, resultsDir, startService } from './harness.mjs';

let upstream;
let service;
let browser;

const everything = join(repo, 'src', 'test', 'mcp-servers', 'node_modules', '@modelcontextprotocol', 'server-everything',
  'dist', 'index.js');

const axeSource = createRequire(import.meta.url)('axe-core').source;

/** axe-core in the page, as design.e2e.mjs runs it: the serious and critical violations. */
async function seriousViolations(page) {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axeSource);
  const results = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  return results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
}

async function api(path, init) {
  const res = await fetch(service.base + path, init);
  return { status: res.status, body: res.status === 204 ? null : await res.json() };
}

const json = (method, body) => ({ method, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });

const toolOf = async (serverId, name) =>
  (await api('/api/mcp/servers')).body.servers.find((s) => s.id === serverId)?.tools.find((t) => t.name === name);

before(async () => {
  mkdirSync(resultsDir, { recursive: true });
  upstream = await startFakeUpstream();
  service = await startService(upstream.baseUrl, { MCP_ALLOW_REMOTE_CONFIGURATION: 'true' });
  browser = await launchBrowser();
  const imported = await api('/api/mcp/servers/import?on_conflict=replace',
    json('POST', { mcpServers: { everything: { command: 'node', args: [everything] } } }));
  assert.equal(imported.status, 200, JSON.stringify(imported.body));
  await api('/api/mcp/servers/everything', json('PATCH', { tool_policies: { 'trigger-elicitation-request': 'allow' } }));
  await eventually(async () => (await toolOf('everything', 'trigger-elicitation-request'))?.enabled, 'server-everything not connected', 60_000);
});

after(async () => {
  await browser?.close();
  await service?.stop();
  await upstream?.close();
});

async function newPage() {
  const context = await browser.newContext({ viewport: { width: 1200, height: 800 } });
  const page = await context.newPage();
  page.on('pageerror', (err) => console.error('page error:', err.message));
  await page.goto(service.base + '/');
  return page;
}

async function send(page, text) {
  const box = page.getByLabel('Message', { exact: true });
  await box.fill(text);
  await box.press('Enter');
}

const lastAssistant = (page) => page.getByTestId('assistant-message').last();

describe('tool approvals and elicitation', () => {
  test('the policy selector writes the tool policy; the card allows once', async () => {
    const page = await newPage();
    await page.getByRole('button', { name: 'Settings', exact: true }).click();
    const calculator = page.locator('[data-testid=mcp-server][data-server-id=local-calculator]');
    await calculator.getByText(/^Tools/).click();
    const select = calculator.getByLabel('Policy for calculator_evaluate');
    assert.equal(await select.inputValue(), 'allow', 'a built-in reading tool runs by default');
    await select.selectOption('ask');
    await eventually(async () => (await toolOf('local-calculator', 'calculator_evaluate'))?.policy === 'ask', 'policy not saved');
    assert.equal((await toolOf('local-calculator', 'calculator_evaluate')).policy_source, 'tool_policies');
    await page.screenshot({ path: join(resultsDir, 'approvals-policy.png') });
    assert.deepEqual(await seriousViolations(page), [], 'axe with the policy selectors');
    await page.keyboard.press('Escape');

    await send(page, 'calculator please');
    const card = page.getByTestId('approval-card');
    await card.waitFor();
    assert.match(await card.innerText(), /calculator_evaluate/);
    assert.match(await card.getByTestId('approval-arguments').innerText(), /"operation": "multiply"/);
    await page.screenshot({ path: join(resultsDir, 'approvals-card.png') });
    assert.deepEqual(await seriousViolations(page), [], 'axe with the approval card');
    await card.getByRole('button', { name: 'Allow once' }).click();
    await eventually(async () => (await lastAssistant(page).getAttribute('data-status')) === 'complete', 'reply not complete');
    assert.match(await lastAssistant(page).innerText(), /The calculator says 42/);
    assert.equal(await page.getByTestId('approval-card').count(), 0, 'the card goes away once the call ran');
    await page.context().close();
  });

  test('a reload while the call waits shows the card again and the reloaded page denies it', async () => {
    await api('/api/mcp/servers/local-calculator', json('PATCH', { tool_policies: { calculator_evaluate: 'ask' } }));
    const page = await newPage();
    await send(page, 'calculator again');
    await page.getByTestId('approval-card').waitFor();
    await eventually(async () => /\/c\//.test(page.url()), 'no session url');
    const session = /\/c\/([A-Za-z0-9_-]+)/.exec(page.url())[1];
    await eventually(async () => (await api(`/api/chat/session/${session}`)).body.running_turn?.status === 'awaiting_approval',
      'turn not awaiting approval');
    await page.reload();
    const card = page.getByTestId('approval-card');
    await card.waitFor();
    await card.getByRole('button', { name: 'Deny' }).click();
    await eventually(async () => (await lastAssistant(page).getAttribute('data-status')) === 'complete', 'reply not complete');
    assert.match(await lastAssistant(page).innerText(), /The user declined this tool call/);
    const stored = (await api(`/api/chat/session/${session}`)).body.messages.find((m) => m.role === 'tool');
    assert.equal(stored.approval.decision, 'deny');
    await page.reload();
    await eventually(async () => (await page.getByTestId('tool-decision').count()) > 0, 'history does not show the decision');
    assert.match(await page.getByTestId('tool-decision').first().innerText(), /Declined by you/);
    await api('/api/mcp/servers/local-calculator', json('PATCH', { tool_policies: {} }));
    await page.context().close();
  });

  test('the form generated from an elicitation schema answers the server', async () => {
    const page = await newPage();
    await send(page, 'elicit');
    const form = page.getByTestId('elicitation-form');
    await form.waitFor();
    assert.match(await form.innerText(), /Please provide inputs/);
    // Client check first: the name is required.
    await form.getByRole('button', { name: 'Submit' }).click();
    await form.locator('[data-field=name]').getByTestId('field-error').waitFor();
    await form.getByLabel('String *', { exact: true }).fill('Ada Lovelace');
    await form.getByLabel('Integer', { exact: true }).fill('500');
    await form.getByRole('button', { name: 'Submit' }).click();
    // The service checks the schema (maximum 100) and answers 422 with the field's error.
    const integerError = form.locator('[data-field=integer]').getByTestId('field-error');
    await integerError.waitFor();
    assert.match(await integerError.innerText(), /less than or equal to 100/);
    await page.screenshot({ path: join(resultsDir, 'approvals-elicitation.png') });
    assert.deepEqual(await seriousViolations(page), [], 'axe with the elicitation form');
    await form.getByLabel('Integer', { exact: true }).fill('7');
    await form.getByRole('button', { name: 'Submit' }).click();
    await eventually(async () => (await lastAssistant(page).getAttribute('data-status')) === 'complete', 'reply not complete');
    assert.match(await lastAssistant(page).innerText(), /Name: Ada Lovelace/);
    assert.equal(await page.getByTestId('elicitation-form').count(), 0, 'the form goes away once the call finished');
    await page.context().close();
  });
});

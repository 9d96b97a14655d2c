// Browser end-to-end tests of search, export and import (docs/api.md §2.28–2.30): the real jar, the fake
// upstream, Debian's Chromium driven by playwright-core.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startFakeUpstream } from './fake-upstream.mjs';
import { eventually, launchBrowser, resultsDir, startService } from './harness.mjs';

let upstream;
let service;
let browser;

before(async () => {
  mkdirSync(resultsDir, { recursive: true });
  upstream = await startFakeUpstream();
  service = await startService(upstream.baseUrl);
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await service?.stop();
  await upstream?.close();
});

async function newPage() {
  const context = await browser.newContext({ viewport: { width: 1200, height: 800 }, acceptDownloads: true });
  const page = await context.newPage();
  page.on('pageerror', (err) => console.error('page error:', err.message));
  await page.goto(service.base + '/');
  return page;
}

async function send(page, text) {
  const box = page.getByLabel('Message', { exact: true });
  await box.fill(text);
  await box.press('Enter');
  await eventually(async () => (await page.locator('[data-testid=assistant-message][data-status=complete]').count())
    >= (await page.locator('[data-testid=assistant-message]').count()), 'reply did not complete');
}

async function api(path, init) {
  const res = await fetch(service.base + path, init);
  return { status: res.status, body: res.status === 204 ? null : await res.json() };
}

const sessionIdOf = (page) => /\/c\/([A-Za-z0-9_-]+)/.exec(page.url())?.[1];

/** The session as the UI reads it, minus what a restore cannot keep (row ids). */
async function comparable(id) {
  const { body } = await api(`/api/chat/session/${id}`);
  for (const m of body.messages) delete m.id;
  return body;
}

describe('search, export and import', () => {
  test('search finds a message and opens its session scrolled to it', async () => {
    const page = await newPage();
    await send(page, 'Where does the quokka live?');
    const target = sessionIdOf(page);
    for (let i = 0; i < 6; i++) await send(page, `Filler message number ${i} to push the quokka question up`);
    await page.getByRole('button', { name: '+ New chat' }).click();
    await send(page, 'Something unrelated about tea');

    const box = page.getByLabel('Search all conversations');
    await box.fill('quokka -filler');
    const isTarget = (text) => text.includes('You ·') && text.includes('Where does the'); // the user message, not the title or reply
    const hit = page.getByTestId('search-hit').filter({ hasText: /You ·[\s\S]*Where does the/ }).first();
    await hit.waitFor();
    assert.equal(await hit.locator('mark').first().textContent(), 'quokka');
    await page.screenshot({ path: join(resultsDir, 'search-results.png') });
    await box.press('ArrowDown');
    let index = 0;
    while (!isTarget(await page.getByTestId('search-hit').nth(index).textContent())) index++;
    for (let i = 0; i < index; i++) await box.press('ArrowDown');
    await box.press('Enter');
    await eventually(() => sessionIdOf(page) === target, 'the hit did not open its session');
    const message = page.locator('.search-target');
    await message.waitFor();
    assert.match(await message.textContent(), /Where does the quokka live\?/);
    assert.ok(await message.isVisible());
    await page.context().close();
  });

  test('a session exported as JSON and imported again is the same conversation', async () => {
    const page = await newPage();
    await send(page, 'Please remember the capybara fact');
    await send(page, 'And compute with the calculator');
    const id = sessionIdOf(page);
    const before = await comparable(id);
    const item = page.locator(`[data-testid=session-item][data-session-id="${id}"]`);

    const [download] = await Promise.all([page.waitForEvent('download'), item.getByRole('button', { name: /as JSON$/ }).click()]);
    const file = join(resultsDir, `${id}.json`);
    await download.saveAs(file);
    const [md] = await Promise.all([page.waitForEvent('download'), item.getByRole('button', { name: /as Markdown$/ }).click()]);
    assert.equal(md.suggestedFilename(), `${id}.md`);

    await item.getByRole('button', { name: /^Delete/ }).click();
    await item.getByRole('button', { name: 'Confirm delete' }).click();
    await item.waitFor({ state: 'detached' });
    assert.equal((await api(`/api/chat/session/${id}`)).status, 404);

    await page.getByRole('button', { name: 'Import…' }).click();
    await page.getByLabel('Export files to import').setInputFiles(file);
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    const summary = page.getByTestId('import-summary');
    await summary.waitFor();
    assert.match(await summary.textContent(), /1 imported, 0 skipped, 0 failed/);
    await page.screenshot({ path: join(resultsDir, 'import-outcome.png') });
    await page.getByRole('button', { name: 'Done', exact: true }).click();
    await item.waitFor();
    assert.deepEqual(await comparable(id), before);
    await item.locator('.session-open').click();
    await page.getByText('And compute with the calculator').waitFor();
    await page.context().close();
  });
});

// Browser end-to-end tests of search, export and import (docs/api.md §2.28–2.30): the real jar, the fake
// upstream, Debian's Chromium driven by playwright-core.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startFakeUpstream } from './fake-upstream.mjs';
import { eventually, launchBrowser, resultsDir, startService } from './harness.mjs';

const axeSource = createRequire(import.meta.url)('axe-core').source;
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

async function newPage({ width = 1200, height = 800, colorScheme = 'light' } = {}) {
  const context = await browser.newContext({ viewport: { width, height }, colorScheme, acceptDownloads: true, hasTouch: width < 500 });
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

/** axe-core in the page, as in design.e2e.mjs: the serious and critical violations. */
async function seriousViolations(page) {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axeSource);
  const results = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  return results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
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
    await page.getByRole('button', { name: 'New chat', exact: true }).click();
    await send(page, 'Something unrelated about tea');

    const box = page.getByLabel('Search all conversations');
    await box.fill('quokka -filler');
    const isTarget = (text) => text.includes('You ·') && text.includes('Where does the'); // the user message, not the title or reply
    const hit = page.getByTestId('search-hit').filter({ hasText: /You ·[\s\S]*Where does the/ }).first();
    await hit.waitFor();
    assert.equal(await hit.locator('mark').first().textContent(), 'quokka');
    await page.mouse.move(0, 0);
    assert.deepEqual(await seriousViolations(page), [], 'axe with search results');
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

    const action = async (name) => {
      await item.getByRole('button', { name: /^Actions for/ }).click();
      await page.getByRole('menuitem', { name }).click();
    };
    const [download] = await Promise.all([page.waitForEvent('download'), action('Export as JSON')]);
    const file = join(resultsDir, `${id}.json`);
    await download.saveAs(file);
    const [md] = await Promise.all([page.waitForEvent('download'), action('Export as Markdown')]);
    assert.equal(md.suggestedFilename(), `${id}.md`);

    await action('Delete');
    await item.getByRole('button', { name: 'Confirm delete' }).click();
    await item.waitFor({ state: 'detached' });
    assert.equal((await api(`/api/chat/session/${id}`)).status, 404);

    await page.getByRole('button', { name: 'Import conversations' }).click();
    const dialog = page.getByRole('dialog', { name: 'Import conversations' });
    await dialog.waitFor();
    assert.deepEqual(await seriousViolations(page), [], 'axe on the import dialog');
    await page.getByLabel('Export files to import').setInputFiles(file);
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    const summary = page.getByTestId('import-summary');
    await summary.waitFor();
    assert.match(await summary.textContent(), /1 imported, 0 skipped, 0 failed/);
    await page.screenshot({ path: join(resultsDir, 'import-outcome.png') });
    assert.deepEqual(await seriousViolations(page), [], 'axe on the import outcome');
    await page.getByRole('button', { name: 'Done', exact: true }).click();
    await dialog.waitFor({ state: 'detached' });
    await item.waitFor();
    assert.deepEqual(await comparable(id), before);
    await item.locator('.session-open').click();
    await page.getByText('And compute with the calculator').waitFor();
    await page.context().close();
  });

  for (const colorScheme of ['light', 'dark']) {
    test(`at 390×844 (${colorScheme}): search results fit, touch targets are 44 px, axe is clean`, async () => {
      const page = await newPage({ width: 390, height: 844, colorScheme });
      await send(page, 'The narrow screen mentions a pangolin');
      await page.getByRole('button', { name: 'Open conversation list', exact: true }).click();
      await page.locator('.layout.drawer-open').waitFor();
      const box = page.getByLabel('Search all conversations');
      await box.fill('pangolin');
      await page.getByTestId('search-hit').first().waitFor();
      await page.waitForTimeout(250); // the drawer's transition
      const wide = await page.evaluate(() => {
        const width = document.documentElement.clientWidth;
        return [...document.querySelectorAll('.sidebar *')].filter((el) => {
          const r = el.getBoundingClientRect();
          return r.width > 0 && (r.right > width + 1 || r.left < -1);
        }).map((el) => `${el.tagName.toLowerCase()}.${el.className}`).slice(0, 5);
      });
      assert.deepEqual(wide, [], 'sidebar content past the viewport');
      assert.equal(await page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth), true);
      const small = await page.evaluate(() => [...document.querySelectorAll('.search button, .search [role=option], [data-testid=import-open]')]
        .filter((el) => getComputedStyle(el).visibility !== 'hidden' && el.getBoundingClientRect().width > 0)
        .filter((el) => { const r = el.getBoundingClientRect(); return r.width < 43.5 || r.height < 43.5; })
        .map((el) => el.getAttribute('aria-label') || el.textContent.trim().slice(0, 30)));
      assert.deepEqual(small, [], 'touch targets under 44 px');
      assert.deepEqual(await seriousViolations(page), [], 'axe with search results in the drawer');
      await page.screenshot({ path: join(resultsDir, `search-mobile-${colorScheme}.png`) });
      await page.context().close();
    });
  }
});

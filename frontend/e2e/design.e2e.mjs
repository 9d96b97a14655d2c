// Browser tests of issue 18's acceptance: accessibility (axe-core in both themes), the 390×844 layout and drawer,
// the theme switch, keyboard shortcuts, long strings, Retry after a failed load, lazy highlighting, thumbnails and
// the screenshots (test-results/, and docs/screenshots/ for the README when README_SCREENSHOTS=1).
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startFakeUpstream } from './fake-upstream.mjs';
import { eventually, launchBrowser, repo, resultsDir, startService } from './harness.mjs';

const axeSource = createRequire(import.meta.url)('axe-core').source;
let upstream;
let service;
let browser;

before(async () => {
  mkdirSync(resultsDir, { recursive: true });
  upstream = await startFakeUpstream();
  service = await startService(upstream.baseUrl, { MCP_ALLOW_REMOTE_CONFIGURATION: 'true' });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await service?.stop();
  await upstream?.close();
});

async function newPage({ width = 1280, height = 800, colorScheme = 'light', path = '/' } = {}) {
  const context = await browser.newContext({ viewport: { width, height }, colorScheme, hasTouch: width < 500 });
  const page = await context.newPage();
  page.on('pageerror', (err) => console.error('page error:', err.message));
  await page.goto(service.base + path);
  return page;
}

async function send(page, text) {
  const box = page.getByLabel('Message', { exact: true });
  await box.fill(text);
  await box.press('Enter');
}

const complete = (page, n = 0) => page.locator('[data-testid=assistant-message][data-status=complete]').nth(n).waitFor();
const sessionIdOf = (page) => /\/c\/([A-Za-z0-9_-]+)/.exec(page.url())?.[1];

/** Runs axe-core in the page (evaluated, so the UI's CSP needs no exception); returns serious and critical violations. */
async function seriousViolations(page) {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axeSource);
  const results = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  return results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
}

/** Elements whose right edge is past the viewport (horizontal overflow), ignoring ones hidden off-canvas. */
function overflowing(page) {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const out = [];
    for (const el of document.querySelectorAll('body *')) {
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0 || getComputedStyle(el).visibility === 'hidden') continue;
      if (el.closest('.sidebar') && !document.querySelector('.layout.drawer-open')) continue;
      if (r.right > width + 1 || r.left < -1) out.push(`${el.tagName.toLowerCase()}.${el.className} ${Math.round(r.left)}–${Math.round(r.right)}`);
    }
    return { width, scroll: document.documentElement.scrollWidth, out: out.slice(0, 5) };
  });
}

describe('accessibility and themes', () => {
  for (const colorScheme of ['light', 'dark']) {
    test(`axe finds no serious or critical violations on the main screens (${colorScheme}); screenshots`, async () => {
      const page = await newPage({ colorScheme });
      assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), colorScheme, 'follows the system theme');
      assert.deepEqual(await seriousViolations(page), [], 'empty chat');
      await send(page, 'think first, then use the calculator for 6*7');
      await complete(page);
      await send(page, 'Hello there');
      await complete(page, 1);
      await page.locator('.hljs-string').first().waitFor(); // the lazily loaded highlighter ran
      await page.getByTestId('reasoning-panel').first().locator('summary').click();
      await page.mouse.move(0, 0);
      assert.deepEqual(await seriousViolations(page), [], 'conversation');
      await page.screenshot({ path: join(resultsDir, `main-${colorScheme}.png`) });
      if (process.env.README_SCREENSHOTS === '1') {
        mkdirSync(join(repo, 'docs', 'screenshots'), { recursive: true });
        copyFileSync(join(resultsDir, `main-${colorScheme}.png`), join(repo, 'docs', 'screenshots', `ui-${colorScheme}.png`));
      }
      await page.getByTestId('session-item').first().getByRole('button', { name: /^Actions for/ }).click();
      await page.getByRole('menu').waitFor();
      assert.deepEqual(await seriousViolations(page), [], 'session menu');
      await page.keyboard.press('Escape');
      for (const [button, dialog] of [['Settings', 'Settings'], ['Model settings', 'Model settings'], ['Presets', 'Presets']]) {
        await page.getByRole('button', { name: button, exact: true }).click();
        const d = page.getByRole('dialog', { name: dialog });
        await d.waitFor();
        await page.waitForTimeout(300); // let the dialog's data arrive
        assert.deepEqual(await seriousViolations(page), [], `${dialog} dialog`);
        await page.screenshot({ path: join(resultsDir, `${dialog.toLowerCase().replace(/\s+/g, '-')}-${colorScheme}.png`) });
        await page.keyboard.press('Escape');
        await d.waitFor({ state: 'detached' });
      }
      await page.getByTestId('model').click();
      await page.getByRole('dialog', { name: 'Choose a model' }).getByText('3 of 3 models').waitFor();
      assert.deepEqual(await seriousViolations(page), [], 'model explorer');
      await page.keyboard.press('Escape');
      await page.context().close();
    });
  }

  test('the theme is switchable from the menu and remembered across reloads', async () => {
    const page = await newPage({ colorScheme: 'light' });
    await page.getByRole('button', { name: 'More' }).click();
    await page.getByRole('menuitemradio', { name: 'Theme: dark' }).click();
    assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'dark');
    const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    await page.reload();
    await page.getByLabel('Message', { exact: true }).waitFor();
    assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'dark', 'remembered');
    assert.equal(await page.evaluate(() => getComputedStyle(document.body).backgroundColor), bg);
    await page.getByRole('button', { name: 'More' }).click();
    assert.equal(await page.getByRole('menuitemradio', { name: 'Theme: dark' }).getAttribute('aria-checked'), 'true');
    await page.getByRole('menuitemradio', { name: 'Theme: system' }).click();
    assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'light');
    assert.equal(await page.evaluate(() => localStorage.getItem('orchat.theme')), null);
    await page.context().close();
  });
});

describe('mobile 390×844', () => {
  test('no horizontal overflow, the drawer opens and closes, touch targets are at least 44 px (screenshots)', async () => {
    const page = await newPage({ width: 390, height: 844 });
    await send(page, `A long line: ${'x'.repeat(300)} and https://example.com/${'segment/'.repeat(30)}`);
    await complete(page);
    const o = await overflowing(page);
    assert.deepEqual(o.out, [], 'elements past the viewport');
    assert.ok(o.scroll <= o.width, `page scrolls sideways (${o.scroll} > ${o.width})`);
    const composer = await page.locator('.composer').boundingBox();
    assert.ok(composer.y + composer.height >= 844 - 2, 'composer at the bottom of the screen');
    // Every visible button, the message actions included, is a 44 px touch target.
    const small = await page.evaluate(() => [...document.querySelectorAll('button, [role=button], label.toggle-chip')]
      .map((el) => ({ el, r: el.getBoundingClientRect() }))
      .filter(({ el, r }) => r.width > 0 && r.height > 0 && getComputedStyle(el).visibility !== 'hidden' && !el.closest('.sidebar'))
      .filter(({ r }) => r.width < 43.5 || r.height < 43.5)
      .map(({ el, r }) => `${el.getAttribute('aria-label') ?? el.textContent.trim()} ${Math.round(r.width)}×${Math.round(r.height)}`));
    assert.deepEqual(small, [], 'touch targets under 44 px');
    for (const name of ['Open conversation list', 'Settings', 'More', 'Attach files', 'Dictate', 'Send']) {
      await page.getByRole('button', { name, exact: true }).waitFor();
    }
    await page.screenshot({ path: join(resultsDir, 'mobile-chat.png') });
    assert.equal(await page.locator('#sidebar').isVisible(), false, 'drawer closed at first');
    await page.getByRole('button', { name: 'Open conversation list' }).click();
    await page.locator('#sidebar').waitFor({ state: 'visible' });
    await eventually(async () => (await page.locator('#sidebar').boundingBox())?.x === 0, 'drawer did not slide in');
    assert.deepEqual((await overflowing(page)).out, [], 'open drawer overflows');
    assert.deepEqual(await seriousViolations(page), [], 'axe with the drawer open');
    await page.screenshot({ path: join(resultsDir, 'mobile-drawer.png') });
    await page.getByRole('button', { name: 'Close conversation list' }).click();
    await page.locator('#sidebar').waitFor({ state: 'hidden' });
    await page.getByRole('button', { name: 'Open conversation list' }).click();
    await page.locator('#sidebar').waitFor({ state: 'visible' });
    await page.getByTestId('session-item').first().locator('.session-open').click(); // choosing a chat closes it
    await page.locator('#sidebar').waitFor({ state: 'hidden' });
    // Dialogs fit the phone too: Settings, and Model settings from the ⋯ menu (its icon button is desktop-only).
    await page.getByRole('button', { name: 'Settings', exact: true }).click();
    await page.getByRole('dialog', { name: 'Settings' }).waitFor();
    await page.waitForTimeout(300);
    assert.deepEqual((await overflowing(page)).out, [], 'Settings dialog overflows');
    await page.screenshot({ path: join(resultsDir, 'mobile-settings.png') });
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: 'More' }).click();
    await page.getByRole('menuitem', { name: 'Model settings…' }).click();
    await page.getByRole('dialog', { name: 'Model settings' }).waitFor();
    assert.deepEqual((await overflowing(page)).out, [], 'Model settings dialog overflows');
    assert.deepEqual(await seriousViolations(page), [], 'axe on the Model settings dialog at 390 px');
    await page.keyboard.press('Escape');
    await page.context().close();
  });
});

describe('conversation details', () => {
  test('long URLs, base64 and words wrap inside the bubbles; scroll-to-bottom appears when scrolled up', async () => {
    const page = await newPage({ width: 1024, height: 700 });
    await send(page, `Please send something long: ${'y'.repeat(400)}`);
    await complete(page);
    for (const sel of ['[data-testid=user-message]', '[data-testid=assistant-message]']) {
      const fits = await page.locator(sel).first().evaluate((el) => {
        const conv = el.closest('.conversation').getBoundingClientRect();
        return [...el.querySelectorAll('*')].every((c) => c.getBoundingClientRect().right <= conv.right + 1) && el.scrollWidth <= el.clientWidth + 1;
      });
      assert.ok(fits, `${sel} content runs out of the bubble`);
    }
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth));
    const conversation = page.locator('section.conversation');
    await conversation.evaluate((el) => el.scrollTo({ top: 0 }));
    const button = page.getByRole('button', { name: 'Scroll to the latest message' });
    await button.waitFor();
    await button.click();
    await eventually(() => conversation.evaluate((el) => el.scrollHeight - el.scrollTop - el.clientHeight < 80), 'not at the bottom');
    await button.waitFor({ state: 'detached' });
    await page.context().close();
  });

  test('a sent message shows its time at once; code is highlighted lazily and has a copy button', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, permissions: ['clipboard-read', 'clipboard-write'] });
    const page = await context.newPage();
    const scripts = [];
    page.on('request', (r) => r.resourceType() === 'script' && scripts.push(r.url()));
    await page.goto(service.base + '/');
    await page.getByLabel('Message', { exact: true }).waitFor();
    assert.equal(scripts.filter((u) => /highlight/.test(u)).length, 0, 'the highlighter is not part of the first load');
    await send(page, 'Show me code');
    await page.getByTestId('user-message').getByTestId('message-time').waitFor();
    await complete(page);
    await page.locator('.code-block .hljs-title, .code-block .hljs-string').first().waitFor();
    assert.ok(scripts.some((u) => /highlight/.test(u)), 'the highlighter was fetched on demand');
    await page.locator('.code-block').getByRole('button', { name: 'Copy code' }).click();
    await page.getByTestId('toast').filter({ hasText: 'Copied code' }).waitFor();
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), 'console.log("hi");');
    await context.close();
  });

  test('math is typeset with KaTeX, loaded only when a reply has math; prices stay text', async () => {
    const page = await newPage();
    const scripts = [];
    page.on('request', (r) => r.resourceType() === 'script' && scripts.push(r.url()));
    await send(page, 'Some math please');
    await complete(page);
    const reply = page.getByTestId('assistant-message').last();
    await reply.locator('.math-display .katex-display').waitFor();
    assert.equal(await reply.locator('.math .katex').count(), 2);
    assert.ok(scripts.some((u) => /math|katex/.test(u)), 'KaTeX was fetched on demand');
    assert.match(await reply.innerText(), /costs \$5 and \$10/);
    const fontLoaded = await page.evaluate(async () => { await document.fonts.ready; return [...document.fonts].some((f) => /KaTeX/.test(f.family) && f.status === 'loaded'); });
    assert.ok(fontLoaded, 'KaTeX fonts load under the CSP');
    assert.deepEqual(await seriousViolations(page), [], 'axe with typeset math');
    await page.screenshot({ path: join(resultsDir, 'math.png') });
    await page.context().close();
  });

  test('a failed conversation load offers Retry, which reloads it and keeps the URL', async () => {
    const page = await newPage();
    await send(page, 'Keep this conversation');
    await complete(page);
    const id = sessionIdOf(page);
    let failures = 0;
    await page.route(`**/api/chat/session/${id}?**`, (route) => {
      if (route.request().method() === 'GET' && failures === 0) {
        failures++;
        return route.fulfill({ status: 503, json: { detail: 'Service Unavailable' } });
      }
      return route.fallback();
    });
    await page.reload();
    const failed = page.getByTestId('load-error');
    await failed.waitFor();
    assert.match(await failed.innerText(), /busy or unavailable/i);
    assert.equal(sessionIdOf(page), id, 'the URL still names the session');
    assert.notEqual(await page.getByRole('heading', { level: 1 }).innerText(), 'New chat');
    await failed.getByRole('button', { name: 'Retry' }).click();
    await page.getByTestId('user-message').filter({ hasText: 'Keep this conversation' }).waitFor();
    await failed.waitFor({ state: 'detached' });
    assert.equal(sessionIdOf(page), id);
    assert.equal(failures, 1);
    await page.context().close();
  });

  test('an unknown conversation says so in words and offers a new chat', async () => {
    const page = await newPage({ path: '/c/session_doesnotexist0' });
    const failed = page.getByTestId('load-error');
    await failed.waitFor();
    assert.match(await failed.innerText(), /does not exist/);
    assert.equal(await failed.getByRole('button', { name: 'Retry' }).count(), 0);
    await failed.getByRole('button', { name: 'New chat' }).click();
    await eventually(async () => new URL(page.url()).pathname === '/', 'not a new chat');
    await page.context().close();
  });

  test('an image thumbnail has a usable size and opens full size', async () => {
    const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAEElEQVR4nGP4zwAE/xkgFAAb8gP91pbyKwAAAABJRU5ErkJggg==', 'base64');
    const page = await newPage();
    await page.getByTestId('file-input').setInputFiles({ name: 'tiny.png', mimeType: 'image/png', buffer: PNG });
    await page.locator('[data-testid=pending-attachment][data-status=done]').waitFor();
    await send(page, 'A 2×2 image');
    await complete(page);
    const thumb = page.getByTestId('user-message').locator('img.thumb');
    await eventually(() => thumb.evaluate((img) => img.complete && img.naturalWidth === 2), 'thumbnail not loaded');
    const box = await thumb.boundingBox();
    assert.ok(box.width >= 63 && box.height >= 63, `a 2×2 image shows as ${box.width}×${box.height}`);
    await page.getByRole('button', { name: 'Open tiny.png full size' }).click();
    const dialog = page.getByRole('dialog', { name: 'tiny.png' });
    const full = dialog.getByTestId('image-full');
    await eventually(() => full.evaluate((img) => img.complete && img.naturalWidth === 2), 'full image not loaded');
    assert.ok((await full.boundingBox()).width >= 127);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    await page.context().close();
  });
});

describe('sidebar and keyboard', () => {
  test('sessions are grouped by day, actions sit in a menu, arrows move between sessions', async () => {
    const page = await newPage();
    await send(page, 'First of two');
    await complete(page);
    await page.getByRole('button', { name: 'New chat' }).click();
    await send(page, 'Second of two');
    await complete(page);
    const sidebar = page.getByRole('navigation', { name: 'Conversations' });
    await sidebar.getByRole('heading', { name: 'Today' }).waitFor();
    const items = sidebar.locator('.session-open');
    await eventually(async () => (await items.count()) >= 2, 'two sessions');
    assert.equal(await sidebar.getByRole('button', { name: /^(Rename|Delete)/ }).count(), 0, 'no always-visible Rename/Delete');
    await items.first().focus();
    await page.keyboard.press('ArrowDown');
    assert.equal(await items.nth(1).evaluate((el) => el === document.activeElement), true);
    await page.keyboard.press('ArrowUp');
    assert.equal(await items.first().evaluate((el) => el === document.activeElement), true);
    await page.keyboard.press('End');
    assert.equal(await items.last().evaluate((el) => el === document.activeElement), true);
    // the menu by keyboard: Enter opens it with focus on the first item, Escape gives focus back
    const menuButton = page.getByTestId('session-item').first().getByRole('button', { name: /^Actions for/ });
    await menuButton.focus();
    await page.keyboard.press('Enter');
    await eventually(() => page.getByRole('menuitem', { name: 'Rename' }).evaluate((el) => el === document.activeElement), 'focus not in the menu');
    await page.keyboard.press('ArrowDown');
    assert.equal(await page.getByRole('menuitem', { name: 'Export as Markdown' }).evaluate((el) => el === document.activeElement), true);
    await page.keyboard.press('End');
    assert.equal(await page.getByRole('menuitem', { name: 'Delete' }).evaluate((el) => el === document.activeElement), true);
    await page.keyboard.press('Escape');
    await page.getByRole('menu').waitFor({ state: 'detached' });
    assert.equal(await menuButton.evaluate((el) => el === document.activeElement), true);
    await page.context().close();
  });

  test('shortcuts: ? opens the help, / focuses the message box, Ctrl+K message search, Ctrl+Shift+O new chat, Esc stops', async () => {
    const page = await newPage();
    await page.locator('body').click();
    await page.keyboard.press('?');
    const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await help.waitFor();
    assert.match(await help.innerText(), /New chat/);
    assert.match(await help.innerText(), /Search all messages/);
    await page.screenshot({ path: join(resultsDir, 'shortcuts.png') });
    await page.keyboard.press('Escape');
    await help.waitFor({ state: 'detached' });
    await page.locator('body').click();
    await page.keyboard.press('/');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'composer-input');
    await page.keyboard.press('Control+k');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'history-search');
    await send(page, 'a slow reply for the stop shortcut');
    await eventually(async () => (await page.getByTestId('assistant-message').last().innerText()).includes('word2'), 'stream did not start');
    await page.keyboard.press('Escape');
    await page.locator('[data-testid=assistant-message][data-status=cancelled]').waitFor();
    await page.keyboard.press('Control+Shift+O');
    await eventually(async () => new URL(page.url()).pathname === '/', 'no new chat');
    assert.equal(await page.getByTestId('user-message').count(), 0);
    await page.context().close();
  });
});

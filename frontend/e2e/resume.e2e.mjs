// Issue 12's browser acceptance: runs that survive the browser. A reload mid-stream continues the reply with no gap
// and no duplicated text; a second tab follows the reply live and its Stop ends it for both; the network taken
// offline and back mid-stream (DevTools protocol) resumes and completes the reply. The fake upstream's "paced"
// script numbers its words (p1 p2 …), so the final text shows any gap or duplicate.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import net from 'node:net';
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

/**
 * A loopback TCP proxy in front of the service that can drop the network: Chromium's offline emulation (DevTools
 * `Network.emulateNetworkConditions`) fails new requests and flips `navigator.onLine`, but a response that is already
 * streaming keeps flowing. A real outage also kills the open connection, which `cut()` does (and refuses new ones
 * until `restore()`).
 */
function startProxy(target) {
  const { hostname, port } = new URL(target);
  const sockets = new Set();
  let down = false;
  const server = net.createServer((client) => {
    if (down) return client.destroy();
    const upstreamSocket = net.connect(Number(port), hostname);
    for (const s of [client, upstreamSocket]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => undefined);
    }
    client.pipe(upstreamSocket).pipe(client);
    client.on('close', () => upstreamSocket.destroy());
    upstreamSocket.on('close', () => client.destroy());
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({
    base: `http://127.0.0.1:${server.address().port}`,
    cut: () => {
      down = true;
      for (const s of sockets) s.destroy();
    },
    restore: () => {
      down = false;
    },
    close: () => new Promise((r) => {
      for (const s of sockets) s.destroy();
      server.close(r);
    }),
  })));
}

/** One page in a new context; `turnRequests` collects the URLs of the events route it calls. */
async function newPage(context, base = service.base) {
  const ctx = context ?? (await browser.newContext({ viewport: { width: 1200, height: 800 } }));
  const page = await ctx.newPage();
  page.turnRequests = [];
  page.on('pageerror', (err) => console.error('page error:', err.message));
  page.on('request', (r) => {
    if (r.url().includes('/api/chat/turns/')) page.turnRequests.push({ url: r.url(), lastEventId: r.headers()['last-event-id'] ?? null });
  });
  await page.goto(base + '/');
  return page;
}

async function send(page, text) {
  const box = page.getByLabel('Message', { exact: true });
  await box.fill(text);
  await box.press('Enter');
}

const bubble = (page) => page.getByTestId('assistant-message').last();
const replyText = async (page) => (await bubble(page).locator('.markdown').allInnerTexts()).join('').replace(/\s+/g, ' ').trim();
const words = (n) => Array.from({ length: n }, (_, i) => `p${i + 1}`).join(' ');
/** How many numbered words the reply shows; asserts they are p1…pk in order (no gap, no duplicate). */
async function shownWords(page) {
  const text = await replyText(page);
  if (!text) return 0;
  const got = text.split(' ');
  assert.equal(text, words(got.length), 'the words shown so far are p1…pk without gap or duplicate');
  return got.length;
}
const sessionIdOf = (page) => /\/c\/([A-Za-z0-9_-]+)/.exec(page.url())?.[1];

async function api(path, init) {
  const res = await fetch(service.base + path, init);
  return { status: res.status, body: await res.json() };
}

/** Waits until the server has no running turn for the session and returns its last assistant message. */
async function storedReply(id) {
  return eventually(async () => {
    const { body } = await api(`/api/chat/session/${id}`);
    if (body.running_turn !== null || body.session.active_turn_id !== null) return null;
    return body.messages.filter((m) => m.role === 'assistant').pop();
  }, 'the turn did not end on the server', 60_000);
}

describe('runs that survive the browser', () => {
  test('a reload mid-stream continues the reply with no gap and no duplicated text', async () => {
    const page = await newPage();
    await send(page, 'paced 60x150 please');
    await eventually(async () => (await shownWords(page)) >= 5, 'the paced reply did not start');
    const id = sessionIdOf(page);
    await page.reload();
    // After the reload the page attaches to the running turn: the reply is still streaming and keeps growing.
    const afterReload = await eventually(async () => {
      const status = await bubble(page).getAttribute('data-status');
      const n = await shownWords(page);
      return status === 'streaming' && n > 0 ? n : null;
    }, 'the reloaded page did not attach to the running turn');
    assert.ok(afterReload < 60, 'attached while the reply was still being written');
    await eventually(async () => (await shownWords(page)) > afterReload, 'the reply did not continue live after the reload');
    await page.locator('[data-testid=assistant-message][data-status=complete]').waitFor({ timeout: 60_000 });
    assert.equal(await replyText(page), words(60));
    assert.equal(await page.getByTestId('assistant-message').count(), 1, 'one reply, not the stored hop plus the live one');
    assert.equal(await page.getByTestId('user-message').count(), 1);
    assert.equal(page.turnRequests.length, 1, 'one attachment');
    assert.equal(page.turnRequests[0].lastEventId, null, 'attached from the first event');
    await page.screenshot({ path: join(resultsDir, 'resume-after-reload.png') });
    const stored = await storedReply(id);
    assert.equal(stored.status, 'complete');
    assert.equal(String(stored.content).trim(), words(60));
    // A reload after the end shows the stored reply the same way.
    await page.reload();
    await page.locator('[data-testid=assistant-message][data-status=complete]').waitFor();
    assert.equal(await replyText(page), words(60));
    await page.context().close();
  });

  test('a second tab shows the running reply live; Stop from the second tab ends it in both', async () => {
    const context = await browser.newContext({ viewport: { width: 1200, height: 800 } });
    const first = await newPage(context);
    await send(first, 'paced 200x150 for two tabs');
    await eventually(async () => (await shownWords(first)) >= 3, 'the paced reply did not start');
    const id = sessionIdOf(first);
    const second = await newPage(context);
    await second.goto(`${service.base}/c/${id}`);
    const seen = await eventually(async () => {
      const n = await shownWords(second);
      return (await bubble(second).getAttribute('data-status')) === 'streaming' && n > 0 ? n : null;
    }, 'the second tab does not show the running reply');
    await eventually(async () => (await shownWords(second)) > seen + 3, 'the second tab is not live');
    // Both tabs follow the same events: the first one keeps growing too.
    const firstNow = await shownWords(first);
    await eventually(async () => (await shownWords(first)) > firstNow, 'the first tab stopped following');
    await second.getByRole('button', { name: 'Stop' }).click();
    for (const page of [first, second]) {
      await page.locator('[data-testid=assistant-message][data-status=cancelled]').waitFor({ timeout: 20_000 });
      assert.equal(await bubble(page).getByTestId('badge').innerText(), 'cancelled');
      await page.getByRole('button', { name: 'Send', exact: true }).waitFor();
    }
    const stored = await storedReply(id);
    assert.equal(stored.status, 'cancelled');
    const n = await shownWords(first);
    assert.ok(n < 200, 'stopped before the end');
    assert.equal(await replyText(second), await replyText(first), 'both tabs show the same text');
    assert.equal(String(stored.content).trim(), words(n), 'both show what the server stored');
    await second.screenshot({ path: join(resultsDir, 'resume-second-tab-stopped.png') });
    await context.close();
  });

  test('the network taken offline and back mid-stream (DevTools protocol): the reply resumes and completes', async () => {
    const proxy = await startProxy(service.base);
    const page = await newPage(undefined, proxy.base);
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Network.enable');
    const network = (offline) => cdp.send('Network.emulateNetworkConditions',
      { offline, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
    await send(page, 'paced 80x150 through a network outage');
    await eventually(async () => (await shownWords(page)) >= 5, 'the paced reply did not start');
    const id = sessionIdOf(page);
    // The outage: the browser goes offline (navigator.onLine false, the `offline` event) and the open connection dies.
    await network(true);
    proxy.cut();
    const notice = page.getByTestId('link-notice');
    await notice.waitFor({ timeout: 20_000 });
    assert.equal(await notice.getAttribute('data-link'), 'offline');
    const during = await shownWords(page);
    await page.screenshot({ path: join(resultsDir, 'resume-offline.png') });
    await new Promise((r) => setTimeout(r, 3000));
    assert.equal(await bubble(page).getAttribute('data-status'), 'streaming', 'not decided from silence');
    assert.equal(await shownWords(page), during, 'nothing arrives while offline');
    assert.equal(page.turnRequests.length, 0, 'no attempt while the browser knows it is offline');
    // Back online: the `online` event resumes at once with the last id seen.
    proxy.restore();
    await network(false);
    await page.locator('[data-testid=assistant-message][data-status=complete]').waitFor({ timeout: 60_000 });
    assert.equal(await replyText(page), words(80));
    assert.equal(await notice.count(), 0, 'the notice is gone');
    assert.equal(page.turnRequests.length, 1, 'resumed once, through the events route');
    assert.ok(Number(page.turnRequests[0].lastEventId) >= during, `resumed after the last id seen (${page.turnRequests[0].lastEventId})`);
    const stored = await storedReply(id);
    assert.equal(stored.status, 'complete');
    await page.context().close();
    await proxy.close();
  });

  test('a connection dropped while the browser still thinks it is online: backoff, then visibilitychange resumes at once', async () => {
    const proxy = await startProxy(service.base);
    const page = await newPage(undefined, proxy.base);
    const failed = [];
    page.on('requestfailed', (r) => {
      if (r.url().includes('/api/chat/turns/')) failed.push({ at: Date.now(), error: r.failure()?.errorText });
    });
    await send(page, 'paced 80x150 through a dead connection');
    await eventually(async () => (await shownWords(page)) >= 5, 'the paced reply did not start');
    const id = sessionIdOf(page);
    proxy.cut();
    const notice = page.getByTestId('link-notice');
    await notice.waitFor({ timeout: 20_000 });
    assert.equal(await notice.getAttribute('data-link'), 'reconnecting');
    // Attempts 1–3 fail (after 0.5, 1 and 2 s); the 4th would wait 4 s more.
    await eventually(() => failed.length >= 3, 'no resume attempts while the connection was down', 30_000);
    assert.equal(await bubble(page).getAttribute('data-status'), 'streaming', 'a failed attempt does not fail the turn');
    assert.equal(await page.getByRole('alert').count(), 0, 'no error banner');
    proxy.restore();
    const back = Date.now();
    // The tab comes back to the foreground: the waiting loop tries again at once instead of after its backoff.
    await page.evaluate(() => document.dispatchEvent(new Event('visibilitychange')));
    await eventually(() => page.turnRequests.length > failed.length, 'visibilitychange did not resume');
    assert.ok(Date.now() - back < 3000, `resumed ${Date.now() - back} ms after visibilitychange`);
    await page.locator('[data-testid=assistant-message][data-status=complete]').waitFor({ timeout: 60_000 });
    assert.equal(await replyText(page), words(80));
    assert.equal(await notice.count(), 0);
    assert.equal((await storedReply(id)).status, 'complete');
    await page.context().close();
    await proxy.close();
  });

  test('a reload after the turn outgrew the replay buffer: the reply is rebuilt from the snapshot, then live', async () => {
    // A second service keeping only 2 KiB of events per turn (Dropwizard's `dw.` override of chat.replayBufferBytes):
    // attaching from the first event finds it dropped and gets one `snapshot` event first (docs/api.md §3.6).
    const small = await startService(upstream.baseUrl, { JAVA_TOOL_OPTIONS: '-Ddw.chat.replayBufferBytes=2KiB' });
    try {
      const page = await newPage(undefined, small.base);
      await send(page, 'paced 60x150 outgrowing the buffer');
      await eventually(async () => (await shownWords(page)) >= 20, 'the paced reply did not get past the buffer');
      const id = sessionIdOf(page);
      await page.reload();
      // Right after the reload the reply shows at least the 20 words from before, while still streaming.
      await eventually(async () => (await bubble(page).getAttribute('data-status')) === 'streaming'
        && (await shownWords(page)) >= 20, 'the reloaded page did not rebuild the reply');
      assert.equal(page.turnRequests.length, 1);
      assert.equal(page.turnRequests[0].lastEventId, null, 'attached from the first event');
      // The same request the page made, read raw: the events it asked for are gone, so it starts with a snapshot.
      const turnId = (await (await fetch(`${small.base}/api/chat/session/${id}`)).json()).running_turn.turn_id;
      const head = await page.evaluate(async (url) => {
        const reader = (await fetch(url)).body.getReader();
        const { value } = await reader.read();
        await reader.cancel();
        return new TextDecoder().decode(value);
      }, `/api/chat/turns/${turnId}/events`);
      assert.match(head, /^id: \d+\nevent: snapshot\n/, 'the attachment starts with a snapshot');
      await page.locator('[data-testid=assistant-message][data-status=complete]').waitFor({ timeout: 60_000 });
      assert.equal(await replyText(page), words(60));
      assert.equal(await page.getByTestId('assistant-message').count(), 1);
      await page.context().close();
    } finally {
      await small.stop();
    }
  });
});

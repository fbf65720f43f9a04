'use strict';
// The operators' console in a real browser: a failing webhook is listed as failing, its attempts show the error
// class and the receiver's answer, and reactivating it after the receiver is fixed makes the next delivery succeed.

const assert = require('node:assert/strict');
const http = require('node:http');
const { test } = require('node:test');
const { ADMIN_KEY, ADMIN_URL, HOOKLINE_URL, call, createUser, screenshot, useBrowserAndApp, waitFor } =
  require('./support');

const session = useBrowserAndApp();
const BROKEN = 'receiver down: database unreachable';

/** A receiver on loopback answering 500 with BROKEN until fixed, then 200. */
async function startReceiver () {
  const receiver = { healthy: false, received: 0 };
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      receiver.received++;
      res.writeHead(receiver.healthy ? 200 : 500, { 'Content-Type': 'text/plain' });
      res.end(receiver.healthy ? 'ok' : BROKEN);
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${server.address().port}/hook`;
  receiver.close = () => server.close();
  return receiver;
}

test('a failing webhook: listed as failing, its attempts tell why, reactivated once its receiver is fixed', async () => {
  const receiver = await startReceiver();
  try {
    const user = await createUser();
    const app = await call('POST', `/${user.username}/accesses`, {
      token: user.token,
      body: { type: 'app', name: 'console-check', permissions: [{ streamId: '*', level: 'read' }] }
    });
    assert.equal(app.status, 201, app.text);
    const appToken = app.body.access.token;
    // maxRetries 0: the first failure deactivates it, so only the operator's reactivation brings it back.
    const hook = await call('POST', `/${user.username}/webhooks`, {
      token: appToken, body: { url: receiver.url, maxRetries: 0 }
    });
    assert.equal(hook.status, 201, hook.text);
    const id = hook.body.webhook.id;
    const made = await call('POST', `/${user.username}/streams`, { token: user.token, body: { name: 'Count' } });
    assert.equal(made.status, 201, made.text);
    const webhook = async () => (await call('GET', `/${user.username}/webhooks/${id}`, { token: appToken })).body.webhook;
    await waitFor('the webhook deactivated by its failure', async () => (await webhook()).state === 'inactive');

    const page = await session.browser.context.newPage();
    await page.goto(`${ADMIN_URL}/console/#/webhooks?failing=true`);
    const row = page.locator(`#webhooks tr[data-id="${id}"]`);
    await row.waitFor();
    assert.match(await row.textContent(), /failing/);
    assert.match(await row.textContent(), new RegExp(user.username));
    assert.match(await row.textContent(), /inactive/);
    assert.ok(await page.isChecked('#filter-failing'));
    await screenshot(page, 'console-1-webhooks');

    await row.getByRole('link', { name: id }).click();
    const attempts = page.locator('#attempts tbody tr');
    await attempts.first().waitFor();
    const first = await attempts.first().textContent();
    assert.match(first, /http-5xx/);
    assert.match(first, /500/);
    assert.match(first, new RegExp(BROKEN));
    assert.match(await page.textContent('#facts'), /inactive/);
    await screenshot(page, 'console-2-webhook');

    receiver.healthy = true;
    await page.click('#action-reactivate');
    await page.waitForSelector('#message.ok');
    await waitFor('the next delivery succeeds (checked through the API)', async () => {
      const w = await webhook();
      return w.state === 'active' && w.lastRun.status === 200;
    });
    const after = await webhook();
    assert.equal(after.currentRetries, 0);
    assert.equal(after.runs[0].status, 200);
    await page.reload();
    await page.waitForFunction(() => document.querySelector('#attempts tbody tr')?.textContent.includes('delivered'));
    await screenshot(page, 'console-3-reactivated');

    await page.goto(`${ADMIN_URL}/console/#/`);
    await page.waitForSelector('#chart-deliveries svg rect.delivered');
    assert.ok(await page.locator('#chart-deliveries svg rect.retry').count() > 0, 'the failure in the chart');
    assert.match(await page.textContent('#plugins'), /http/);
    assert.match(await page.textContent('#health'), /delivery-lag/);
    await screenshot(page, 'console-4-overview');
    await page.close();
  } finally {
    receiver.close();
  }
});

test('on the API port the console answers only with the admin key', async () => {
  const none = await fetch(`${HOOKLINE_URL}/console/`);
  assert.equal(none.status, 401);
  assert.match(none.headers.get('www-authenticate'), /^Basic/);
  assert.equal((await none.json()).error.id, 'invalid-access-token');

  const page = await session.browser.context.newPage();
  // What the browser sends once the operator typed the key in its Basic authentication prompt.
  await page.setExtraHTTPHeaders({ Authorization: 'Basic ' + Buffer.from(`operator:${ADMIN_KEY}`).toString('base64') });
  await page.goto(`${HOOKLINE_URL}/console/#/webhooks`);
  await page.waitForSelector('#webhooks');
  await page.close();
});

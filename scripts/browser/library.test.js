'use strict';
// The pryv library, loaded in a page of another origin, reads and writes through Hookline's CORS answers.

const assert = require('node:assert/strict');
const { test } = require('node:test');
const { HOOKLINE_URL, screenshot, useBrowserAndApp, call, createUser } = require('./support');

const session = useBrowserAndApp();

test('a page of another origin creates and reads events with the pryv library', async () => {
  const user = await createUser();
  const created = await call('POST', `/${user.username}/streams`, {
    token: user.token, body: { id: 'count', name: 'Count' }
  });
  assert.equal(created.status, 201, created.text);
  const endpoint = HOOKLINE_URL.replace('://', `://${user.token}@`) + `/${user.username}/`;

  const page = await session.browser.context.newPage();
  await page.goto(session.app.url);
  const result = await page.evaluate(async (apiEndpoint) => {
    const connection = new window.pryv.Connection(apiEndpoint);
    const [made] = await connection.api([{
      method: 'events.create', params: { streamIds: ['count'], type: 'count/steps', content: 1200 }
    }]);
    const read = await connection.get('events', { streams: ['count'] });
    document.getElementById('out').textContent = JSON.stringify(read.events, null, 2);
    return { made, read };
  }, endpoint);

  assert.ok(result.made.event, JSON.stringify(result.made));
  assert.deepEqual(result.read.events.map((e) => e.content), [1200]);
  await screenshot(page, 'library-events');
});

'use strict';
// A sign-in request expires: run against a Hookline whose signIn.requestLifetime is a few seconds
// (scripts/test starts one with HOOKLINE_SIGN_IN_LIFETIME).

const assert = require('node:assert/strict');
const { test } = require('node:test');
const { screenshot, useBrowserAndApp, createUser, waitFor } = require('../support');
const { openApp, clickSignIn } = require('../signin-support');

const session = useBrowserAndApp();

test('an expired request: the poll answers unknown-resource and the page says the request is no longer valid',
  async () => {
    const user = await createUser();
    const page = await session.browser.context.newPage();
    await openApp(page, session.app.url, 'late-app', [{ streamId: 'steps', defaultName: 'Steps', level: 'read' }]);
    const signIn = await clickSignIn(page);
    const request = await page.evaluate(() => window.authStates.find((s) => s.status === 'NEED_SIGNIN'));
    await waitFor('the request expires', async () => (await fetch(request.poll)).status === 404);
    const poll = await (await fetch(request.poll)).json();
    assert.equal(poll.error.id, 'unknown-resource');

    // The user, too late, still tries: the page says why nothing happens.
    if (await signIn.isVisible('#username')) {
      await signIn.getByLabel('Username').fill(user.username);
      await signIn.getByLabel('Password').fill(user.password);
      await signIn.getByRole('button', { name: 'Sign in and allow' }).click();
    }
    await signIn.waitForSelector('text=no longer valid');
    await screenshot(signIn, 'signin-8-expired');
    // The library's poll ended on the error answer; it never saw an access.
    await page.waitForFunction(() => window.authStates.some((s) => s.error && s.error.id === 'unknown-resource'));
    assert.ok(!(await page.evaluate(() => window.authStates.some((s) => s.status === 'ACCEPTED'))));
  });

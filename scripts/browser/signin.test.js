'use strict';
// Sign-in for web apps, through the pryv library in a real browser: accept, refuse, and the keyboard alone.

const assert = require('node:assert/strict');
const { test } = require('node:test');
const { screenshot, useBrowserAndApp, createUser } = require('./support');
const { openApp, clickSignIn, stateOf } = require('./signin-support');

const STEPS = [{ streamId: 'steps', defaultName: 'Steps', level: 'contribute' }];
const session = useBrowserAndApp();

test('the app asks, the user signs in and accepts, and the app gets a token that reads the stream', async () => {
  const user = await createUser();
  const page = await session.browser.context.newPage();
  await openApp(page, session.app.url, 'step-counter', STEPS);
  assert.match(await page.textContent('#pryv-access-btn'), /Sign ?in: Hookline/i);
  await screenshot(page, 'signin-1-app');

  const signIn = await clickSignIn(page);
  assert.equal((await stateOf(page, ['NEED_SIGNIN'])).status, 'NEED_SIGNIN');
  assert.match(await signIn.textContent('h1'), /step-counter/);
  assert.match(await signIn.textContent('ul.asked'), /Steps \(steps\): see, add, change and delete events/);
  await screenshot(signIn, 'signin-2-page');

  await signIn.getByLabel('Username').fill(user.username);
  await signIn.getByLabel('Password').fill(user.password);
  await signIn.getByRole('button', { name: 'Sign in and allow' }).click();
  await signIn.waitForSelector('text=Access given');
  await screenshot(signIn, 'signin-3-accepted');

  const state = await stateOf(page, ['ACCEPTED']);
  assert.equal(state.username, user.username);
  const read = await page.evaluate(async (apiEndpoint) => {
    const connection = new window.pryv.Connection(apiEndpoint);
    const [made] = await connection.api([{
      method: 'events.create', params: { streamIds: ['steps'], type: 'count/steps', content: 3000 }
    }]);
    const { streams } = await connection.get('streams');
    const { events } = await connection.get('events', { streams: ['steps'] });
    document.getElementById('out').textContent = `signed in; ${events.length} event(s) in ${streams[0].name}`;
    return { made, streams, events };
  }, state.apiEndpoint);
  assert.ok(read.made.event, JSON.stringify(read.made));
  assert.deepEqual(read.streams.map((s) => [s.id, s.name]), [['steps', 'Steps']]);
  assert.deepEqual(read.events.map((e) => e.content), [3000]);
  await page.waitForFunction((name) => document.getElementById('pryv-access-btn').textContent.includes(name),
    user.username);
  await screenshot(page, 'signin-4-app-signed-in');
});

test('the user refuses: the page says so and the app is back where it started', async () => {
  const page = await session.browser.context.newPage();
  await openApp(page, session.app.url, 'nosy-app', STEPS);
  const signIn = await clickSignIn(page);
  await stateOf(page, ['NEED_SIGNIN']);
  await signIn.getByRole('button', { name: 'Refuse' }).click();
  await signIn.waitForSelector('text=Access refused');
  await screenshot(signIn, 'signin-5-refused');
  // The library answers a refusal by going back to its first state, ready to ask again.
  const state = await stateOf(page, ['INITIALIZED']);
  assert.equal(state.status, 'INITIALIZED');
  assert.ok(!(await page.evaluate(() => window.authStates.some((s) => s.status === 'ACCEPTED'))));
});

test('the sign-in form works with the keyboard alone, and a wrong password is said on the page', async () => {
  const user = await createUser();
  const page = await session.browser.context.newPage();
  await openApp(page, session.app.url, 'keyboard-app', STEPS);
  await page.focus('#pryv-access-btn');
  const popup = page.waitForEvent('popup');
  await page.keyboard.press('Enter');
  const signIn = await popup;
  await signIn.waitForLoadState();

  const focused = () => signIn.evaluate(() => document.activeElement.id || document.activeElement.textContent);
  assert.equal(await focused(), 'username', 'the username field has the focus when the page opens');
  await signIn.keyboard.type(user.username);
  await signIn.keyboard.press('Tab');
  assert.equal(await focused(), 'password');
  await signIn.keyboard.type('not-the-password');
  await signIn.keyboard.press('Enter');
  await signIn.waitForSelector('[role=alert]');
  assert.match(await signIn.textContent('[role=alert]'), /password/i);
  await screenshot(signIn, 'signin-6-wrong-password');

  // The form comes back with the username kept and the focus on it: one Tab to the password.
  assert.equal(await signIn.inputValue('#username'), user.username);
  assert.equal(await focused(), 'username');
  await signIn.keyboard.press('Tab');
  await signIn.keyboard.type(user.password);
  await signIn.keyboard.press('Tab');
  assert.equal(await focused(), 'Sign in and allow');
  await screenshot(signIn, 'signin-7-keyboard-focus');
  await signIn.keyboard.press('Enter');
  await signIn.waitForSelector('text=Access given');
  assert.equal((await stateOf(page, ['ACCEPTED'])).username, user.username);
});

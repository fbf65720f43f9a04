'use strict';
// An app that signs its user in with the pryv library's Browser.setupAuth, as a real web app does: the library reads
// Hookline's service information, shows its sign-in button, opens the sign-in page in a pop-up and polls.

const { HOOKLINE_URL } = require('./support');

/**
 * Opens the app in `page` and sets up the library's sign-in for `appId`, asking `permissions`. Every state the
 * library goes through is kept in `window.authStates`.
 */
async function openApp (page, appUrl, appId, permissions) {
  await page.goto(appUrl);
  await page.evaluate(async ({ serviceInfoUrl, appId, permissions }) => {
    window.authStates = [];
    await window.pryv.Browser.setupAuth({
      spanButtonID: 'login',
      onStateChange: (state) => window.authStates.push(JSON.parse(JSON.stringify(state))),
      authRequest: { requestingAppId: appId, languageCode: 'en', requestedPermissions: permissions }
    }, serviceInfoUrl);
  }, { serviceInfoUrl: `${HOOKLINE_URL}/service/info`, appId, permissions });
  await page.waitForSelector('#pryv-access-btn');
}

/** Clicks the app's sign-in button and answers the pop-up it opens on the sign-in page. */
async function clickSignIn (page) {
  const popup = page.waitForEvent('popup');
  await page.click('#pryv-access-btn');
  const signIn = await popup;
  await signIn.waitForLoadState();
  return signIn;
}

/** The last state the library reached, once it is one of `statuses`. */
async function stateOf (page, statuses) {
  const handle = await page.waitForFunction((wanted) => {
    const last = window.authStates[window.authStates.length - 1];
    return last && wanted.includes(last.status) ? last : null;
  }, statuses, { timeout: 30000 });
  return handle.jsonValue();
}

module.exports = { openApp, clickSignIn, stateOf };

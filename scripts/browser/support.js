'use strict';
// What the browser tests share: the browser (Debian's Chromium driven by playwright-core), screenshots, a small
// web app that loads the real pryv library in the page, and calls to the Hookline under test.

const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const fs = require('node:fs');
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');
const { chromium } = require('playwright-core');

const HOOKLINE_URL = required('HOOKLINE_URL').replace(/\/+$/, '');
const ADMIN_URL = required('HOOKLINE_ADMIN_URL').replace(/\/+$/, '');
const ADMIN_KEY = required('HOOKLINE_ADMIN_KEY');
const OUTPUT = process.env.HOOKLINE_TEST_OUTPUT || path.resolve(__dirname, '../../test-output/browser');
const CHROMIUM = '/usr/bin/chromium';
// Browser builds cannot be downloaded here, and nothing may call out: Chromium's background networking stays off.
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

function required (name) {
  const value = process.env[name];
  if (!value) throw new Error(`set ${name} (scripts/with-server.sh sets it)`);
  return value;
}

/** A fresh browser profile; close() ends the browser and deletes the profile. */
async function launchBrowser () {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install Debian's chromium package`);
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'hookline-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, viewport: { width: 1000, height: 760 }
  });
  return {
    context,
    close: async () => {
      await context.close();
      fs.rmSync(profile, { recursive: true, force: true });
    }
  };
}

/** Writes a full-page screenshot to the test output and prints its path. */
async function screenshot (page, name) {
  fs.mkdirSync(OUTPUT, { recursive: true });
  const file = path.join(OUTPUT, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  console.log(`screenshot: ${file}`);
  return file;
}

/**
 * The pryv library's sources (CommonJS, as published) joined into one script for the page, as an app's bundler
 * would: every relative require() is followed; JSON files become modules.
 */
function pryvBundle () {
  const defs = [];
  const ids = new Map();
  const add = (file) => {
    if (ids.has(file)) return ids.get(file);
    const id = defs.length;
    ids.set(file, id);
    defs.push(null);
    const source = fs.readFileSync(file, 'utf8');
    const deps = {};
    if (file.endsWith('.json')) {
      defs[id] = `[function (module) { module.exports = ${source}; }, {}]`;
      return id;
    }
    for (const [, spec] of source.matchAll(/require\('(\.{1,2}\/[^']+)'\)/g)) {
      deps[spec] = add(require.resolve(path.resolve(path.dirname(file), spec)));
    }
    defs[id] = `[function (module, exports, require, global) {\n${source}\n}, ${JSON.stringify(deps)}]`;
    return id;
  };
  add(require.resolve('pryv/src/browser-index.js'));
  return `(function (defs) {
  const cache = {};
  function load (id) {
    if (cache[id]) return cache[id].exports;
    const module = cache[id] = { exports: {} };
    const [fn, deps] = defs[id];
    fn.call(module.exports, module, module.exports, (spec) => {
      if (!(spec in deps)) throw new Error('not in the bundle: ' + spec);
      return load(deps[spec]);
    }, window);
    return module.exports;
  }
  window.pryv = load(0);
})([${defs.join(',\n')}]);`;
}

/**
 * A web app on its own loopback origin (so every call to Hookline is cross-origin, as for a real app): `/` is a page
 * with the pryv library loaded and a `<span id="login">` for its sign-in button.
 */
async function startApp () {
  const script = pryvBundle();
  const page = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Step counter</title><script src="/pryv.js"></script></head>
<body><h1>Step counter</h1><p><span id="login"></span></p><pre id="out"></pre></body></html>`;
  const server = http.createServer((req, res) => {
    const [body, type] = req.url === '/pryv.js' ? [script, 'text/javascript'] : [page, 'text/html'];
    res.writeHead(200, { 'Content-Type': `${type}; charset=utf-8` });
    res.end(body);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}/`,
    close: () => new Promise((resolve) => server.close(resolve))
  };
}

/**
 * Registers the hooks every browser test file needs: one Chromium and one app origin for the file, both closed after
 * it. Returns the object that holds them once the hooks have run ({browser, app}).
 */
function useBrowserAndApp () {
  const { after, before } = require('node:test');
  const session = {};
  before(async () => {
    session.browser = await launchBrowser();
    session.app = await startApp();
  });
  after(async () => {
    await session.browser?.close();
    await session.app?.close();
  });
  return session;
}

/** A call to Hookline's API; answers {status, body}. */
async function call (method, urlPath, { token, body } = {}) {
  const headers = { 'Content-Type': 'application/json' };
  if (token) headers.Authorization = token;
  const res = await fetch(HOOKLINE_URL + urlPath, {
    method, headers, body: body === undefined ? undefined : JSON.stringify(body)
  });
  const text = await res.text();
  let json = null;
  try { json = JSON.parse(text); } catch { /* not JSON: the caller looks at text */ }
  return { status: res.status, body: json, text };
}

/** A new account with a password; answers {username, password, token}. */
async function createUser () {
  const username = 'browser-' + crypto.randomBytes(5).toString('hex');
  const password = 'pw-' + crypto.randomBytes(6).toString('hex');
  const res = await call('POST', '/system/create-user', { token: ADMIN_KEY, body: { username, password } });
  assert.equal(res.status, 201, res.text);
  return { username, password, token: res.body.token };
}

/** Waits until `condition` (possibly async) holds, checking every 100 ms; fails after `limitMs`. */
async function waitFor (what, condition, limitMs = 30000) {
  const end = Date.now() + limitMs;
  while (!(await condition())) {
    if (Date.now() > end) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

module.exports = {
  HOOKLINE_URL, ADMIN_URL, ADMIN_KEY, launchBrowser, screenshot, startApp, useBrowserAndApp, call, createUser, waitFor
};

'use strict';
// Compatibility test: real `signed-http` deliveries from a running Hookline, verified with the official
// `standardwebhooks` library (pinned in package.json): a first delivery, a retry (same webhook-id, new signature),
// and deliveries after a secret rotation (new and old secret both verify during the overlap).
//
//   HOOKLINE_URL=http://127.0.0.1:8080 HOOKLINE_ADMIN_KEY=... node signed-compat.js
//
// The server must allow loopback targets (HOOKLINE_ALLOWED_NETWORKS=127.0.0.0/8). Prints `ok - ...` lines, then
// `N passed, M failed`; exits 1 if anything failed.

const crypto = require('node:crypto');
const http = require('node:http');
const { Webhook } = require('standardwebhooks');

const BASE_URL = (process.env.HOOKLINE_URL || '').replace(/\/+$/, '');
const ADMIN_KEY = process.env.HOOKLINE_ADMIN_KEY || '';
const TIMEOUT_MS = Number(process.env.COMPAT_TIMEOUT_MS || 60000);

let passed = 0;
let failed = 0;

function check (name, condition, detail) {
  if (condition) {
    passed++;
    console.log(`ok - ${name}`);
  } else {
    failed++;
    console.log(`not ok - ${name}`);
    if (detail !== undefined) console.log(`  # ${String(typeof detail === 'string' ? detail : JSON.stringify(detail)).slice(0, 2000)}`);
  }
  return Boolean(condition);
}

async function call (method, path, token, body) {
  const res = await fetch(BASE_URL + path, {
    method,
    headers: { Authorization: token, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body)
  });
  return { status: res.status, body: await res.json() };
}

/** Polls `condition` until it holds or `ms` pass. */
async function waitFor (what, condition, ms = 20000) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (condition()) return true;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** A loopback receiver recording each POST (raw body and headers); answers follow `answers` (default 200). */
function startReceiver (answers) {
  const hits = [];
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      hits.push({ body: Buffer.concat(chunks).toString('utf8'), headers: req.headers });
      res.statusCode = answers(hits.length);
      res.end();
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, hits, url: `http://127.0.0.1:${server.address().port}/signed` })));
}

function verifies (secret, hit) {
  try {
    new Webhook(secret).verify(hit.body, {
      'webhook-id': hit.headers['webhook-id'],
      'webhook-timestamp': hit.headers['webhook-timestamp'],
      'webhook-signature': hit.headers['webhook-signature']
    });
    return true;
  } catch (e) {
    return false;
  }
}

async function main () {
  const watchdog = setTimeout(() => { console.log('not ok - finished in time'); console.log(`${passed} passed, ${failed + 1} failed`); process.exit(1); }, TIMEOUT_MS);
  const username = 'signed-' + crypto.randomBytes(5).toString('hex');
  const created = await call('POST', '/system/create-user', ADMIN_KEY, { username });
  if (!check('create-user', created.status === 201, created.body)) return;
  const personal = created.body.token;
  await call('POST', `/${username}/streams`, personal, { id: 'count', name: 'Count' });
  const app = await call('POST', `/${username}/accesses`, personal, { type: 'app', name: 'signed-receiver', permissions: [{ streamId: '*', level: 'manage' }] });
  const appToken = app.body.access.token;

  // The first answer is a 500 so that the retry's signature can be checked too.
  const receiver = await startReceiver((n) => (n === 1 ? 500 : 200));
  const hook = await call('POST', `/${username}/webhooks`, appToken, { url: receiver.url, type: 'signed-http' });
  check('webhooks.create type signed-http answers 201', hook.status === 201, hook.body);
  const webhook = hook.body.webhook;
  const secret = webhook.settings && webhook.settings.secret;
  check('the owning access sees a whsec_ secret', typeof secret === 'string' && secret.startsWith('whsec_'), webhook.settings);

  const event = () => call('POST', `/${username}/events`, appToken, { streamIds: ['count'], type: 'count/steps', content: 10 });
  await event();
  await waitFor('a delivery and its retry', () => receiver.hits.length >= 2);
  const [first, retry] = receiver.hits;
  check('first delivery verifies with standardwebhooks', verifies(secret, first), first.headers);
  check('the retry verifies with standardwebhooks', verifies(secret, retry), retry.headers);
  check('the retry keeps the webhook-id', first.headers['webhook-id'] === retry.headers['webhook-id'], [first.headers['webhook-id'], retry.headers['webhook-id']]);
  check('the body is the Pryv notification', JSON.parse(retry.body).messages.includes('eventsChanged'), retry.body);
  check('a wrong secret does not verify', !verifies('whsec_' + crypto.randomBytes(32).toString('base64'), retry));

  const rotated = await call('PUT', `/${username}/webhooks/${webhook.id}`, appToken, { settings: { rotateSecret: true } });
  check('rotateSecret answers 200', rotated.status === 200, rotated.body);
  const newSecret = rotated.body.webhook && rotated.body.webhook.settings.secret;
  check('rotation gives a new secret', typeof newSecret === 'string' && newSecret !== secret, rotated.body.webhook && rotated.body.webhook.settings);

  const before = receiver.hits.length;
  await event();
  await waitFor('a delivery after the rotation', () => receiver.hits.length > before);
  const after = receiver.hits[receiver.hits.length - 1];
  check('after rotation the delivery verifies with the new secret', verifies(newSecret, after), after.headers);
  check('after rotation it still verifies with the old secret (overlap)', verifies(secret, after), after.headers);
  check('after rotation two signatures are sent', String(after.headers['webhook-signature']).split(' ').length === 2, after.headers['webhook-signature']);
  check('a new notification has a new webhook-id', after.headers['webhook-id'] !== first.headers['webhook-id']);

  receiver.server.close();
  clearTimeout(watchdog);
}

main()
  .catch((e) => check('no unexpected error', false, e && e.stack))
  .finally(() => {
    console.log(`${passed} passed, ${failed} failed`);
    process.exit(failed > 0 ? 1 : 0);
  });

'use strict';
// Compatibility test: drives a running Hookline server with the real `pryv` library (pinned in package.json).
//
//   HOOKLINE_URL=http://127.0.0.1:8080 HOOKLINE_ADMIN_KEY=... node pryv-compat.js
//
// Prints one line per check (`ok - ...` / `not ok - ...`, details of a failure on `  # ...` lines),
// then `N passed, M failed`. Exits 1 if anything failed. It never starts the server itself; the webhook checks need
// one that allows loopback targets (HOOKLINE_ALLOWED_NETWORKS=127.0.0.0/8) and a small HOOKLINE_MIN_INTERVAL_MS, as
// with-server.sh starts it.

const crypto = require('node:crypto');
const http = require('node:http');
const pryv = require('pryv');

const BASE_URL = (process.env.HOOKLINE_URL || '').replace(/\/+$/, '');
const ADMIN_KEY = process.env.HOOKLINE_ADMIN_KEY || '';
const TIMEOUT_MS = Number(process.env.COMPAT_TIMEOUT_MS || 60000);

// ---------------------------------------------------------------- reporting

let passed = 0;
let failed = 0;

/** Stops the run when later checks cannot mean anything (e.g. no user could be created). */
class Bail extends Error {}

function check (name, condition, detail) {
  if (condition) {
    passed++;
    console.log(`ok - ${name}`);
  } else {
    failed++;
    console.log(`not ok - ${name}`);
    if (detail !== undefined) {
      const text = typeof detail === 'string' ? detail : JSON.stringify(detail);
      for (const line of text.slice(0, 2000).split('\n')) console.log(`  # ${line}`);
    }
  }
  return Boolean(condition);
}

/** Like check(), but ends the run if it fails. */
function need (name, condition, detail) {
  if (!check(name, condition, detail)) throw new Bail(name);
}

function summaryAndExit () {
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed > 0 ? 1 : 0);
}

// ---------------------------------------------------------------- helpers

function randomLower (n) {
  const letters = 'abcdefghijklmnopqrstuvwxyz';
  return Array.from(crypto.randomBytes(n), (b) => letters[b % 26]).join('');
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const ids = (events) => (events || []).map((e) => e.id).sort();
const sameIds = (a, b) => JSON.stringify([...a].sort()) === JSON.stringify([...b].sort());

/** The server's current time (float seconds), read from the `meta` of an access-info call. */
async function serverTime (conn) {
  const info = await conn.accessInfo();
  return info.meta.serverTime;
}

/** One call through the library's batch method; returns its single result. */
async function one (conn, method, params) {
  const [result] = await conn.api([{ method, params }]);
  return result;
}

// ---------------------------------------------------------------- checks

async function createUser () {
  const username = 'compat-' + randomLower(10);
  const password = 'pw-' + randomLower(16);
  const res = await fetch(BASE_URL + '/system/create-user', {
    method: 'POST',
    headers: { Authorization: ADMIN_KEY, 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify({ username, password })
  });
  const body = await res.json().catch(() => null);
  need('system/create-user answers 201 {username, apiEndpoint, token}',
    res.status === 201 && body && body.username === username &&
      typeof body.apiEndpoint === 'string' && typeof body.token === 'string',
    { status: res.status, body });
  return { ...body, password };
}

/**
 * What almost every app does first: `new pryv.Service(<origin>/service/info)`, then `service.login(...)`, and reads
 * with the Connection it gets: `accessInfo()`, `get('account')`, a batch call; finally it logs out.
 */
async function serviceChecks (user) {
  const service = new pryv.Service(BASE_URL + '/service/info');
  const info = await service.info();
  need('pryv.Service(origin/service/info).info() gives api, register, access, name and version',
    info && info.api === `${BASE_URL}/{username}/` && info.register === `${BASE_URL}/reg/` &&
      info.access === `${BASE_URL}/reg/access/` && typeof info.name === 'string' && typeof info.version === 'string',
    info);
  const reg = await fetch(BASE_URL + '/reg/service/info').then((r) => r.json()).catch((e) => String(e));
  check('/reg/service/info answers the same', reg && reg.api === info.api && reg.access === info.access, reg);
  check('service.apiEndpointFor(username, token) is the apiEndpoint create-user gave',
    (await service.apiEndpointFor(user.username, user.token)) === user.apiEndpoint,
    { apiEndpoint: user.apiEndpoint });

  const conn = await service.login(user.username, user.password, 'compat-login');
  need('service.login(username, password, appId) returns a Connection with a token',
    conn instanceof pryv.Connection && typeof conn.token === 'string' && conn.token.length > 0);
  const access = await conn.accessInfo();
  check('connection.accessInfo() is the whole access: token, type personal, name = appId, tracking, user',
    !access.error && access.token === conn.token && access.type === 'personal' && access.name === 'compat-login' &&
      typeof access.created === 'number' && typeof access.createdBy === 'string' &&
      typeof access.modified === 'number' && access.user && access.user.username === user.username, access);
  const account = await conn.get('account');
  check('connection.get(\'account\') shows the account and what it stores',
    account && account.account && account.account.username === user.username &&
      typeof account.account.language === 'string' && account.account.storageUsed &&
      typeof account.account.storageUsed.dbDocuments === 'number', account);

  let refused = null;
  try { await service.login(user.username, 'not-the-password', 'compat-login'); } catch (e) { refused = e; }
  check('service.login with a wrong password throws Pryv\'s message',
    refused && refused.id === 'invalid-credentials' &&
      refused.message === 'The given username/password pair is invalid.', String(refused));

  const [unknown, fine] = await conn.api([{ method: 'no.such.method', params: {} }, { method: 'account.get', params: {} }]);
  check('a batch call with an unknown method: that result is invalid-method, the others run',
    unknown && unknown.error && unknown.error.id === 'invalid-method' &&
      unknown.error.message === 'Invalid method id "no.such.method"' && fine && fine.account, [unknown, fine]);

  const out = await conn.post('auth/logout', {});
  const after = await conn.accessInfo();
  check('post(\'auth/logout\') ends the session: its token is refused afterwards',
    out && !out.error && after.error && after.error.id === 'invalid-access-token', { out, after });
}

async function personalChecks (user) {
  const conn = new pryv.Connection(user.apiEndpoint);
  check('apiEndpoint carries the personal token', conn.token === user.token,
    { apiEndpoint: user.apiEndpoint, token: user.token });
  check('apiEndpoint points at HOOKLINE_URL/{username}/', conn.endpoint === `${BASE_URL}/${user.username}/`,
    { endpoint: conn.endpoint });

  const info = await conn.accessInfo();
  need('accessInfo() is the personal access of the new user',
    !info.error && info.type === 'personal' && info.user && info.user.username === user.username, info);
  check('connection.username() resolves to the user', (await conn.username()) === user.username);
  check('meta.serverTime is in seconds (deltaTime under a minute)', Math.abs(conn.deltaTime) < 60,
    { deltaTime: conn.deltaTime, meta: info.meta });

  const bad = new pryv.Connection(`${BASE_URL}/${user.username}/`.replace('://', '://not-a-valid-token@'));
  const badInfo = await bad.accessInfo(); // throws "Cannot find .meta" if the error has no meta
  check('unknown token: error invalid-access-token with meta', badInfo.error && badInfo.error.id === 'invalid-access-token',
    badInfo);
  return conn;
}

async function appAccess (conn) {
  const result = await one(conn, 'accesses.create', {
    type: 'app', name: 'compat-app', permissions: [{ streamId: '*', level: 'manage' }]
  });
  const access = result && result.access;
  need('accesses.create (batch) returns an app access with token and apiEndpoint',
    access && access.type === 'app' && typeof access.token === 'string' && typeof access.apiEndpoint === 'string',
    result);
  const app = new pryv.Connection(access.apiEndpoint);
  check('app apiEndpoint carries the app token', app.token === access.token, access.apiEndpoint);
  const info = await app.accessInfo();
  check('accessInfo() through the app access has type app', !info.error && info.type === 'app', info);
  check('empty batch [] answers results [] (sent by the library for 0, 1000, 2000... calls)',
    sameIds(await app.api([]), []));
  return { app, access };
}

async function eventChecks (app, conn) {
  const before = (await serverTime(app)) - 1; // fresh user: nothing else changes in this margin
  const parentId = 'compat-parent';
  const childId = 'compat-child';
  const streamCalls = [
    { method: 'streams.create', params: { id: parentId, name: 'Compat parent' } },
    { method: 'streams.create', params: { id: childId, name: 'Compat child', parentId } }
  ];
  let [parent, child] = await app.api(streamCalls);
  if (parent && parent.error) {
    // Pryv lets an app access with '*' manage create root streams, and so does Hookline (docs/API.md 5); if that is
    // refused, record it and go on with the personal access.
    check('app access with "*" manage creates a root stream (as Pryv does)', false, parent);
    [parent] = await conn.api([streamCalls[0]]);
    if (child && child.error) [child] = await app.api([streamCalls[1]]);
  }
  need('batch created the parent stream', parent && parent.stream && parent.stream.id === parentId, parent);
  need('batch created the child stream under it',
    child && child.stream && child.stream.id === childId && child.stream.parentId === parentId, child);

  const calls = [
    { method: 'events.create', params: { streamIds: [parentId], type: 'count/steps', content: 1000 } },
    { method: 'events.create', params: { streamIds: [parentId], type: 'count/steps', content: 2500 } },
    { method: 'events.create', params: { streamIds: [childId], type: 'count/steps', content: 12.5 } },
    { method: 'events.create', params: { streamIds: [childId, parentId], type: 'count/steps', content: 0 } }
  ];
  const eventResults = await app.api(calls);
  const created = eventResults.map((r) => r && r.event);
  need('batch created every event with its content', created.every((e, i) =>
    e && e.id && e.type === 'count/steps' && e.content === calls[i].params.content &&
    e.streamId === calls[i].params.streamIds[0]), eventResults);
  const createdIds = created.map((e) => e.id);

  const afterCreate = await serverTime(app);
  await sleep(20);

  let res = await app.get('events', { modifiedSince: before, limit: 100 });
  check('get events {modifiedSince, limit} returns every created event',
    !res.error && sameIds(ids(res.events), createdIds), { expected: createdIds, got: res.error || ids(res.events) });
  const sample = (res.events || [])[0] || {};
  check('events carry time in seconds and tags []',
    Math.abs(sample.time - afterCreate) < 3600 && Array.isArray(sample.tags), sample);

  const [updatedId, trashedId] = createdIds;
  const update = await one(app, 'events.update', { id: updatedId, update: { content: 42 } });
  check('events.update (batch) changes the content', update && update.event && update.event.content === 42, update);
  res = await app.get('events', { modifiedSince: afterCreate, limit: 100 });
  check('get events {modifiedSince: serverTime after create} returns exactly the updated event',
    !res.error && sameIds(ids(res.events), [updatedId]) && res.events[0].content === 42,
    { expected: [updatedId], got: res.error || res.events });

  const trash = await one(app, 'events.delete', { id: trashedId });
  check('events.delete (batch) trashes the event', trash && trash.event && trash.event.trashed === true, trash);
  res = await app.get('events', { limit: 100 });
  check('trashed event is hidden by default', !res.error && !ids(res.events).includes(trashedId),
    res.error || ids(res.events));
  res = await app.get('events', { state: 'all', limit: 100 });
  const trashed = (res.events || []).find((e) => e.id === trashedId);
  check('trashed event is listed with state: all', !res.error && trashed && trashed.trashed === true &&
    sameIds(ids(res.events), createdIds), res.error || res.events);

  const streamed = [];
  const body = await app.getEventsStreamed({ limit: 1000 }, (e) => streamed.push(e));
  const live = createdIds.filter((id) => id !== trashedId);
  check('getEventsStreamed yields every (non-trashed) event', sameIds(ids(streamed), live),
    { expected: live, got: ids(streamed) });
  check('getEventsStreamed body has eventsCount and meta', body.eventsCount === streamed.length && body.meta, body);

  // Streamed sync with deletions: the library finds "eventDeletions":[ only after the events array.
  const deletion = await one(app, 'events.delete', { id: trashedId });
  check('second events.delete deletes for good', deletion && deletion.eventDeletion &&
    deletion.eventDeletion.id === trashedId, deletion);
  const items = [];
  const syncBody = await app.getEventsStreamed(
    { modifiedSince: before, includeDeletions: true, state: 'all', limit: 1000 }, (e) => items.push(e));
  check('getEventsStreamed with includeDeletions yields events then the deletion',
    sameIds(ids(items.filter((e) => !e.deleted)), live) &&
      sameIds(ids(items.filter((e) => e.deleted)), [trashedId]) && syncBody.eventDeletionsCount === 1,
    { items, body: syncBody });
  return { parentId, childId, eventIds: live };
}

async function errorChecks (app) {
  const result = await one(app, 'events.create', { streamIds: ['does-not-exist'], type: 'count/steps', content: 1 });
  check('events.create on an unknown stream: unknown-referenced-resource',
    result && result.error && result.error.id === 'unknown-referenced-resource', result);
}

/** Polls `condition` every 25 ms until it holds or `ms` pass; returns whether it held. */
async function until (ms, condition) {
  const deadline = Date.now() + ms;
  for (;;) {
    if (condition()) return true;
    if (Date.now() > deadline) return false;
    await sleep(25);
  }
}

/**
 * A webhook receiver on loopback, as an app would run it: every POST is recorded and answered 200 at once; on
 * `eventsChanged` it syncs through its own pryv Connection with
 * `get('events', {modifiedSince: lastSync, limit: 1000})`, one sync at a time (a notification arriving during a
 * sync schedules one more), and moves `lastSync` to the answer's `meta.serverTime`.
 */
async function startReceiver (conn) {
  const r = { deliveries: [], syncs: [], errors: [], lastSync: 0, syncing: null, again: false };

  async function syncOnce () {
    const since = r.lastSync;
    const res = await conn.get('events', { modifiedSince: since, limit: 1000 });
    if (!res || res.error || !Array.isArray(res.events) || !res.meta) {
      r.errors.push({ since, res });
      return;
    }
    r.syncs.push({ since, events: res.events });
    r.lastSync = res.meta.serverTime;
  }
  r.requestSync = () => {
    if (r.syncing) { r.again = true; return; }
    r.syncing = (async () => {
      try {
        do { r.again = false; await syncOnce(); } while (r.again);
      } catch (err) {
        r.errors.push(String((err && err.stack) || err));
      } finally {
        r.syncing = null;
      }
    })();
  };

  r.server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      let body = null;
      try { body = JSON.parse(raw); } catch { /* kept as null: checked by the caller */ }
      res.writeHead(200, { 'Content-Type': 'text/plain' }).end('ok');
      r.deliveries.push({ method: req.method, url: req.url, headers: req.headers, raw, body });
      if (body && Array.isArray(body.messages) && body.messages.includes('eventsChanged')) r.requestSync();
    });
  });
  await new Promise((resolve, reject) => {
    r.server.once('error', reject);
    r.server.listen(0, '127.0.0.1', resolve);
  });
  r.url = `http://127.0.0.1:${r.server.address().port}/hook`;
  r.close = () => { r.server.closeAllConnections(); r.server.close(); };
  r.syncedIds = (fromSync = 0) => [...new Set(r.syncs.slice(fromSync).flatMap((s) => ids(s.events)))];
  r.idle = () => !r.syncing;
  return r;
}

const PRYV_WEBHOOK_FIELDS = ['id', 'accessId', 'url', 'minIntervalMs', 'maxRetries', 'currentRetries', 'state',
  'runCount', 'failCount', 'lastRun', 'runs', 'created', 'createdBy', 'modified', 'modifiedBy'];

/**
 * Webhooks (docs/API.md 8-9) through the library: created with `api([{method: 'webhooks.create'}])` by the app access
 * (webhooks.create refuses personal tokens), notifications received by a receiver on loopback that syncs with
 * `modifiedSince` (needs a server that allows loopback targets and a small minIntervalMs, as with-server.sh starts).
 * `ctx` holds { user, conn (personal), access (the app access), data (streams and events created) }.
 */
async function webhookChecks (app, ctx) {
  const WAIT_MS = 15000;
  const receiver = await startReceiver(new pryv.Connection(ctx.access.apiEndpoint)); // the app's own token
  try {
    const created = await one(app, 'webhooks.create', { url: receiver.url });
    const webhook = created && created.webhook;
    need('webhooks.create (batch) returns the webhook: id, accessId of the app access, state active, url, ' +
      'and no type or settings (a plain webhook has exactly Pryv\'s fields)',
      webhook && typeof webhook.id === 'string' && webhook.id && webhook.accessId === ctx.access.id &&
        webhook.state === 'active' && webhook.url === receiver.url && !('type' in webhook) &&
        !('settings' in webhook),
      { expectedAccessId: ctx.access.id, url: receiver.url, result: created });
    const missing = PRYV_WEBHOOK_FIELDS.filter((f) => !(f in webhook));
    check('the webhook carries every Pryv field', missing.length === 0, { missing, webhook });
    check('a new webhook has no runs yet (counters 0, lastRun {status: 0, timestamp: 0}, runs [])',
      webhook.runCount === 0 && webhook.failCount === 0 && webhook.currentRetries === 0 &&
        webhook.lastRun && webhook.lastRun.status === 0 && webhook.lastRun.timestamp === 0 &&
        Array.isArray(webhook.runs) && webhook.runs.length === 0, webhook);

    // New events: the receiver is notified and its modifiedSince sync finds exactly them.
    receiver.lastSync = await serverTime(app); // what an app knows after its initial full sync
    const calls = [500, 1500, 2500].map((content) =>
      ({ method: 'events.create', params: { streamIds: [ctx.data.parentId], type: 'count/steps', content } }));
    const results = await app.api(calls);
    need('events.create (batch) x3 after the webhook exists',
      results.every((r) => r && r.event && r.event.id), results);
    const newIds = results.map((r) => r.event.id);

    const notified = await until(WAIT_MS, () => receiver.deliveries.length > 0);
    need('the receiver gets a notification', notified, { deliveries: receiver.deliveries.length });
    const first = receiver.deliveries[0];
    const body = first.body || {};
    const meta = body.meta || {};
    check('the notification is a POST of {messages: ["eventsChanged"], meta} as JSON',
      first.method === 'POST' && /^application\/json/.test(first.headers['content-type'] || '') &&
        Array.isArray(body.messages) && body.messages.includes('eventsChanged') &&
        typeof meta.apiVersion === 'string' && typeof meta.serverTime === 'number' && typeof meta.serial === 'string',
      { method: first.method, headers: first.headers, body: first.raw });
    check('the notification\'s User-Agent names Hookline', /hookline/i.test(first.headers['user-agent'] || ''),
      first.headers['user-agent']);

    const synced = await until(WAIT_MS, () => receiver.idle() && receiver.syncedIds().length >= newIds.length);
    check('the receiver\'s get(\'events\', {modifiedSince: lastSync}) finds exactly the new events',
      synced && sameIds(receiver.syncedIds(), newIds) && receiver.errors.length === 0,
      { expected: newIds, syncs: receiver.syncs.map((s) => ({ since: s.since, ids: ids(s.events) })),
        errors: receiver.errors });

    // An update: the next sync (from the last meta.serverTime) returns just that event.
    const mark = receiver.syncs.length;
    const [updatedId] = newIds;
    const update = await one(app, 'events.update', { id: updatedId, update: { content: 750 } });
    check('events.update (batch) after the sync', update && update.event && update.event.content === 750, update);
    const resynced = await until(WAIT_MS, () => receiver.idle() && receiver.syncedIds(mark).includes(updatedId));
    // Delivery and sync are at least once: an event seen again unchanged (same `modified`) is a harmless repeat.
    const seenBefore = new Map(receiver.syncs.slice(0, mark).flatMap((s) => s.events).map((e) => [e.id, e.modified]));
    const fresh = receiver.syncs.slice(mark).flatMap((s) => s.events)
      .filter((e) => !(seenBefore.has(e.id) && seenBefore.get(e.id) === e.modified));
    const updated = fresh.find((e) => e.id === updatedId);
    check('the next notification\'s sync returns only the updated event, with its new content',
      resynced && sameIds([...new Set(ids(fresh))], [updatedId]) && updated && updated.content === 750 &&
        receiver.errors.length === 0,
      { expected: [updatedId], syncs: receiver.syncs.slice(mark).map((s) => ids(s.events)), errors: receiver.errors });
    const unknown = receiver.deliveries.filter((d) => !(d.body && Array.isArray(d.body.messages) &&
      d.body.messages.length > 0 && d.body.messages.every((m) => m === 'eventsChanged')));
    check('every delivery so far carried only eventsChanged', unknown.length === 0, unknown.map((d) => d.raw));

    // webhooks.get / getOne through the library.
    const listed = await one(app, 'webhooks.get', {});
    check('webhooks.get (batch) lists the app\'s webhook',
      listed && Array.isArray(listed.webhooks) && sameIds(ids(listed.webhooks), [webhook.id]), listed);
    const got = await one(app, 'webhooks.getOne', { id: webhook.id });
    const seen = got && got.webhook;
    check('webhooks.getOne (batch) shows the runs: runCount >= 1, lastRun status 200, runs newest first',
      seen && seen.id === webhook.id && seen.runCount >= 1 && seen.failCount === 0 && seen.lastRun.status === 200 &&
        Array.isArray(seen.runs) && seen.runs.length === Math.min(seen.runCount, 50) && // runsSize: 50 by default
        seen.runs[0].status === 200 &&
        seen.runs.every((run, i) => i === 0 || seen.runs[i - 1].timestamp >= run.timestamp), got);

    // webhooks.test over REST, authenticated like the library (bare token).
    const before = receiver.deliveries.length;
    const res = await fetch(`${app.endpoint}webhooks/${webhook.id}/test`, {
      method: 'POST', headers: { Authorization: app.token, Accept: 'application/json' }
    });
    const tested = await res.json().catch(() => null);
    check('POST {apiEndpoint}webhooks/{id}/test answers 200 {webhook}',
      res.status === 200 && tested && tested.webhook && tested.webhook.id === webhook.id,
      { status: res.status, tested });
    const gotTest = await until(WAIT_MS, () => receiver.deliveries.slice(before).some((d) =>
      d.body && Array.isArray(d.body.messages) && d.body.messages.includes('test')));
    check('the receiver gets {messages: ["test"], meta}', gotTest &&
      receiver.deliveries.slice(before).some((d) => JSON.stringify(d.body.messages) === '["test"]' && d.body.meta),
    receiver.deliveries.slice(before).map((d) => d.raw));

    // webhooks.delete through the library.
    const deleted = await one(app, 'webhooks.delete', { id: webhook.id });
    check('webhooks.delete (batch) answers {webhookDeletion: {id}}',
      deleted && deleted.webhookDeletion && deleted.webhookDeletion.id === webhook.id, deleted);
    const after = await one(app, 'webhooks.get', {});
    check('the deleted webhook is no longer listed',
      after && Array.isArray(after.webhooks) && !ids(after.webhooks).includes(webhook.id), after);
  } finally {
    receiver.close();
  }
}

/** Reads an attachment back by its readToken alone, as a browser's <img src> does; checks bytes and Digest. */
async function readBack (app, event, attachment, expected) {
  const url = `${app.endpoint}events/${event.id}/${attachment.id}/${encodeURIComponent(attachment.fileName)}` +
    `?readToken=${attachment.readToken}`;
  const res = await fetch(url);
  const text = await res.text();
  const digest = crypto.createHash('sha256').update(expected).digest('base64');
  return { ok: res.status === 200 && text === expected && res.headers.get('digest') === 'SHA-256=' + digest,
    status: res.status, digest: res.headers.get('digest'), text: text.slice(0, 200) };
}

/** Files attached to events: createEventWithFile (Node) and createEventWithFormData (the browser way). */
async function attachmentChecks (app) {
  const fs = require('node:fs');
  const os = require('node:os');
  const path = require('node:path');
  await one(app, 'streams.create', { id: 'compat-files', name: 'Compat files' });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hookline-compat-'));
  const file = path.join(dir, 'steps.txt');
  const content = 'steps: ' + randomLower(32);
  fs.writeFileSync(file, content);
  try {
    const created = await app.createEventWithFile({ streamIds: ['compat-files'], type: 'file/attached' }, file);
    const event = created && created.event;
    const att = event && event.attachments && event.attachments[0];
    need('createEventWithFile returns the event with its attachment: fileName, size, readToken, integrity',
      att && att.fileName === 'steps.txt' && att.size === Buffer.byteLength(content) &&
        typeof att.readToken === 'string' &&
        att.integrity === 'sha256-' + crypto.createHash('sha256').update(content).digest('base64'), created);
    const back = await readBack(app, event, att, content);
    check('the file reads back by readToken alone, with its Digest', back.ok, back);

    const second = 'second file ' + randomLower(8);
    const form = new FormData();
    form.append('file', new Blob([second], { type: 'text/plain' }), 'second.txt');
    const viaForm = await app.createEventWithFormData({ streamIds: ['compat-files'], type: 'file/attached' }, form);
    const formEvent = viaForm && viaForm.event;
    const formAtt = formEvent && formEvent.attachments && formEvent.attachments[0];
    need('createEventWithFormData (the event part after the file) returns the event with its attachment',
      formAtt && formAtt.fileName === 'second.txt' && formAtt.size === Buffer.byteLength(second), viaForm);
    const formBack = await readBack(app, formEvent, formAtt, second);
    check('that file reads back by readToken too', formBack.ok, formBack);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** A scoped webhook (Pryv v2): its receiver is told of a change in its stream by the scope's key. */
async function scopedWebhookChecks (app, conn) {
  const WAIT_MS = 15000;
  const receiver = await startReceiver(conn);
  try {
    await one(app, 'streams.create', { id: 'scoped-steps', name: 'Scoped steps' });
    const created = await one(app, 'webhooks.create', {
      url: receiver.url, scopes: { stepsChanged: { kind: 'events', query: { streams: ['scoped-steps'] } } }
    });
    need('webhooks.create (batch) with scopes returns them',
      created && created.webhook && created.webhook.scopes && created.webhook.scopes.stepsChanged, created);
    await one(app, 'events.create', { streamIds: ['scoped-steps'], type: 'count/steps', content: 10 });
    const told = await until(WAIT_MS, () => receiver.deliveries.length > 0);
    const first = receiver.deliveries[0];
    check('the scoped webhook\'s receiver gets {messages: ["stepsChanged"]}',
      told && first.body && JSON.stringify(first.body.messages) === '["stepsChanged"]',
      receiver.deliveries.map((d) => d.raw));
    check('notification meta.serverTime is a plain decimal', told && /"serverTime":\d+(\.\d{1,6})?[,}]/.test(first.raw),
      first && first.raw);
    await one(app, 'webhooks.delete', { id: created.webhook.id });
  } finally {
    receiver.close();
  }
}

// ---------------------------------------------------------------- main

async function main () {
  if (!BASE_URL || !ADMIN_KEY) {
    check('HOOKLINE_URL and HOOKLINE_ADMIN_KEY are set', false);
    return;
  }
  const user = await createUser();
  await serviceChecks(user);
  const conn = await personalChecks(user);
  const { app, access } = await appAccess(conn);
  const data = await eventChecks(app, conn);
  await errorChecks(app);
  await webhookChecks(app, { user, conn, access, data });
  await scopedWebhookChecks(app, conn);
  await attachmentChecks(app);
}

setTimeout(() => {
  check(`finished within ${TIMEOUT_MS} ms`, false);
  summaryAndExit();
}, TIMEOUT_MS).unref();

main()
  .catch((err) => {
    if (!(err instanceof Bail)) check('no unexpected exception', false,
      ((err && err.stack) || String(err)) + (err && err.cause ? '\ncause: ' + (err.cause.stack || err.cause) : ''));
    else console.log('  # stopping: later checks depend on this one');
  })
  .finally(summaryAndExit);

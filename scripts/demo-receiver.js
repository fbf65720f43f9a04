'use strict';
// The step-counter story, played against a running Hookline (scripts/demo starts one for you):
//
//   HOOKLINE_URL=http://127.0.0.1:8080 HOOKLINE_ADMIN_KEY=... node scripts/demo-receiver.js
//
// Three actors, all in this one process so the output reads as one story:
//   - the operator, who creates the user "alice" with the admin key;
//   - alice's phone, which owns her personal token and uploads `count/steps` events;
//   - the step-counter server, an app with its own token (access "step-counter-server", manage on "count"). It runs a
//     small HTTP receiver on loopback, registers it as a webhook, and on every notification fetches only what changed
//     since its last sync (`modifiedSince`), keeps a per-event map and prints the day's total against the goal.
//
// With several nodes (scripts/cluster): HOOKLINE_URLS lists them (comma-separated) and every call goes to the next
// one still running; HOOKLINE_KILL lists "<pid>@<admin url>" per node: the first time the receiver is notified of
// steps, it asks each node's metrics which one holds the delivery's lease, kills that node (SIGKILL) without
// answering, and waits for another node to deliver the notification again once the lease has expired.
//
// Node built-ins only (no npm install). Exits 0 when the receiver's total matches what the phone wrote, 1 otherwise.

const http = require('node:http');
const crypto = require('node:crypto');

const BASE_URL = (process.env.HOOKLINE_URL || '').replace(/\/+$/, '');
const NODES = (process.env.HOOKLINE_URLS || BASE_URL).split(',').map((u) => u.replace(/\/+$/, '')).filter(Boolean);
const KILLABLE = (process.env.HOOKLINE_KILL || '').split(',').filter(Boolean).map((entry, i) => {
  const [pid, admin] = entry.split('@');
  return { pid: Number(pid), admin, url: NODES[i], n: i + 1 };
});
let nextNode = 0;
const ADMIN_KEY = process.env.HOOKLINE_ADMIN_KEY || '';
const WAIT_MS = Number(process.env.DEMO_WAIT_MS || 30000); // how long the receiver may take to catch up
const GOAL = 10000;

// What alice's phone uploads. `burst` batches are written back to back, so Hookline merges their notifications;
// a pause (a little longer than the webhook's minIntervalMs) separates the groups.
const STORY = [
  { steps: 2350, what: 'walk to the station' },
  { pause: true },
  { steps: 1120, what: 'stairs at the office', burst: true },
  { steps: 860, what: 'to the canteen and back', burst: true },
  { steps: 3410, what: 'afternoon walk', burst: true },
  { pause: true },
  { correct: 'afternoon walk', steps: 3290, what: 'the phone recounts the afternoon walk' },
  { pause: true },
  { steps: 2730, what: 'evening run' }
];

// ---------------------------------------------------------------- output

const t0 = Date.now();
const fmt = (n) => Math.round(n).toLocaleString('en-US');
const clock = () => ((Date.now() - t0) / 1000).toFixed(2).padStart(6) + 's';
const say = (text = '') => console.log(text);
const phone = (text) => console.log(`${clock()}  [phone]    ${text}`);
const receiverSays = (text) => console.log(`${clock()}  [receiver] ${text}`);
const hooklineSays = (text) => console.log(`${clock()}  [hookline] ${text}`);
const clusterSays = (text) => console.log(`${clock()}  [cluster]  ${text}`);

class DemoError extends Error {}
function fail (message, detail) {
  throw new DemoError(message + (detail === undefined ? '' : '\n  ' + JSON.stringify(detail)));
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `condition` every 50 ms until it holds, or fails after `ms` with `what` (a string or a function). */
async function waitFor (what, ms, condition) {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) {
      fail(`timed out after ${ms / 1000} s waiting for ${typeof what === 'function' ? what() : what}`);
    }
    await sleep(50);
  }
}

// ---------------------------------------------------------------- HTTP

/** One JSON call to Hookline; returns { status, body }. `token` goes in the Authorization header. */
async function call (method, path, token, body) {
  const headers = { Accept: 'application/json' };
  if (token) headers.Authorization = token;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let res;
  const base = NODES[nextNode++ % NODES.length];
  try {
    res = await fetch(base + path,
      { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch (err) {
    fail(`cannot reach Hookline at ${base}: ${(err.cause && err.cause.message) || err.message}`);
  }
  const text = await res.text();
  let json = null;
  try { json = JSON.parse(text); } catch { /* reported below */ }
  return { status: res.status, body: json || text };
}

/** Like call(), but fails unless the answer has the expected status and key. */
async function expect (status, key, method, path, token, body) {
  const res = await call(method, path, token, body);
  if (res.status !== status || !res.body || res.body[key] === undefined) {
    fail(`${method} ${path} answered ${res.status}, expected ${status} with "${key}"`, res.body);
  }
  return res.body[key];
}

// ---------------------------------------------------------------- the step-counter server (the receiver)

/**
 * The app side: a webhook receiver plus a sync loop that uses only the app's own token.
 * Notifications are answered 200 at once; the sync runs afterwards, one at a time (a notification arriving during a
 * sync schedules one more).
 */
function stepCounterServer ({ username, appToken }) {
  const state = {
    notifications: [], // { n, messages }
    events: new Map(), // event id -> { steps, time }: a corrected event replaces its old value
    lastSync: 0, // meta.serverTime of the last successful sync; 0 fetches everything the first time
    total: 0,
    goalReached: false,
    syncing: null,
    again: false,
    killed: false, // with HOOKLINE_KILL: whether a node was killed, when, and whether another delivered again
    killedAt: 0,
    redelivered: false,
    errors: []
  };

  const startOfToday = () => { const d = new Date(); d.setHours(0, 0, 0, 0); return d.getTime() / 1000; };

  async function syncOnce () {
    const query = `modifiedSince=${state.lastSync}&types[]=count/steps&limit=1000`;
    const path = `/${username}/events?` + query.replace('[]', '%5B%5D');
    const res = await call('GET', path, appToken);
    if (res.status !== 200 || !Array.isArray(res.body.events)) {
      state.errors.push(`GET /${username}/events answered ${res.status}: ${JSON.stringify(res.body)}`);
      receiverSays(`sync failed: GET answered ${res.status}`);
      return;
    }
    // The per-event map makes a sync idempotent: an event seen again with the same `modified` changes nothing (sync
    // windows may overlap: at-least-once), a corrected one replaces its old value instead of adding to it.
    const changed = res.body.events.filter((e) => {
      const known = state.events.get(e.id);
      return !known || known.modified !== e.modified;
    });
    const repeated = res.body.events.length - changed.length;
    for (const e of changed) {
      state.events.set(e.id, { steps: Number(e.content) || 0, time: e.time, modified: e.modified });
    }
    state.lastSync = res.body.meta.serverTime;
    const today = startOfToday();
    state.total = [...state.events.values()].filter((e) => e.time >= today).reduce((sum, e) => sum + e.steps, 0);
    const list = [...changed].sort((a, b) => a.time - b.time).map((e) => fmt(e.content)).join(', ');
    const repeatNote = repeated ? `${repeated} already up to date` : '';
    receiverSays(`GET /${username}/events?${query} → ` + (changed.length === 0
      ? (repeatNote || 'nothing new (an earlier sync fetched it)')
      : `${changed.length} new or changed: ${list}` + (repeatNote && `; ${repeatNote}`)));
    const line = `${username} walked ${fmt(state.total)} steps today — goal ${fmt(GOAL)}`;
    if (state.total >= GOAL && !state.goalReached) {
      state.goalReached = true;
      receiverSays(`${line} — goal reached!`);
    } else {
      receiverSays(line);
    }
  }

  function requestSync () {
    if (state.syncing) { state.again = true; return; }
    state.syncing = (async () => {
      try {
        do { state.again = false; await syncOnce(); } while (state.again);
      } catch (err) {
        state.errors.push(String(err.message || err));
        receiverSays(`sync failed: ${err.message || err}`);
      } finally {
        state.syncing = null;
      }
    })();
  }

  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      let body = null;
      try { body = JSON.parse(Buffer.concat(chunks).toString('utf8')); } catch { /* checked below */ }
      if (req.method !== 'POST' || !body || !Array.isArray(body.messages)) {
        res.writeHead(400).end();
        state.errors.push(`unexpected request ${req.method} ${req.url}: ${Buffer.concat(chunks)}`);
        return;
      }
      if (KILLABLE.length && !state.killed && body.messages.includes('eventsChanged')) {
        state.killed = true;
        killLeaseHolder(req, res, body); // no answer: the node that sent this dies first
        return;
      }
      res.writeHead(200, { 'Content-Type': 'text/plain' }).end('ok'); // answer first, work afterwards
      if (state.killedAt && !state.redelivered) {
        state.redelivered = true;
        clusterSays(`another node delivered it again, ${((Date.now() - state.killedAt) / 1000).toFixed(1)} s ` +
          'after the kill (the dead node\'s lease had expired)');
      }
      const n = state.notifications.length + 1;
      state.notifications.push({ n, messages: body.messages });
      hooklineSays(`→ POST ${req.url} ${JSON.stringify({ messages: body.messages })}   (notification #${n})`);
      if (body.messages.includes('eventsChanged') || body.messages.includes('webhooksServiceBoot')) requestSync();
      else if (body.messages.includes('test')) receiverSays('a test message: the webhook reaches the receiver');
    });
  });

  /** Finds the node that holds a lease now (the one delivering), kills it, and lets the request die with it. */
  async function killLeaseHolder (req, res, body) {
    hooklineSays(`→ POST ${req.url} ${JSON.stringify({ messages: body.messages })}   (held: no answer yet)`);
    for (const node of KILLABLE) {
      let leases = 0;
      try {
        const metrics = await (await fetch(node.admin + '/metrics')).json();
        leases = metrics.gauges['hookline.deliveries.leases'].value;
      } catch { continue; }
      if (leases > 0) {
        process.kill(node.pid, 'SIGKILL');
        state.killedAt = Date.now();
        NODES.splice(NODES.indexOf(node.url), 1);
        clusterSays(`node ${node.n} (pid ${node.pid}) holds the lease of this delivery: SIGKILL, mid-delivery`);
        res.destroy();
        return;
      }
    }
    state.errors.push('no node held a lease while a delivery was in flight');
    res.writeHead(200).end('ok');
  }

  return {
    state,
    listen: () => new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${server.address().port}/notify`));
    }),
    close: () => { server.closeAllConnections(); server.close(); }
  };
}

// ---------------------------------------------------------------- the story

async function createUser () {
  const password = 'demo-' + crypto.randomBytes(12).toString('hex');
  for (const username of ['alice', 'alice-' + crypto.randomBytes(3).toString('hex')]) {
    const res = await call('POST', '/system/create-user', ADMIN_KEY, { username, password });
    if (res.status === 201) return res.body;
    if (res.status === 409) continue; // "alice" exists already on this server: take alice-xxxxxx
    if (res.status === 401 || res.status === 403) fail('the admin key was refused (HOOKLINE_ADMIN_KEY)', res.body);
    fail(`POST /system/create-user answered ${res.status}`, res.body);
  }
  fail('could not create a user');
}

async function main () {
  if (!BASE_URL || !ADMIN_KEY) fail('set HOOKLINE_URL and HOOKLINE_ADMIN_KEY (or run scripts/demo)');

  say('1. The operator creates the user (admin key)                  POST /system/create-user');
  const user = await createUser();
  const u = user.username;
  const personal = user.token;
  say(`   → user "${u}", personal token ${personal.slice(0, 6)}… (alice's phone uses it)`);

  say(`2. Alice creates the stream "count"                              POST /${u}/streams`);
  await expect(201, 'stream', 'POST', `/${u}/streams`, personal, { id: 'count', name: 'Count' });

  say(`3. Alice gives the app "step-counter-server" manage on "count"   POST /${u}/accesses`);
  const access = await expect(201, 'access', 'POST', `/${u}/accesses`, personal,
    { type: 'app', name: 'step-counter-server', permissions: [{ streamId: 'count', level: 'manage' }] });
  say(`   → app access ${access.id}, its own token ${access.token.slice(0, 6)}…`);

  const app = stepCounterServer({ username: u, appToken: access.token });
  const url = await app.listen();
  say(`4. The step-counter server listens on ${url}`);
  say(`   and registers it as a webhook with the app token              POST /${u}/webhooks`);
  const created = await call('POST', `/${u}/webhooks`, access.token, { url });
  if (created.status !== 201) {
    if (created.status === 400 && /allow|denied/i.test(JSON.stringify(created.body))) {
      say('   Hookline refused the loopback target. A server you started yourself must allow loopback webhook');
      say('   targets: start it with HOOKLINE_ALLOWED_NETWORKS=127.0.0.0/8 (and a small HOOKLINE_MIN_INTERVAL_MS).');
    }
    fail(`POST /${u}/webhooks answered ${created.status}`, created.body);
  }
  const webhook = created.body.webhook;
  const every = webhook.minIntervalMs;
  say(`   → webhook ${webhook.id}: state ${webhook.state}, type ${webhook.type}, minIntervalMs ${every}`);
  say(`     (no two deliveries closer than ${every} ms; changes in between are merged into the next one)`);
  const pauseMs = Math.max(1000, Number(webhook.minIntervalMs) + 700);

  say(`5. A test notification                                           POST /${u}/webhooks/${webhook.id}/test`);
  const tested = await call('POST', `/${u}/webhooks/${webhook.id}/test`, access.token);
  if (tested.status !== 200) fail(`webhooks.test answered ${tested.status}`, tested.body);
  await waitFor('the test message', 10000, () => app.state.notifications.some((x) => x.messages.includes('test')));

  say('');
  say(`6. Alice's phone uploads count/steps events (POST /${u}/events, personal token); Hookline notifies the`);
  say('   receiver, which fetches what changed since its last sync with its own token. Three batches come back to');
  say('   back: what arrives within minIntervalMs is merged, and one sync may bring several events (or none, when an');
  say('   earlier sync already fetched them). Time since the start on the left:');
  say('');
  const written = new Map(); // what -> { id, steps }
  for (const step of STORY) {
    if (step.pause) { await sleep(pauseMs); continue; }
    if (step.correct) {
      const target = written.get(step.correct);
      phone(`corrects ${fmt(target.steps)} → ${fmt(step.steps)} steps  (${step.what})`);
      await expect(200, 'event', 'PUT', `/${u}/events/${target.id}`, personal, { content: step.steps });
      target.steps = step.steps;
      continue;
    }
    phone(`+${fmt(step.steps)} steps  (${step.what})`);
    const event = await expect(201, 'event', 'POST', `/${u}/events`, personal,
      { streamIds: ['count'], type: 'count/steps', content: step.steps });
    written.set(step.what, { id: event.id, steps: step.steps });
  }
  const expected = [...written.values()].reduce((sum, e) => sum + e.steps, 0);

  await waitFor(() => `the receiver to count ${fmt(expected)} steps (it has ${fmt(app.state.total)})`, WAIT_MS,
    () => app.state.total === expected && !app.state.syncing);
  // Let a last merged notification, if any is still throttled, arrive before summing up.
  const quietMs = Math.min(Number(webhook.minIntervalMs) + 1000, 10000);
  let seen = app.state.notifications.length;
  let quietSince = Date.now();
  await waitFor('Hookline to go quiet', WAIT_MS, () => {
    if (app.state.notifications.length !== seen) { seen = app.state.notifications.length; quietSince = Date.now(); }
    return !app.state.syncing && Date.now() - quietSince >= quietMs;
  });

  const record = await expect(200, 'webhook', 'GET', `/${u}/webhooks/${webhook.id}`, access.token);
  await expect(200, 'webhookDeletion', 'DELETE', `/${u}/webhooks/${webhook.id}`, access.token);
  app.close();

  const tally = {};
  for (const x of app.state.notifications) for (const m of x.messages) tally[m] = (tally[m] || 0) + 1;
  say('');
  const row = (label, text) => say('  ' + label.padEnd(24) + text);
  say('Summary');
  row("alice's phone wrote", `${written.size} batches (one corrected): ${fmt(expected)} steps`);
  row('notifications received', `${app.state.notifications.length}: ` +
    app.state.notifications.map((x) => `#${x.n} ${JSON.stringify(x.messages)}`).join(', '));
  row('messages', Object.entries(tally).map(([m, c]) => `${m} ×${c}`).join(', '));
  row('the receiver counted', `${fmt(app.state.total)} steps over ${app.state.events.size} events ` +
    `(${app.state.total === expected ? 'matches' : 'DOES NOT match'} what was written)` +
    (app.state.goalReached ? ', goal reached' : ''));
  row("Hookline's record", `runCount ${record.runCount}, failCount ${record.failCount}, ` +
    `lastRun status ${record.lastRun && record.lastRun.status} (test calls record no run); webhook deleted`);
  if (KILLABLE.length) {
    row('cluster', app.state.redelivered
      ? `a node was killed mid-delivery; another delivered again; ${app.state.total === expected
        ? 'nothing was lost' : 'STEPS WERE LOST'}`
      : 'NO NODE WAS KILLED (no delivery held a lease when looked at)');
    if (!app.state.redelivered) fail('the kill did not happen');
  }
  if (app.state.errors.length) fail('the receiver saw errors:\n  ' + app.state.errors.join('\n  '));
  if (app.state.total !== expected) fail('the totals differ');
}

main().then(() => process.exit(0), (err) => {
  console.error('');
  console.error('demo failed: ' + (err instanceof DemoError ? err.message : (err.stack || err)));
  process.exit(1);
});

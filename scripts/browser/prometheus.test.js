'use strict';
// The admin port's /metrics/prometheus, read with a Prometheus text-format parser after a real delivery.

const assert = require('node:assert/strict');
const http = require('node:http');
const { test } = require('node:test');
const parsePrometheusTextFormat = require('parse-prometheus-text-format');
const { ADMIN_URL, call, createUser, waitFor } = require('./support');

/** A receiver on loopback that answers 200 and counts what it gets. */
async function startReceiver () {
  const received = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => { body += c; });
    req.on('end', () => {
      received.push(JSON.parse(body));
      res.end('ok');
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${server.address().port}/hook`, received, close: () => server.close() };
}

async function scrape () {
  const res = await fetch(`${ADMIN_URL}/metrics/prometheus`);
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type'), /^text\/plain; version=0\.0\.4/);
  const families = parsePrometheusTextFormat(await res.text());
  return new Map(families.map((f) => [f.name, f]));
}

function delivered (families) {
  const family = families.get('hookline_deliveries_total');
  const point = family?.metrics.find((m) => m.labels.outcome === 'delivered' && m.labels.type === 'http');
  return point ? Number(point.value) : 0;
}

function writerCount (families, what) {
  const family = families.get(`hookline_writer_${what}`);
  assert.ok(family, `hookline_writer_${what} in the scrape`);
  return Number(family.metrics[0].value);
}

test('after a delivery the Prometheus text carries the delivery counters, gauges, JVM and Jetty metrics', async () => {
  const receiver = await startReceiver();
  try {
    const user = await createUser();
    const first = await scrape();
    const before = delivered(first);
    const app = await call('POST', `/${user.username}/accesses`, {
      token: user.token,
      body: { type: 'app', name: 'metrics-check', permissions: [{ streamId: '*', level: 'read' }] }
    });
    assert.equal(app.status, 201, app.text);
    const hook = await call('POST', `/${user.username}/webhooks`, {
      token: app.body.access.token, body: { url: receiver.url }
    });
    assert.equal(hook.status, 201, hook.text);
    const made = await call('POST', `/${user.username}/streams`, { token: user.token, body: { name: 'Count' } });
    assert.equal(made.status, 201, made.text);
    await waitFor('the receiver gets a notification', () => receiver.received.length > 0);

    let families;
    await waitFor('the delivery is counted', async () => {
      families = await scrape();
      return delivered(families) > before;
    });
    const family = families.get('hookline_deliveries_total');
    assert.equal(family.type, 'COUNTER');
    // by outcome and notifier type, every installed type counted from zero
    assert.deepEqual([...new Set(family.metrics.map((m) => m.labels.outcome))].sort(), ['delivered', 'permanent', 'retry']);
    assert.deepEqual([...new Set(family.metrics.map((m) => m.labels.type))].sort(), ['http', 'log', 'signed-http', 'slack']);
    for (const name of ['hookline_deliveries_inFlight', 'hookline_deliveries_scheduled',
      'hookline_deliveries_lagMs', 'hookline_webhooks_inactive', 'hookline_deliveries_latency',
      'jvm_memory_used_bytes', 'jvm_threads_current']) {
      assert.ok(families.has(name), `${name} in the scrape`);
    }
    // The writer's commits: the access, webhook and stream above are writes, each committed in a transaction.
    const writes = writerCount(families, 'writes') - writerCount(first, 'writes');
    const transactions = writerCount(families, 'transactions') - writerCount(first, 'transactions');
    assert.ok(writes >= 3, `${writes} writes counted`);
    assert.ok(transactions >= 1 && transactions <= writes, `${transactions} transactions for ${writes} writes`);
    const jetty = [...families.keys()].filter((n) => n.startsWith('io_dropwizard_jetty_') || n.includes('jetty'));
    assert.ok(jetty.length > 0, 'Jetty metrics in the scrape');
  } finally {
    receiver.close();
  }
});

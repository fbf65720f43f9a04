'use strict';
// Hookline console: reads /console/api/ and draws plain HTML and SVG. Everything a webhook or a receiver sent is
// shown with textContent, never as markup.
(function () {
  const api = new URL('api/', document.baseURI);
  const view = document.getElementById('view');
  const status = document.getElementById('status');

  function el (tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === undefined || v === null || v === false) continue;
      if (k === 'text') e.textContent = v; else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
      else e.setAttribute(k, v === true ? '' : v);
    }
    for (const c of children.flat()) if (c !== null && c !== undefined) e.append(c instanceof Node ? c : String(c));
    return e;
  }

  function svg (tag, attrs) {
    const e = document.createElementNS('http://www.w3.org/2000/svg', tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === 'text') e.textContent = v; else e.setAttribute(k, v);
    }
    return e;
  }

  async function call (path, method) {
    const res = await fetch(new URL(path, api), {
      method: method || 'GET',
      headers: method === 'POST' ? { 'X-Hookline-Console': '1' } : {},
      credentials: 'same-origin'
    });
    const body = await res.json();
    if (!res.ok) throw new Error(body.error ? body.error.id + ': ' + body.error.message : 'HTTP ' + res.status);
    return body;
  }

  const time = (seconds) => seconds ? new Date(seconds * 1000).toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z') : '—';
  const failing = (w) => w.runCount > 0 && (w.lastRun.status < 200 || w.lastRun.status >= 300);

  function stateBadge (w) {
    return el('span', { class: 'badge ' + (w.state === 'active' ? 'ok' : 'bad'), text: w.state });
  }

  function show (...nodes) {
    view.replaceChildren(...nodes.filter((n) => n !== null && n !== undefined));
    for (const a of document.querySelectorAll('nav a')) {
      a.classList.toggle('current', location.hash.startsWith(a.getAttribute('href')) &&
        (a.getAttribute('href') !== '#/' || location.hash === '#/' || location.hash === ''));
    }
  }

  // ---- overview: charts, plugins, health ----

  function bars (minutes, keys, { unit, scale }) {
    const w = 600; const h = 150; const left = 40; const bottom = 18;
    const values = minutes.map((m) => keys.reduce((s, k) => s + scale(m[k]), 0));
    const max = Math.max(1, ...values);
    const step = (w - left) / Math.max(minutes.length, 1);
    const root = svg('svg', { viewBox: `0 0 ${w} ${h}`, role: 'img' });
    root.append(svg('line', { class: 'axis', x1: left, y1: h - bottom, x2: w, y2: h - bottom }));
    root.append(svg('text', { class: 'tick', x: 2, y: 10, text: max.toFixed(max < 10 ? 1 : 0) + ' ' + unit }));
    root.append(svg('text', { class: 'tick', x: 2, y: h - bottom, text: '0' }));
    minutes.forEach((m, i) => {
      let y = h - bottom;
      for (const k of keys) {
        const v = scale(m[k]);
        if (v <= 0) continue;
        const bh = (h - bottom - 14) * v / max;
        y -= bh;
        const r = svg('rect', { class: k, x: left + i * step + 1, y, width: Math.max(step - 2, 1), height: bh });
        r.append(svg('title', { text: `${time(m.start)}: ${m[k]} ${k}` }));
        root.append(r);
      }
    });
    const first = minutes[0]; const last = minutes[minutes.length - 1];
    if (first) root.append(svg('text', { class: 'tick', x: left, y: h - 4, text: time(first.start).slice(11, 16) }));
    if (last) root.append(svg('text', { class: 'tick', x: w - 60, y: h - 4, text: 'now' }));
    return root;
  }

  async function overview () {
    const o = await call('overview');
    const legend = el('div', { class: 'legend' }, ['delivered', 'retry', 'permanent'].map((k) =>
      el('span', {}, el('i', { class: k }), k)));
    const deliveries = el('div', { class: 'chart', id: 'chart-deliveries' },
      el('h3', { text: 'Deliveries per minute, by outcome (last hour)' }),
      bars(o.minutes, ['delivered', 'retry', 'permanent'], { unit: '/min', scale: (v) => v }), legend);
    const due = el('div', { class: 'chart', id: 'chart-due' },
      el('h3', { text: 'Delivery lag: how late the latest due delivery was, seconds (last hour)' }),
      bars(o.minutes, ['oldestDueMs'], { unit: 's', scale: (v) => v / 1000 }));
    due.querySelectorAll('rect').forEach((r) => r.setAttribute('class', 'due'));
    const plugins = el('table', { id: 'plugins' },
      el('thead', {}, el('tr', {}, ['Plugin', 'Version', 'State', 'Types', 'Provider', 'Description'].map((t) => el('th', { text: t })))),
      el('tbody', {}, o.plugins.map((p) => el('tr', {},
        el('td', { class: 'mono', text: p.id }), el('td', { text: p.version }),
        el('td', {}, el('span', { class: 'badge ' + (p.state === 'STARTED' ? 'ok' : 'bad'), text: p.state })),
        el('td', { text: (p.types || []).join(', ') }), el('td', { text: p.provider }), el('td', { text: p.description })))));
    const health = el('table', { id: 'health' },
      el('thead', {}, el('tr', {}, ['Check', 'State', 'Message'].map((t) => el('th', { text: t })))),
      el('tbody', {}, o.health.map((c) => el('tr', {}, el('td', { class: 'mono', text: c.name }),
        el('td', {}, el('span', { class: 'badge ' + (c.healthy ? 'ok' : 'bad'), text: c.healthy ? 'healthy' : 'unhealthy' })),
        el('td', { text: c.message || '' })))));
    show(el('h2', { text: 'Deliveries' }),
      el('p', { text: 'Sampled every minute and kept in memory for an hour (empty after a restart); the current minute is live. For history, scrape /metrics/prometheus on the admin port.' }),
      el('div', { class: 'charts' }, deliveries, due),
      el('h2', { text: 'Notifier plugins' }), plugins,
      el('h2', { text: 'Health checks' }), health);
  }

  // ---- webhooks across users ----

  async function list (params) {
    const query = new URLSearchParams();
    for (const k of ['state', 'type', 'failing', 'lagging']) if (params.get(k)) query.set(k, params.get(k));
    const [found, o] = await Promise.all([call('webhooks?' + query), call('overview')]);
    const types = [...new Set(o.plugins.flatMap((p) => p.types || []))].sort();
    const select = (name, options) => el('select', { name, id: 'filter-' + name },
      options.map(([v, t]) => el('option', { value: v, selected: params.get(name) === v, text: t })));
    const check = (name, text) => el('label', { class: 'check' },
      el('input', { type: 'checkbox', name, id: 'filter-' + name, value: 'true', checked: params.get(name) === 'true' }), text);
    const form = el('form', {
      class: 'filters',
      onsubmit: (e) => {
        e.preventDefault();
        const q = new URLSearchParams();
        for (const [k, v] of new FormData(e.target)) if (v) q.set(k, v);
        location.hash = '#/webhooks' + (q.toString() ? '?' + q : '');
      }
    },
    el('label', {}, 'State', select('state', [['', 'any'], ['active', 'active'], ['inactive', 'inactive']])),
    el('label', {}, 'Type', select('type', [['', 'any'], ...types.map((t) => [t, t])])),
    check('failing', 'failing'), check('lagging', 'lagging'),
    el('button', { type: 'submit', class: 'primary', text: 'Filter' }));
    const rows = found.webhooks.map((w) => el('tr', { 'data-id': w.id },
      el('td', {}, el('a', { href: '#/webhook/' + encodeURIComponent(w.id), class: 'mono', text: w.id })),
      el('td', { text: w.username }), el('td', { class: 'mono', text: w.url }), el('td', { text: w.type }),
      el('td', {}, stateBadge(w)),
      el('td', {}, failing(w) ? el('span', { class: 'badge bad', text: 'failing' }) : el('span', { class: 'badge ok', text: 'ok' })),
      el('td', { class: 'num', text: w.lastRun.status }), el('td', { text: time(w.lastRun.timestamp) }),
      el('td', { class: 'num', text: `${w.runCount} / ${w.failCount}` })));
    show(el('h2', { text: 'Webhooks of every user' }), form,
      el('table', { id: 'webhooks' },
        el('thead', {}, el('tr', {}, ['Id', 'User', 'URL', 'Type', 'State', 'Delivery', 'Last status', 'Last run', 'Runs / failures']
          .map((t) => el('th', { text: t })))),
        el('tbody', {}, rows.length ? rows : el('tr', {}, el('td', { colspan: 9, text: 'No webhook matches.' })))));
  }

  // ---- one webhook: facts, actions, attempts ----

  async function one (id, message) {
    const { webhook: w, attempts } = await call('webhooks/' + encodeURIComponent(id));
    const act = (name, label) => el('button', {
      type: 'button',
      id: 'action-' + name,
      text: label,
      onclick: async () => {
        try {
          const r = await call(`webhooks/${encodeURIComponent(id)}/${name}`, 'POST');
          const text = name === 'test'
            ? (r.delivered ? `Test delivered (HTTP ${r.status}).` : `Test not delivered: ${r.reason || 'HTTP ' + r.status}.`)
            : (name === 'pause' ? 'Paused: nothing is delivered until it is reactivated.' : 'Reactivated: what is pending is delivered next.');
          await one(id, { text, ok: name !== 'test' || r.delivered });
        } catch (e) {
          await one(id, { text: e.message, ok: false });
        }
      }
    });
    const facts = el('dl', { class: 'facts', id: 'facts' },
      [['User', w.username], ['URL', w.url], ['Type', w.type], ['State', stateBadge(w)],
        ['Runs / failures', `${w.runCount} / ${w.failCount}`], ['Consecutive failures', `${w.currentRetries} of ${w.maxRetries} tolerated`],
        ['Minimum interval', w.minIntervalMs + ' ms'], ['Created', time(w.created)], ['Modified', `${time(w.modified)} by ${w.modifiedBy}`]]
        .flatMap(([k, v]) => [el('dt', { text: k }), el('dd', {}, v)]));
    const rows = attempts.map((a) => el('tr', {},
      el('td', { class: 'num', text: a.run }), el('td', { text: time(a.timestamp) }),
      el('td', { class: 'num', text: a.status }),
      el('td', {}, a.error ? el('span', { class: 'badge bad error', text: a.error }) : el('span', { class: 'badge ok', text: 'delivered' })),
      el('td', { class: 'num', text: Number(a.durationMs).toFixed(1) + ' ms' }),
      el('td', { text: a.reason || '' }),
      el('td', {}, a.answer ? el('pre', { class: 'answer', text: a.answer }) : '—'),
      el('td', { class: 'mono', text: (a.messages || []).join(', ') }),
      el('td', { text: a.nextAttempt ? time(a.nextAttempt) : '—' })));
    show(el('h2', {}, 'Webhook ', el('span', { class: 'mono', text: w.id })),
      message ? el('div', { class: 'message ' + (message.ok ? 'ok' : 'bad'), id: 'message', role: 'status', text: message.text }) : null,
      el('div', { class: 'actions' }, act('reactivate', 'Reactivate'), act('test', 'Send a test'), act('pause', 'Pause')),
      facts,
      el('h2', { text: 'Last attempts' }),
      el('table', { id: 'attempts' },
        el('thead', {}, el('tr', {}, ['Run', 'Started', 'Status', 'Error', 'Duration', 'Reason', 'Answer (first 1 KiB)', 'Messages', 'Next attempt']
          .map((t) => el('th', { text: t })))),
        el('tbody', {}, rows.length ? rows : el('tr', {}, el('td', { colspan: 9, text: 'No attempt yet.' })))));
  }

  async function route () {
    const hash = location.hash || '#/';
    const [path, query] = hash.slice(1).split('?');
    const params = new URLSearchParams(query || '');
    try {
      if (path.startsWith('/webhook/')) await one(decodeURIComponent(path.slice('/webhook/'.length)));
      else if (path === '/webhooks') await list(params);
      else await overview();
      status.textContent = 'Updated ' + new Date().toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');
    } catch (e) {
      show(el('div', { class: 'message bad', role: 'alert', text: 'Could not load: ' + e.message }));
    }
  }

  window.addEventListener('hashchange', route);
  route();
}());

// The wordcount-iq page: the instances of both clusters, refreshed every few seconds (GET api/cluster), and key
// lookups that show their path (GET api/lookup?key=w). Everything shown is data from the service, so the DOM is
// built with textContent and attributes only, never from HTML strings.
'use strict';

const REFRESH_MS = 3000;
const REQUEST_TIMEOUT_MS = 8000;

/** An element with attributes and children; strings become text nodes, null and false are left out. */
function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value !== null && value !== undefined && value !== false) {
      node.setAttribute(name, String(value));
    }
  }
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) {
      continue;
    }
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

/** GET a JSON answer of the service; resolves to {status, body} (body null when it is not JSON). */
async function getJson(url) {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), REQUEST_TIMEOUT_MS);
  try {
    const response = await fetch(url, { cache: 'no-store', signal: abort.signal, headers: { Accept: 'application/json' } });
    let body = null;
    try {
      body = await response.json();
    } catch (notJson) {
      body = null;
    }
    return { status: response.status, body };
  } finally {
    clearTimeout(timer);
  }
}

function ms(value) {
  return value === null || value === undefined ? '' : `${Number(value).toFixed(1)} ms`;
}

function time() {
  return new Date().toLocaleTimeString();
}

// ------------------------------------------------------------------------------------------------ instances

const STATUS_CLASS = { 'ready': 'ready', 'not ready': 'not-ready', 'unreachable': 'unreachable' };

function storeLines(instance) {
  const lines = [];
  for (const store of instance.stores || []) {
    if (store.global) {
      lines.push(el('div', {}, el('code', {}, store.store), ': the whole table (global)'));
      continue;
    }
    const standbys = (store.standby || []).map(s => s.lag === null || s.lag === undefined
      ? `${s.partition}` : `${s.partition} (lag ${s.lag})`);
    lines.push(el('div', { 'data-store': store.store },
      el('code', {}, store.store), ': active ', (store.active || []).join(', ') || '–',
      ' · standby ', standbys.join(', ') || '–'));
  }
  return lines.length ? lines : ['–'];
}

function instanceRow(instance) {
  const tags = [
    instance.self ? el('span', { class: 'tag' }, 'this page') : null,
    instance.mode === 'observer' ? el('span', { class: 'tag' }, 'observer') : null,
    instance.member === false && instance.mode !== 'observer' ? el('span', { class: 'tag' }, 'not in the group') : null,
  ];
  const advertised = instance.advertised ? el('span', { class: 'reason' }, `describes itself as ${instance.advertised}`) : null;
  return el('tr', { 'data-address': instance.address, 'data-status': instance.status },
    el('td', {}, el('span', { class: 'address' }, instance.address), tags, advertised),
    el('td', {}, el('span', { class: `badge ${STATUS_CLASS[instance.status] || 'unreachable'}` }, instance.status),
      instance.reason ? el('span', { class: 'reason' }, instance.reason) : null),
    el('td', { class: 'stores' }, storeLines(instance)),
    el('td', { class: 'num' }, instance.self ? 'here' : ms(instance.ms)));
}

function clusterSection(group) {
  const name = group.cluster === null || group.cluster === undefined ? null : group.cluster;
  return el('div', { class: 'cluster', 'data-cluster': name === null ? '' : name },
    el('h3', {}, name === null ? 'cluster not named or not known' : `cluster ${name}`),
    el('table', {},
      el('thead', {}, el('tr', {}, el('th', {}, 'instance'), el('th', {}, 'status'),
        el('th', {}, 'partitions per store'), el('th', { class: 'num' }, 'asked in'))),
      el('tbody', {}, group.instances.map(instanceRow))));
}

async function refresh() {
  const status = document.getElementById('view-status');
  try {
    const { status: code, body } = await getJson('api/cluster');
    if (code !== 200 || !body || !Array.isArray(body.clusters)) {
      throw new Error(body && body.error ? body.error : `HTTP ${code}`);
    }
    document.getElementById('clusters').replaceChildren(...body.clusters.map(clusterSection));
    const cut = body.unreachable && body.unreachable.length
      ? `; it cannot reach ${body.unreachable.join(', ')}` : '';
    const problem = (body.metadataProblem ? ` (its metadata: ${body.metadataProblem})` : '') + cut;
    status.className = problem ? 'problem' : 'muted';
    status.textContent = `Seen from ${body.answeredBy} at ${time()}${problem}; refreshed every ${REFRESH_MS / 1000} s`;
  } catch (e) {
    status.className = 'problem';
    status.textContent = `No answer from the service at ${time()}: ${e.message || e}; trying again`;
  } finally {
    setTimeout(refresh, REFRESH_MS);
  }
}

// ------------------------------------------------------------------------------------------------ lookups

function address(host) {
  return `${host.host}:${host.port}`;
}

function holdersOf(description) {
  const holders = description.holders;
  if (!holders) {
    return [['owner', 'not known right now (rebalancing)']];
  }
  if (holders.note) {
    return [['owner', holders.note]];
  }
  const standbys = (holders.standbys || []).map(s => s.offsetLag === undefined
    ? address(s) : `${address(s)} (lag ${s.offsetLag})`);
  return [
    ['owner', el('span', { id: 'result-owner', class: 'address' }, address(holders))],
    ['partition', String(holders.partition)],
    ['standbys', el('span', { id: 'result-standbys', class: 'address' }, standbys.join(', ') || 'none')],
  ];
}

function hopList(description) {
  if (!description.hops || description.hops.length === 0) {
    return el('p', { class: 'muted', id: 'result-hops' }, `No hop: ${description.enteredAt} read its own copy.`);
  }
  return el('ol', { class: 'hops', id: 'result-hops' }, description.hops.map(hop =>
    el('li', { 'data-host': hop.host },
      el('span', { class: 'address' }, hop.host), ` — ${hop.result}`,
      hop.status ? ` (HTTP ${hop.status})` : '', ` in ${ms(hop.ms)}`,
      hop.reason ? el('span', { class: 'reason' }, hop.reason) : null)));
}

function showLookup(description, code) {
  const result = document.getElementById('result');
  if (!description || description.key === undefined) {
    const error = description && description.error ? description.error : `HTTP ${code}`;
    result.replaceChildren(el('p', { class: 'problem', id: 'result-error' }, error));
    return;
  }
  const headline = description.status === 200
    ? el('p', {}, el('code', {}, description.key), ' counted ', el('span', { class: 'count', id: 'result-count' },
      String(description.value)), ' times')
    : el('p', { class: 'problem', id: 'result-error' }, `${description.error} (HTTP ${description.status})`);
  const copy = description.copy
    ? [description.copy, description.stale ? el('span', { class: 'stale' }, ' — may be stale') : ' — fresh',
      description.lag !== undefined ? ` (lag ${description.lag})` : '']
    : ['–'];
  const rows = [
    ['answered by', el('span', { id: 'result-served-by', class: 'address' }, description.answeredBy || '–')],
    ['copy', el('span', { id: 'result-copy' }, copy)],
    ['entered at', el('span', { class: 'address' }, description.enteredAt)],
    ...holdersOf(description),
    ['total', el('span', { id: 'result-total' }, `${ms(description.totalMs)}${description.rounds > 1 ? `, ${description.rounds} rounds` : ''}`)],
  ];
  result.replaceChildren(headline,
    el('dl', {}, rows.map(([name, value]) => [el('dt', {}, name), el('dd', {}, value)])),
    el('h3', {}, 'Hops'), hopList(description));
}

async function lookup(key) {
  const result = document.getElementById('result');
  result.replaceChildren(el('p', { class: 'muted' }, 'Looking up…'));
  try {
    const { status, body } = await getJson(`api/lookup?key=${encodeURIComponent(key)}`);
    showLookup(body, status);
  } catch (e) {
    result.replaceChildren(el('p', { class: 'problem', id: 'result-error' }, `No answer: ${e.message || e}`));
  }
}

document.addEventListener('DOMContentLoaded', () => {
  const form = document.getElementById('lookup');
  const input = document.getElementById('key');
  form.addEventListener('submit', event => {
    event.preventDefault();
    const key = input.value.trim();
    if (key) {
      history.replaceState(null, '', `?key=${encodeURIComponent(key)}`);
      lookup(key);
    }
  });
  const key = new URLSearchParams(location.search).get('key');
  if (key) {
    input.value = key;
    lookup(key);
  }
  refresh();
});

// Freshet admin console: plain ES module, no build step. It talks to the node's REST API with the
// credentials given at sign-in (HTTP Basic, kept for this browser tab only) or, after a sign-in through the
// enterprise's OpenID provider, with the node's session cookie, and follows /api/events
// (server-sent events, read with fetch so that the credentials go along).

const AUTH_KEY = 'freshet.auth';
/** state.auth when the node's session cookie (single sign-on) carries who is signed in. */
const SESSION = 'session';
const PIECE_SIZES = [0, 65536, 262144, 1048576, 4194304, 16777216];

const state = {
  auth: sessionStorage.getItem(AUTH_KEY),
  me: null,
  nodeName: '',
  swarms: [],
  publications: [],
  rate: null,
  cluster: null,
  detail: null,
  limits: null,
  sort: { key: 'name', dir: 1 },
  filter: '',
  stateFilter: 'all',
  page: null,
};

// ---------------------------------------------------------------- formatting

const esc = (s) => String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));

function bytes(n) {
  if (n == null || !isFinite(n)) return '—';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  while (Math.abs(n) >= 1024 && i < units.length - 1) { n /= 1024; i++; }
  return (i === 0 ? n.toFixed(0) : n.toFixed(n < 10 ? 2 : n < 100 ? 1 : 0)) + ' ' + units[i];
}
const rate = (n) => bytes(n) + '/s';
const percent = (p) => (p >= 1 ? '100' : (Math.floor(p * 1000) / 10).toFixed(1)) + ' %';

function duration(seconds) {
  if (seconds == null || !isFinite(seconds)) return '∞';
  seconds = Math.round(seconds);
  if (seconds < 60) return seconds + ' s';
  if (seconds < 3600) return Math.floor(seconds / 60) + ' min ' + (seconds % 60) + ' s';
  if (seconds < 86400) return Math.floor(seconds / 3600) + ' h ' + Math.floor((seconds % 3600) / 60) + ' min';
  return Math.floor(seconds / 86400) + ' d ' + Math.floor((seconds % 86400) / 3600) + ' h';
}

function eta(s) {
  if (s.progress >= 1) return '—';
  if (s.state !== 'downloading' || !s.downloadRate) return '∞';
  return duration((s.size * (1 - s.progress)) / s.downloadRate);
}

function policyText(p) {
  if (!p) return '';
  if (p === 'all') return 'All nodes';
  if (p === 'on-demand') return 'On demand';
  if (p.startsWith('offices:')) return 'Offices: ' + p.substring(8).split(',').join(', ');
  return p;
}

const STATE_CLASS = { downloading: 'text-bg-primary', seeding: 'text-bg-success', paused: 'text-bg-secondary',
  checking: 'text-bg-info', stalled: 'text-bg-warning', error: 'text-bg-danger', stopped: 'text-bg-light border' };
const stateBadge = (st) => `<span class="badge state ${STATE_CLASS[st] || 'text-bg-light'}">${esc(st)}</span>`;

function progressBar(p, label, withPercent = true) {
  const pct = Math.min(100, p * 100);
  const cls = p >= 1 ? 'bg-success' : 'bg-primary';
  return `<div class="progress" role="progressbar" aria-label="${esc(label)}" aria-valuemin="0" aria-valuemax="100"
    aria-valuenow="${pct.toFixed(1)}"><div class="progress-bar ${cls}" style="width:${pct}%"></div></div>`
    + (withPercent ? `<div class="progress-label">${percent(p)}</div>` : '');
}

function decodeBits(base64, count) {
  const raw = atob(base64 || '');
  const out = new Uint8Array(count);
  for (let i = 0; i < count; i++) out[i] = (raw.charCodeAt(i >> 3) >> (7 - (i & 7))) & 1;
  return out;
}
function decodeBytes(base64) {
  const raw = atob(base64 || '');
  const out = new Uint8Array(raw.length);
  for (let i = 0; i < raw.length; i++) out[i] = raw.charCodeAt(i);
  return out;
}

// ---------------------------------------------------------------- API

class ApiError extends Error {
  constructor(status, detail) { super(detail); this.status = status; }
}

function headers(extra = {}) {
  const auth = state.auth && state.auth !== SESSION ? { Authorization: 'Basic ' + state.auth } : {};
  return { ...auth, 'X-Requested-With': 'XMLHttpRequest', ...extra };
}

/** What a role may do: publishers publish and add, and change the swarms they published; admins everything. */
const mayPublish = () => state.me && (state.me.role === 'admin' || state.me.role === 'publisher');
const mayChange = (s) => state.me && (state.me.admin || (state.me.role === 'publisher' && s.owner && s.owner === state.me.user));

async function problemOf(res) {
  try {
    const p = await res.json();
    return p.detail || p.title || res.statusText;
  } catch (e) {
    return res.statusText || ('HTTP ' + res.status);
  }
}

async function api(path, { method = 'GET', body, type, raw = false } = {}) {
  let res;
  try {
    res = await fetch(path, { method, body, headers: headers(type ? { 'Content-Type': type } : {}), cache: 'no-store' });
  } catch (e) {
    banner('This node cannot be reached: its API does not answer. Retrying…');
    throw new ApiError(0, 'the node cannot be reached');
  }
  if (res.status === 401) {
    signOut('Your credentials are no longer accepted; sign in again.');
    throw new ApiError(401, 'not signed in');
  }
  if (!res.ok) throw new ApiError(res.status, await problemOf(res));
  if (raw) return res;
  return res.status === 204 ? null : res.json();
}

/** Runs an action, telling the user what went wrong if it did. */
async function attempt(what, fn) {
  try {
    return await fn();
  } catch (e) {
    if (e.status === 401) return undefined;
    toast(`${what}: ${e.status === 403 ? 'refused — your user may only look' : e.message}`, 'danger');
    return undefined;
  }
}

// ---------------------------------------------------------------- events (SSE over fetch)

let stream = null;

function follow(query) {
  const url = 'api/events' + (query ? '?' + query : '');
  if (stream && stream.url === url) return;
  if (stream) stream.ctl.abort();
  const ctl = new AbortController();
  stream = { url, ctl };
  readEvents(url, ctl);
}

function stopFollowing() {
  if (stream) stream.ctl.abort();
  stream = null;
}

async function readEvents(url, ctl) {
  let backoff = 1000;
  while (!ctl.signal.aborted) {
    let watchdog;
    try {
      const res = await fetch(url, { headers: headers({ Accept: 'text/event-stream' }), signal: ctl.signal, cache: 'no-store' });
      if (res.status === 401) { signOut('Your credentials are no longer accepted; sign in again.'); return; }
      if (!res.ok) throw new ApiError(res.status, await problemOf(res));
      banner(null);
      backoff = 1000;
      const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
      const arm = () => { clearTimeout(watchdog); watchdog = setTimeout(() => reader.cancel(), 40000); };
      arm();
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        arm();
        buffer += value.replace(/\r\n?/g, '\n');
        let end;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          dispatch(buffer.slice(0, end));
          buffer = buffer.slice(end + 2);
        }
      }
      throw new ApiError(0, 'the event stream ended');
    } catch (e) {
      if (ctl.signal.aborted) return;
      banner(e.status > 0
        ? `The node refused live updates (${e.status}: ${e.message}). Retrying…`
        : 'This node cannot be reached: its API does not answer. Retrying…');
      await new Promise((r) => setTimeout(r, backoff));
      backoff = Math.min(backoff * 2, 10000);
    } finally {
      clearTimeout(watchdog);
    }
  }
}

function dispatch(block) {
  let name = 'message';
  const data = [];
  for (const line of block.split('\n')) {
    if (line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'event') name = value;
    else if (field === 'data') data.push(value);
  }
  if (!data.length) return;
  let payload;
  try { payload = JSON.parse(data.join('\n')); } catch (e) { return; }
  if (name === 'node') {
    if (payload.swarms) state.swarms = payload.swarms; // the whole list: the stream's first event
    else applySwarmChanges(payload.changed || [], payload.removed || []);
    state.publications = payload.publications || [];
    state.rate = payload.rate;
    renderNodeRates();
    if (state.page === 'swarms') updateSwarms();
    updatePublishDialog();
  } else if (name === 'swarm') {
    state.detail = payload;
    if (state.page === 'swarm') updateDetail();
  } else if (name === 'cluster') {
    state.cluster = payload;
    if (state.page === 'cluster') updateCluster();
  }
}

/** The stream's later node events carry only the swarms that changed and the info-hashes of those gone. */
function applySwarmChanges(changed, removed) {
  if (removed.length) {
    const gone = new Set(removed);
    state.swarms = state.swarms.filter((s) => !gone.has(s.infoHash));
  }
  if (!changed.length) return;
  const at = new Map(state.swarms.map((s, i) => [s.infoHash, i]));
  for (const s of changed) {
    const i = at.get(s.infoHash);
    if (i === undefined) state.swarms.push(s);
    else state.swarms[i] = s;
  }
}

// ---------------------------------------------------------------- chrome: banner, toasts, dialogs

function banner(text) {
  const b = document.getElementById('banner');
  b.hidden = !text;
  b.textContent = text || '';
}

/**
 * The grid-trust banner (issue 13): shown while the node refused grid entries in the last hour (written without the
 * cluster's secret) or the grid has members without the secret. Every user sees it: it is about the data they see.
 */
const TRUST_RECENT_MS = 3600 * 1000;

function trustProblems(t) {
  if (!t) return [];
  const now = Date.now();
  const recent = (t.refused || []).filter((r) => now - r.lastAt < TRUST_RECENT_MS);
  const out = recent.map((r) => `${r.count} ${r.count === 1 ? 'entry' : 'entries'} of ${r.map} (last ${ago(r.lastAt)}: ${r.reason})`);
  if ((t.strangers || []).length) out.push(`members without the cluster's secret: ${t.strangers.join(', ')}`);
  return out;
}

function showTrust(t) {
  const b = document.getElementById('trust-banner');
  const problems = trustProblems(t);
  b.hidden = problems.length === 0;
  b.textContent = problems.length
    ? 'This node ignores what it cannot trust in the cluster\'s data grid — ' + problems.join('; ')
      + '. Someone without the cluster secret reached the cluster port, or a node was given another secret.'
    : '';
}

function ago(at) {
  const s = Math.max(0, Math.round((Date.now() - at) / 1000));
  return s < 90 ? `${s} s ago` : s < 5400 ? `${Math.round(s / 60)} min ago` : `${Math.round(s / 3600)} h ago`;
}

async function checkTrust() {
  try {
    showTrust(await api('api/cluster/trust'));
  } catch (e) {
    // the connection banner says it
  }
}

function toast(text, kind = 'success') {
  const box = document.getElementById('toasts');
  const t = document.createElement('div');
  t.className = `alert alert-${kind} alert-dismissible py-2`;
  t.setAttribute('role', kind === 'danger' ? 'alert' : 'status');
  t.innerHTML = `<span>${esc(text)}</span><button type="button" class="btn-close" aria-label="Dismiss"></button>`;
  t.querySelector('button').addEventListener('click', () => t.remove());
  box.appendChild(t);
  setTimeout(() => t.remove(), kind === 'danger' ? 10000 : 4000);
}

const dialog = () => document.getElementById('dialog');

function openDialog(title, bodyHtml, footHtml) {
  const d = dialog();
  d.innerHTML = `<form method="dialog" novalidate>
      <div class="dialog-body">
        <h2 class="h5 mb-3" id="dialog-title">${esc(title)}</h2>
        ${bodyHtml}
        <div class="alert alert-danger py-2 mt-3 mb-0" role="alert" data-role="error" hidden></div>
      </div>
      <div class="dialog-foot">${footHtml}</div>
    </form>`;
  if (!d.open) d.showModal();
  const first = d.querySelector('[autofocus]') || d.querySelector('input, select, textarea, button');
  if (first) first.focus();
  return d;
}

function dialogError(text) {
  const e = dialog().querySelector('[data-role=error]');
  if (!e) return;
  e.hidden = !text;
  e.textContent = text || '';
}

function closeDialog() {
  const d = dialog();
  if (d.open) d.close();
  d.innerHTML = '';
  d.dataset.kind = '';
}

async function copyText(text, what) {
  try {
    await navigator.clipboard.writeText(text);
    toast(`${what} copied to the clipboard`);
  } catch (e) {
    // no clipboard (plain HTTP from another host): show it, selected, to copy by hand
    const d = openDialog(what, `<label class="form-label" for="copy-text">Copy it with Ctrl+C:</label>
      <textarea id="copy-text" class="form-control mono" rows="4" readonly>${esc(text)}</textarea>`,
      '<button class="btn btn-primary" value="close">Close</button>');
    d.querySelector('textarea').select();
    d.querySelector('form').addEventListener('submit', closeDialog);
  }
}

/** Saves what an API call answers as a file called `name` (the call carries the credentials a plain link cannot). */
async function saveAs(what, path, name) {
  await attempt(what, async () => {
    const res = await api(path, { raw: true });
    const url = URL.createObjectURL(await res.blob());
    const a = document.createElement('a');
    a.href = url;
    a.download = name;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  });
}

async function downloadTorrent(s) {
  await saveAs('Downloading the .torrent', `api/swarms/${s.infoHash}/torrent`, (s.name || s.infoHash) + '.torrent');
}

// ---------------------------------------------------------------- sign-in

function toBase64(text) {
  const b = new TextEncoder().encode(text);
  let s = '';
  b.forEach((x) => { s += String.fromCharCode(x); });
  return btoa(s);
}

/** How this node lets users sign in (GET auth/session): whether it has an OpenID provider, why the last try failed. */
async function signInOptions() {
  try {
    const res = await fetch('auth/session', { cache: 'no-store' });
    return res.ok ? await res.json() : {};
  } catch (e) {
    return {};
  }
}

async function renderSignIn(message, kind = 'danger') {
  const options = await signInOptions();
  if (options.error && !message) { message = options.error; kind = 'danger'; }
  document.getElementById('top').hidden = true;
  document.title = 'Sign in — Freshet';
  const main = document.getElementById('main');
  main.innerHTML = `<div class="signin card">
      <div class="card-body p-4">
        <h1 class="h4 mb-1 d-flex align-items-center gap-2"><img src="console/favicon.svg" alt="" width="28" height="28"> Freshet</h1>
        <p class="text-secondary mb-4">Sign in to this node's console.</p>
        <form id="signin-form" novalidate>
          <div class="mb-3">
            <label class="form-label" for="user">User</label>
            <input class="form-control" id="user" name="user" autocomplete="username" value="admin" required>
          </div>
          <div class="mb-3">
            <label class="form-label" for="password">Password</label>
            <input class="form-control" id="password" name="password" type="password" autocomplete="current-password" required autofocus>
          </div>
          <div class="alert alert-${kind} py-2" role="alert" id="signin-error" ${message ? '' : 'hidden'}>${esc(message || '')}</div>
          <button class="btn btn-primary w-100" type="submit" id="signin">Sign in</button>
        </form>
        ${options.oidc ? `<div class="text-center text-secondary small my-2">or</div>
        <a class="btn btn-outline-primary w-100" id="signin-sso" href="${esc(options.oidc.signIn)}"><i class="bi bi-building-lock" aria-hidden="true"></i> ${esc(options.oidc.label)}</a>` : ''}
        <p class="small text-secondary mt-3 mb-0">Users: <code>admin</code> changes things, <code>viewer</code> looks;
          directory users have the role their groups give.
          The admin password is in <code>&lt;data dir&gt;/admin-password</code> unless configured.</p>
      </div>
    </div>`;
  const form = document.getElementById('signin-form');
  document.getElementById('password').focus();
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const user = form.user.value.trim();
    const password = form.password.value;
    const error = document.getElementById('signin-error');
    error.className = 'alert alert-danger py-2';
    if (!user || !password) {
      error.hidden = false;
      error.textContent = 'Enter a user and a password.';
      return;
    }
    const auth = toBase64(user + ':' + password);
    let res;
    try {
      res = await fetch('api/me', { headers: { Authorization: 'Basic ' + auth, 'X-Requested-With': 'XMLHttpRequest' }, cache: 'no-store' });
    } catch (e) {
      error.hidden = false;
      error.textContent = 'This node cannot be reached: its API does not answer.';
      return;
    }
    if (res.status === 401) {
      error.hidden = false;
      error.textContent = 'Wrong user name or password.';
      form.password.select();
      return;
    }
    if (!res.ok) {
      error.hidden = false;
      error.textContent = `The node answered ${res.status}: ${await problemOf(res)}`;
      return;
    }
    state.auth = auth;
    sessionStorage.setItem(AUTH_KEY, auth);
    state.me = await res.json();
    await start();
  });
}

function signOut(message, kind = 'danger') {
  stopFollowing();
  if (state.auth === SESSION) {
    // out of the node's session, and of the provider's when it says where (it sends the browser back here)
    fetch('auth/signout', { method: 'POST', headers: { 'X-Requested-With': 'XMLHttpRequest' } })
      .then((r) => (r.status === 200 ? r.json() : null))
      .then((o) => { if (o && o.logout) window.location.assign(o.logout); })
      .catch(() => {});
  }
  state.auth = null;
  state.me = null;
  // the next user starts afresh
  Object.assign(state, { swarms: [], publications: [], cluster: null, detail: null, filter: '', stateFilter: 'all',
    sort: { key: 'name', dir: 1 } });
  sessionStorage.removeItem(AUTH_KEY);
  closeDialog();
  banner(null);
  clearInterval(state.trustTimer);
  showTrust(null);
  renderSignIn(message, kind);
}

async function start() {
  if (!state.me) {
    try {
      state.me = await api('api/me');
    } catch (e) {
      if (e.status !== 401) renderSignIn(e.message);
      return;
    }
  }
  const top = document.getElementById('top');
  top.hidden = false;
  document.getElementById('nav-access').hidden = !state.me.admin;
  document.getElementById('who').innerHTML = `<i class="bi bi-person-circle" aria-hidden="true"></i> ${esc(state.me.user)}
    <span class="badge ${state.me.admin ? 'text-bg-warning' : state.me.role === 'publisher' ? 'text-bg-info' : 'text-bg-secondary'}" id="who-role">${esc(state.me.role || (state.me.admin ? 'admin' : 'viewer'))}</span>`;
  clearInterval(state.trustTimer);
  state.trustTimer = setInterval(checkTrust, 30000);
  try {
    const c = await api('api/cluster');
    state.cluster = c;
    showTrust(c.trust);
    const self = c.members.find((m) => m.local);
    state.nodeName = self ? `${self.name} · ${self.office}` : c.office;
    document.getElementById('node-name').textContent = state.nodeName;
  } catch (e) {
    // shown by the banner; the page still renders
  }
  route();
}

function renderNodeRates() {
  const r = state.rate;
  document.getElementById('node-down').textContent = rate(r ? r.down : 0);
  document.getElementById('node-up').textContent = rate(r ? r.up : 0);
}

// ---------------------------------------------------------------- routing

function route() {
  if (!state.auth) { renderSignIn(); return; }
  if (!state.me) { start(); return; }
  const hash = location.hash.replace(/^#\/?/, '');
  const [page, arg] = hash.split('/');
  closeDialog();
  charts.destroy();
  clearInterval(state.officesTimer);
  document.querySelectorAll('header [data-page]').forEach((a) => {
    const active = a.dataset.page === (page === 'swarm' ? 'swarms' : page || 'swarms');
    a.classList.toggle('active', active);
    if (active) a.setAttribute('aria-current', 'page'); else a.removeAttribute('aria-current');
  });
  if (page === 'swarm' && /^[0-9a-f]{40}$/i.test(arg || '')) renderDetail(arg.toLowerCase());
  else if (page === 'cluster') renderCluster();
  else if (page === 'offices') renderOffices();
  else if (page === 'settings') renderSettings();
  else if (page === 'access' && state.me.admin) renderAccess();
  else renderSwarms();
  document.getElementById('main').focus({ preventScroll: true });
}

function setTitle(title) {
  document.title = `${title} — Freshet${state.nodeName ? ' (' + state.nodeName + ')' : ''}`;
}

// ---------------------------------------------------------------- swarms page

const COLUMNS = [
  { key: 'name', label: 'Name', value: (s) => s.name.toLowerCase() },
  { key: 'size', label: 'Size', num: true, value: (s) => s.size, hide: 'd-none d-sm-table-cell' },
  { key: 'progress', label: 'Progress', value: (s) => s.progress },
  { key: 'state', label: 'State', value: (s) => s.state },
  { key: 'downloadRate', label: 'Down', num: true, value: (s) => s.downloadRate, hide: 'd-none d-md-table-cell' },
  { key: 'uploadRate', label: 'Up', num: true, value: (s) => s.uploadRate, hide: 'd-none d-md-table-cell' },
  { key: 'peerCount', label: 'Peers', num: true, value: (s) => s.peerCount, hide: 'd-none d-lg-table-cell' },
  { key: 'eta', label: 'ETA', num: true, value: (s) => (s.progress >= 1 ? -1 : s.downloadRate ? (s.size * (1 - s.progress)) / s.downloadRate : Infinity), hide: 'd-none d-lg-table-cell' },
  { key: 'policy', label: 'Policy', value: (s) => s.policy, hide: 'd-none d-xl-table-cell' },
];

function renderSwarms() {
  state.page = 'swarms';
  setTitle('Swarms');
  follow('');
  const main = document.getElementById('main');
  main.innerHTML = `
    <div class="d-flex flex-wrap align-items-center gap-2 mb-3">
      <h1 class="h4 mb-0 me-auto">Swarms</h1>
      ${mayPublish() ? `<button type="button" class="btn btn-primary" data-action="publish" data-mutates><i class="bi bi-cloud-upload" aria-hidden="true"></i> Publish</button>
      <button type="button" class="btn btn-outline-primary" data-action="add" data-mutates><i class="bi bi-plus-lg" aria-hidden="true"></i> Add torrent or magnet</button>` : ''}
    </div>
    <div id="publications"></div>
    <div class="card">
      <div class="card-body pb-0">
        <div class="row g-2 mb-2">
          <div class="col-sm-7 col-md-5">
            <label class="visually-hidden" for="filter">Filter by name or info-hash</label>
            <input type="search" class="form-control" id="filter" placeholder="Filter by name or info-hash" value="${esc(state.filter)}">
          </div>
          <div class="col-sm-5 col-md-3">
            <label class="visually-hidden" for="state-filter">State</label>
            <select class="form-select" id="state-filter">
              ${['all', 'downloading', 'seeding', 'paused', 'checking', 'stalled', 'error', 'stopped'].map((v) =>
                `<option value="${v}" ${state.stateFilter === v ? 'selected' : ''}>${v === 'all' ? 'All states' : v[0].toUpperCase() + v.slice(1)}</option>`).join('')}
            </select>
          </div>
          <div class="col-md-4 text-md-end small text-secondary align-self-center" id="swarm-count" aria-live="polite"></div>
        </div>
      </div>
      <div class="table-responsive" tabindex="0" role="region" aria-label="Swarms table">
        <table class="table table-hover table-swarms mb-0" aria-describedby="swarm-count">
          <thead><tr>
            ${COLUMNS.map((c) => `<th scope="col" class="${c.num ? 'num ' : ''}${c.hide || ''}" data-key="${c.key}"><button type="button" class="sort">${c.label}</button></th>`).join('')}
            <th scope="col" class="text-end"><span class="visually-hidden">Actions</span></th>
          </tr></thead>
          <tbody id="swarm-rows"></tbody>
        </table>
      </div>
      <p class="text-secondary text-center my-4" id="no-swarms" hidden></p>
    </div>`;
  main.querySelectorAll('th[data-key] .sort').forEach((b) => b.addEventListener('click', () => {
    const key = b.parentElement.dataset.key;
    state.sort = { key, dir: state.sort.key === key ? -state.sort.dir : (key === 'name' || key === 'state' || key === 'policy' ? 1 : -1) };
    updateSwarms(true);
  }));
  const filter = main.querySelector('#filter');
  ['input', 'change', 'search'].forEach((type) => filter.addEventListener(type, () => { state.filter = filter.value; updateSwarms(true); }));
  main.querySelector('#state-filter').addEventListener('change', (e) => { state.stateFilter = e.target.value; updateSwarms(true); });
  if (mayPublish()) {
    main.querySelector('[data-action=publish]').addEventListener('click', openPublish);
    main.querySelector('[data-action=add]').addEventListener('click', openAdd);
  }
  rows.clear();
  state.shown = null;
  updateSwarms(true);
}

const rows = new Map();

function swarmRow(s) {
  const tr = document.createElement('tr');
  tr.dataset.hash = s.infoHash;
  tr.innerHTML = COLUMNS.map((c) => `<td class="${c.num ? 'num ' : ''}${c.hide || ''} ${c.key === 'name' ? 'name' : ''}" data-col="${c.key}"></td>`).join('')
    + '<td class="text-end"><div class="actions"></div></td>';
  return tr;
}

function actionButtons(s, detail) {
  const admin = mayChange(s);
  const b = [];
  const size = detail ? '' : ' btn-sm';
  if (admin) {
    if (s.state === 'paused') {
      b.push(`<button type="button" class="btn btn-outline-success${size}" data-action="resume" data-mutates title="Resume" aria-label="Resume ${esc(s.name)}"><i class="bi bi-play-fill" aria-hidden="true"></i>${detail ? ' Resume' : ''}</button>`);
    } else {
      b.push(`<button type="button" class="btn btn-outline-secondary${size}" data-action="pause" data-mutates title="Pause" aria-label="Pause ${esc(s.name)}" ${s.state === 'error' || s.state === 'stopped' ? 'disabled' : ''}><i class="bi bi-pause-fill" aria-hidden="true"></i>${detail ? ' Pause' : ''}</button>`);
    }
  }
  // a private swarm's magnet link and .torrent carry its tracker key: the API gives them to an admin only
  if (s.magnet) {
    b.push(`<button type="button" class="btn btn-outline-secondary${size}" data-action="magnet" title="Copy magnet link" aria-label="Copy the magnet link of ${esc(s.name)}"><i class="bi bi-magnet" aria-hidden="true"></i>${detail ? ' Copy magnet' : ''}</button>`);
    b.push(`<button type="button" class="btn btn-outline-secondary${size}" data-action="torrent" title="Download .torrent" aria-label="Download the .torrent of ${esc(s.name)}"><i class="bi bi-download" aria-hidden="true"></i>${detail ? ' .torrent' : ''}</button>`);
  }
  if (admin) {
    b.push(`<button type="button" class="btn btn-outline-danger${size}" data-action="remove" data-mutates title="Remove" aria-label="Remove ${esc(s.name)}"><i class="bi bi-trash" aria-hidden="true"></i>${detail ? ' Remove' : ''}</button>`);
  }
  // taking a swarm out of the whole cluster takes an admin (issue 14); on the detail page only
  if (detail && state.me && state.me.admin) {
    b.push(`<button type="button" class="btn btn-danger" data-action="unpublish" data-mutates title="Unpublish everywhere" aria-label="Unpublish ${esc(s.name)} from every node"><i class="bi bi-x-octagon" aria-hidden="true"></i> Unpublish everywhere</button>`);
  }
  return b.join('');
}

function wireActions(container, hashOf) {
  container.addEventListener('click', (ev) => {
    const button = ev.target.closest('button[data-action]');
    if (!button || !container.contains(button)) return;
    const hash = hashOf(button);
    const s = state.swarms.find((x) => x.infoHash === hash) || (state.detail && state.detail.infoHash === hash ? state.detail : null);
    if (!s) return;
    const action = button.dataset.action;
    if (action === 'pause' || action === 'resume') steer(s, action, button);
    else if (action === 'remove') openRemove(s);
    else if (action === 'unpublish') openUnpublish(s);
    else if (action === 'magnet') copyText(s.magnet, 'Magnet link');
    else if (action === 'torrent') downloadTorrent(s);
  });
}

async function steer(s, action, button) {
  button.disabled = true;
  const v = await attempt(action === 'pause' ? 'Pausing' : 'Resuming', () => api(`api/swarms/${s.infoHash}/${action}`, { method: 'POST' }));
  button.disabled = false;
  if (v) {
    Object.assign(s, { state: v.state });
    toast(`${v.name}: ${action === 'pause' ? 'paused' : 'resumed'}`);
    if (state.page === 'swarms') updateSwarms(true);
    if (state.page === 'swarm') { state.detail = { ...state.detail, state: v.state }; updateDetail(); }
  }
}

/**
 * Filters and sorts the list, then shows it. Up to WINDOW_ALL swarms every row is in the page; beyond, only the rows
 * in view (and OVERSCAN either side) are, between two spacers as tall as the rows left out, redrawn as the page
 * scrolls: 10,000 swarms make some 40 rows, not 10,000 (issue 14).
 */
function updateSwarms(force) {
  const body = document.getElementById('swarm-rows');
  if (!body) return;
  if (!body.dataset.wired) {
    body.dataset.wired = '1';
    wireActions(body, (button) => button.closest('tr').dataset.hash);
  }
  renderPublications();
  const f = state.filter.trim().toLowerCase();
  const shown = state.swarms.filter((s) => (state.stateFilter === 'all' || s.state === state.stateFilter)
    && (!f || s.name.toLowerCase().includes(f) || s.infoHash.includes(f)));
  const col = COLUMNS.find((c) => c.key === state.sort.key) || COLUMNS[0];
  shown.sort((a, b) => {
    const x = col.value(a);
    const y = col.value(b);
    return (x < y ? -1 : x > y ? 1 : a.name < b.name ? -1 : a.name > b.name ? 1 : 0) * state.sort.dir;
  });
  document.querySelectorAll('th[data-key]').forEach((th) => {
    if (th.dataset.key === state.sort.key) th.setAttribute('aria-sort', state.sort.dir > 0 ? 'ascending' : 'descending');
    else th.removeAttribute('aria-sort');
  });
  state.shown = shown;
  renderSwarmWindow();
  const none = document.getElementById('no-swarms');
  none.hidden = shown.length > 0;
  none.textContent = state.swarms.length === 0
    ? (state.me.admin ? 'No swarms on this node yet: publish a file, or add a .torrent or a magnet link.' : 'No swarms on this node yet.')
    : 'No swarm matches the filter.';
  document.getElementById('swarm-count').textContent = `${shown.length} of ${state.swarms.length} swarms`;
}

const WINDOW_ALL = 200;
const OVERSCAN = 15;

function spacer(body, which) {
  let tr = body.querySelector(`tr.spacer-${which}`);
  if (!tr) {
    tr = document.createElement('tr');
    tr.className = `spacer spacer-${which}`;
    tr.setAttribute('aria-hidden', 'true');
    tr.innerHTML = `<td colspan="${COLUMNS.length + 1}"></td>`;
  }
  return tr;
}

/**
 * Puts the rows of state.shown that are in view into the table (all of them for a short list). Rows are taken to be
 * as tall as the first one in the table; when that height was not known yet (the first rows of a windowed table),
 * the window is laid out again at once with the height measured, so that the page is as tall as all rows would be.
 */
function renderSwarmWindow(again = true) {
  const body = document.getElementById('swarm-rows');
  if (!body || !state.shown) return;
  const shown = state.shown;
  const table = body.closest('table');
  const windowed = shown.length > WINDOW_ALL;
  table.classList.toggle('windowed', windowed);
  table.setAttribute('aria-rowcount', String(shown.length + 1));
  let start = 0;
  let end = shown.length;
  const first = body.querySelector('tr[data-hash]');
  const rowHeight = (first && first.offsetHeight) || 60;
  if (windowed) {
    const top = body.getBoundingClientRect().top; // where row 0 is, relative to the viewport
    start = Math.max(0, Math.min(shown.length, Math.floor(-top / rowHeight)) - OVERSCAN);
    end = Math.min(shown.length, start + Math.ceil(window.innerHeight / rowHeight) + 2 * OVERSCAN);
  }
  const keep = new Set();
  for (let i = start; i < end; i++) keep.add(shown[i].infoHash);
  for (const [hash, tr] of rows) {
    if (!keep.has(hash)) { tr.remove(); rows.delete(hash); }
  }
  // the spacers are in the table only while it is windowed: a short list's first row is its first swarm
  const before = windowed ? spacer(body, 'before') : null;
  const after = windowed ? spacer(body, 'after') : null;
  if (windowed) {
    before.firstChild.style.height = `${start * rowHeight}px`;
    after.firstChild.style.height = `${(shown.length - end) * rowHeight}px`;
    if (body.firstChild !== before) body.insertBefore(before, body.firstChild);
  } else {
    body.querySelectorAll('tr.spacer').forEach((tr) => tr.remove());
  }
  let previous = before;
  for (let i = start; i < end; i++) {
    const s = shown[i];
    let tr = rows.get(s.infoHash);
    if (!tr) { tr = swarmRow(s); rows.set(s.infoHash, tr); }
    tr.setAttribute('aria-rowindex', String(i + 2));
    fillRow(tr, s);
    const expected = previous ? previous.nextSibling : body.firstChild;
    if (expected !== tr) body.insertBefore(tr, expected);
    previous = tr;
  }
  if (after && (previous ? previous.nextSibling : body.firstChild) !== after) {
    body.insertBefore(after, previous ? previous.nextSibling : body.firstChild);
  }
  const measured = windowed && previous && previous !== before ? previous.offsetHeight : rowHeight;
  if (again && measured !== rowHeight) renderSwarmWindow(false);
}

let windowFrame = 0;
['scroll', 'resize'].forEach((type) => window.addEventListener(type, () => {
  if (state.page !== 'swarms' || windowFrame || !state.shown || state.shown.length <= WINDOW_ALL) return;
  windowFrame = requestAnimationFrame(() => { windowFrame = 0; renderSwarmWindow(); });
}, { passive: true }));

/** Replaces an element's content only when it changed (live updates come every second); true if it did. */
function setHtml(element, html) {
  if (element.dataset.html === html) return false;
  element.innerHTML = html;
  element.dataset.html = html;
  return true;
}

function setCell(tr, key, html) {
  setHtml(tr.querySelector(`[data-col="${key}"]`), html);
}

function fillRow(tr, s) {
  setCell(tr, 'name', `<a href="#/swarm/${s.infoHash}">${esc(s.name)}</a>${s['private'] ? ' <span class="badge text-bg-dark" title="Private swarm (BEP 27)">private</span>' : ''}`
    + (s.error ? `<div class="small text-danger">${esc(s.error)}</div>` : ''));
  setCell(tr, 'size', bytes(s.size));
  setCell(tr, 'progress', progressBar(s.progress, `Progress of ${s.name}`));
  setCell(tr, 'state', stateBadge(s.state));
  setCell(tr, 'downloadRate', rate(s.downloadRate));
  setCell(tr, 'uploadRate', rate(s.uploadRate));
  setCell(tr, 'peerCount', String(s.peerCount));
  setCell(tr, 'eta', eta(s));
  setCell(tr, 'policy', esc(policyText(s.policy)));
  const actions = tr.querySelector('.actions');
  const focused = actions.contains(document.activeElement) ? document.activeElement.dataset.action : null;
  if (setHtml(actions, actionButtons(s, false))) {
    if (focused) {
      const again = actions.querySelector(`[data-action="${focused}"]`) || actions.querySelector('button');
      if (again) again.focus();
    }
  }
}

function renderPublications() {
  const box = document.getElementById('publications');
  if (!box) return;
  const html = state.publications.map((p) => `<div class="card mb-2"><div class="card-body py-2">
      <div class="d-flex justify-content-between small"><span><i class="bi bi-hash" aria-hidden="true"></i> Hashing <strong>${esc(p.name)}</strong> for publication</span>
      <span>${p.pieceCount ? `${p.piecesHashed} of ${p.pieceCount} pieces` : 'reading…'}${p.bytesPerSecond ? ` · ${rate(p.bytesPerSecond)}` : ''}${p.etaSeconds > 0 ? ` · ${p.etaSeconds} s left` : ''}</span></div>
      ${progressBar(p.pieceCount ? p.piecesHashed / p.pieceCount : 0, `Hashing ${p.name}`)}</div></div>`).join('');
  setHtml(box, html);
}

// ---------------------------------------------------------------- publish, add, remove

function policyFields(defaultPolicy) {
  const offices = (state.cluster && state.cluster.offices) || [];
  return `<fieldset class="mb-3">
      <legend class="form-label fs-6 mb-1">Which nodes fetch it</legend>
      <div class="form-check"><input class="form-check-input" type="radio" name="policy" id="policy-all" value="all" ${defaultPolicy === 'all' ? 'checked' : ''}>
        <label class="form-check-label" for="policy-all">All nodes</label></div>
      <div class="form-check"><input class="form-check-input" type="radio" name="policy" id="policy-offices" value="offices">
        <label class="form-check-label" for="policy-offices">The nodes of some offices</label></div>
      <div class="ms-4 mb-1" data-role="offices" hidden>
        <label class="visually-hidden" for="offices">Offices, separated by commas</label>
        <input class="form-control form-control-sm" id="offices" placeholder="Offices, separated by commas" list="known-offices">
        <datalist id="known-offices">${offices.map((o) => `<option value="${esc(o)}">`).join('')}</datalist>
      </div>
      <div class="form-check"><input class="form-check-input" type="radio" name="policy" id="policy-on-demand" value="on-demand" ${defaultPolicy === 'on-demand' ? 'checked' : ''}>
        <label class="form-check-label" for="policy-on-demand">On demand (only nodes asked for it)</label></div>
    </fieldset>`;
}

function wirePolicy(d) {
  const officesBox = d.querySelector('[data-role=offices]');
  d.querySelectorAll('input[name=policy]').forEach((r) => r.addEventListener('change', () => {
    officesBox.hidden = d.querySelector('input[name=policy]:checked').value !== 'offices';
  }));
}

/** Radio buttons called `name` show the part whose data-role is the chosen value and hide the others. */
function wireChoice(d, name, values) {
  d.querySelectorAll(`input[name=${name}]`).forEach((r) => r.addEventListener('change', () => {
    const chosen = d.querySelector(`input[name=${name}]:checked`).value;
    values.forEach((v) => { d.querySelector(`[data-role=${v}]`).hidden = v !== chosen; });
  }));
}

function chosenPolicy(d) {
  const v = d.querySelector('input[name=policy]:checked').value;
  if (v !== 'offices') return v;
  const list = d.querySelector('#offices').value.split(',').map((x) => x.trim()).filter(Boolean);
  if (!list.length) throw new Error('Name at least one office.');
  return 'offices:' + list.join(',');
}

function openPublish() {
  const d = openDialog('Publish an artifact', `
    <fieldset class="mb-3">
      <legend class="form-label fs-6 mb-1">What</legend>
      <div class="form-check form-check-inline"><input class="form-check-input" type="radio" name="source" id="source-upload" value="upload" checked>
        <label class="form-check-label" for="source-upload">Upload a file</label></div>
      <div class="form-check form-check-inline"><input class="form-check-input" type="radio" name="source" id="source-path" value="path">
        <label class="form-check-label" for="source-path">A path on this node</label></div>
      <div class="mt-2" data-role="upload"><label class="visually-hidden" for="publish-file">File</label>
        <input class="form-control" type="file" id="publish-file"></div>
      <div class="mt-2" data-role="path" hidden><label class="visually-hidden" for="publish-path">Absolute path</label>
        <input class="form-control" id="publish-path" placeholder="/srv/builds/release-1.2 (under the node's publish roots)"></div>
    </fieldset>
    ${policyFields('all')}
    <div class="row g-2 mb-2">
      <div class="col-sm-6">
        <label class="form-label" for="piece-size">Piece size</label>
        <select class="form-select" id="piece-size">${PIECE_SIZES.map((p) => `<option value="${p}">${p ? bytes(p) : 'Automatic'}</option>`).join('')}</select>
      </div>
      <div class="col-sm-6 d-flex align-items-end">
        <div class="form-check mb-2"><input class="form-check-input" type="checkbox" id="private">
          <label class="form-check-label" for="private">Private swarm</label></div>
      </div>
    </div>
    <p class="small text-secondary mb-2">A private swarm (BEP 27) is shared only with this cluster's nodes and with clients that
      have its <code>.torrent</code> or magnet link, whose tracker URLs carry its key.</p>
    <div data-role="progress" hidden>
      <div class="small mb-1" data-role="progress-text" aria-live="polite"></div>
      <div class="progress" role="progressbar" aria-label="Publication progress" aria-valuemin="0" aria-valuemax="100" aria-valuenow="0"><div class="progress-bar progress-bar-striped progress-bar-animated" style="width:0%"></div></div>
    </div>`,
  `<button type="button" class="btn btn-outline-secondary" data-role="cancel">Cancel</button>
   <button type="submit" class="btn btn-primary" data-role="submit" data-mutates>Publish</button>`);
  d.dataset.kind = 'publish';
  wirePolicy(d);
  wireChoice(d, 'source', ['upload', 'path']);
  let xhr = null;
  d.querySelector('[data-role=cancel]').addEventListener('click', () => { if (xhr) xhr.abort(); closeDialog(); });
  d.querySelector('form').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    dialogError(null);
    let policy;
    try { policy = chosenPolicy(d); } catch (e) { dialogError(e.message); return; }
    const isPrivate = d.querySelector('#private').checked;
    const pieceLength = Number(d.querySelector('#piece-size').value);
    const upload = d.querySelector('input[name=source]:checked').value === 'upload';
    const submit = d.querySelector('[data-role=submit]');
    if (upload) {
      const file = d.querySelector('#publish-file').files[0];
      if (!file) { dialogError('Choose a file to upload.'); return; }
      const form = new FormData();
      form.append('file', file, file.name);
      form.append('policy', policy);
      form.append('private', String(isPrivate));
      form.append('pieceLength', String(pieceLength));
      submit.disabled = true;
      d.dataset.publishing = file.name;
      showPublishProgress(`Uploading ${file.name}…`, 0);
      xhr = new XMLHttpRequest();
      xhr.open('POST', 'api/swarms');
      Object.entries(headers()).forEach(([k, v]) => xhr.setRequestHeader(k, v));
      xhr.upload.onprogress = (e) => {
        if (e.lengthComputable) showPublishProgress(`Uploading ${file.name}: ${bytes(e.loaded)} of ${bytes(e.total)}`, e.loaded / e.total);
      };
      xhr.upload.onload = () => showPublishProgress(`Hashing ${file.name}…`, 0);
      xhr.onload = () => {
        submit.disabled = false;
        delete d.dataset.publishing;
        if (xhr.status === 201) {
          published(JSON.parse(xhr.responseText));
        } else if (xhr.status === 202) {
          followPublication(JSON.parse(xhr.responseText));
        } else if (xhr.status === 401) {
          signOut('Your credentials are no longer accepted; sign in again.');
        } else {
          let detail = xhr.statusText;
          try { detail = JSON.parse(xhr.responseText).detail || detail; } catch (e) { /* not a problem document */ }
          hidePublishProgress();
          dialogError(xhr.status === 403 ? 'Refused: your user may only look.' : detail);
        }
      };
      xhr.onerror = () => {
        submit.disabled = false;
        hidePublishProgress();
        dialogError('This node cannot be reached: its API does not answer.');
      };
      xhr.send(form);
    } else {
      const path = d.querySelector('#publish-path').value.trim();
      if (!path) { dialogError('Give the absolute path of a file or directory on this node.'); return; }
      submit.disabled = true;
      d.dataset.publishing = path.replace(/\/+$/, '').split('/').pop();
      showPublishProgress(`Hashing ${path}…`, 0);
      try {
        const v = await api('api/swarms', { method: 'POST', type: 'application/json',
          body: JSON.stringify({ path, policy, private: isPrivate, pieceLength }) });
        if (v && v.piecesHashed !== undefined) await followPublication(v); else published(v);
      } catch (e) {
        hidePublishProgress();
        if (e.status !== 401) dialogError(e.status === 403 ? e.message : e.message);
      } finally {
        submit.disabled = false;
        delete d.dataset.publishing;
      }
    }
  });
}

function showPublishProgress(text, fraction) {
  const d = dialog();
  const box = d.querySelector('[data-role=progress]');
  if (!box) return;
  box.hidden = false;
  d.querySelector('[data-role=progress-text]').textContent = text;
  const bar = box.querySelector('.progress');
  bar.setAttribute('aria-valuenow', (fraction * 100).toFixed(0));
  bar.querySelector('.progress-bar').style.width = (fraction * 100).toFixed(1) + '%';
}

function hidePublishProgress() {
  const box = dialog().querySelector('[data-role=progress]');
  if (box) box.hidden = true;
}

/** While a publication of the dialog is hashing, its progress comes with the node events. */
function updatePublishDialog() {
  const d = dialog();
  if (d.dataset.kind !== 'publish' || !d.dataset.publishing) return;
  const p = state.publications.find((x) => x.name === d.dataset.publishing);
  if (p && p.pieceCount) showPublishProgress(`Hashing ${p.name}: ${p.piecesHashed} of ${p.pieceCount} pieces`, p.piecesHashed / p.pieceCount);
}

/**
 * A large artifact hashes in the background (202): its progress in the dialog until its swarm exists. Closing the
 * dialog does not stop it; the swarms page shows it too.
 */
async function followPublication(p) {
  const d = dialog();
  d.dataset.publishing = p.name;
  for (;;) {
    if (p.state === 'done') { published(await api(p.swarm.replace(/^\//, ''))); return; }
    if (p.state === 'failed') { hidePublishProgress(); dialogError(`Publishing ${p.name} failed: ${p.error}`); return; }
    if (dialog() !== d || d.dataset.kind !== 'publish') return; // closed: the swarms page shows the rest
    const eta = p.etaSeconds >= 0 && p.bytesPerSecond ? `, ${rate(p.bytesPerSecond)}, ${p.etaSeconds} s left` : '';
    showPublishProgress(`Hashing ${p.name} in the background: ${p.piecesHashed} of ${p.pieceCount || '…'} pieces${eta}`,
      p.pieceCount ? p.piecesHashed / p.pieceCount : 0);
    await new Promise((r) => setTimeout(r, 1000));
    try {
      p = await api('api/publications/' + encodeURIComponent(p.id));
    } catch (e) {
      if (e.status !== 401) dialogError(e.message);
      return;
    }
  }
}

function published(v) {
  closeDialog();
  toast(`Published ${v.name}${v['private'] ? ' (private)' : ''}`);
  if (!state.swarms.some((s) => s.infoHash === v.infoHash)) state.swarms.push(v);
  if (state.page === 'swarms') updateSwarms(true);
}

function openAdd() {
  const d = openDialog('Add a torrent or a magnet link', `
    <fieldset class="mb-3">
      <legend class="form-label fs-6 mb-1">From</legend>
      <div class="form-check form-check-inline"><input class="form-check-input" type="radio" name="kind" id="kind-magnet" value="magnet" checked>
        <label class="form-check-label" for="kind-magnet">Magnet link</label></div>
      <div class="form-check form-check-inline"><input class="form-check-input" type="radio" name="kind" id="kind-torrent" value="torrent">
        <label class="form-check-label" for="kind-torrent">.torrent file</label></div>
      <div class="mt-2" data-role="magnet"><label class="visually-hidden" for="magnet">Magnet link</label>
        <input class="form-control mono" id="magnet" placeholder="magnet:?xt=urn:btih:…" autocomplete="off"></div>
      <div class="mt-2" data-role="torrent" hidden><label class="visually-hidden" for="torrent-file">.torrent file</label>
        <input class="form-control" type="file" id="torrent-file" accept=".torrent,application/x-bittorrent"></div>
    </fieldset>
    ${policyFields('on-demand')}
    <p class="small text-secondary mb-0">A magnet link of a swarm published in this cluster resolves at once; others are
      asked of the peers and trackers the link names (up to a minute).</p>`,
  `<button type="button" class="btn btn-outline-secondary" data-role="cancel">Cancel</button>
   <button type="submit" class="btn btn-primary" data-role="submit" data-mutates>Add</button>`);
  d.dataset.kind = 'add';
  wirePolicy(d);
  wireChoice(d, 'kind', ['magnet', 'torrent']);
  d.querySelector('[data-role=cancel]').addEventListener('click', closeDialog);
  d.querySelector('form').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    dialogError(null);
    let policy;
    try { policy = chosenPolicy(d); } catch (e) { dialogError(e.message); return; }
    const magnet = d.querySelector('input[name=kind]:checked').value === 'magnet';
    const submit = d.querySelector('[data-role=submit]');
    let request;
    if (magnet) {
      const link = d.querySelector('#magnet').value.trim();
      if (!link.startsWith('magnet:')) { dialogError('Paste a magnet link (it starts with magnet:?).'); return; }
      request = { method: 'POST', type: 'application/json', body: JSON.stringify({ magnet: link, policy }) };
    } else {
      const file = d.querySelector('#torrent-file').files[0];
      if (!file) { dialogError('Choose a .torrent file.'); return; }
      request = { method: 'POST', type: 'application/x-bittorrent', body: await file.arrayBuffer() };
    }
    submit.disabled = true;
    submit.textContent = 'Adding…';
    try {
      const v = await api(magnet ? 'api/swarms' : 'api/swarms?policy=' + encodeURIComponent(policy), request);
      closeDialog();
      toast(`Added ${v.name}`);
      if (!state.swarms.some((s) => s.infoHash === v.infoHash)) state.swarms.push(v);
      if (state.page === 'swarms') updateSwarms(true);
    } catch (e) {
      if (e.status !== 401) dialogError(e.message);
      submit.disabled = false;
      submit.textContent = 'Add';
    }
  });
}

function openRemove(s) {
  const d = openDialog(`Remove ${s.name}?`, `
    <p>This node stops sharing <strong>${esc(s.name)}</strong>. Other nodes keep their copies.</p>
    <div class="form-check"><input class="form-check-input" type="checkbox" id="delete-data">
      <label class="form-check-label" for="delete-data">Also delete its data from this node's disk (${esc(bytes(s.size))})</label></div>`,
  `<button type="button" class="btn btn-outline-secondary" data-role="cancel" autofocus>Cancel</button>
   <button type="submit" class="btn btn-danger" data-role="submit" data-mutates>Remove</button>`);
  d.dataset.kind = 'remove';
  d.querySelector('[data-role=cancel]').addEventListener('click', closeDialog);
  d.querySelector('form').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const deleteData = d.querySelector('#delete-data').checked;
    const submit = d.querySelector('[data-role=submit]');
    submit.disabled = true;
    try {
      await api(`api/swarms/${s.infoHash}?deleteData=${deleteData}`, { method: 'DELETE' });
      closeDialog();
      toast(`Removed ${s.name}${deleteData ? ' and its data' : ''}`);
      state.swarms = state.swarms.filter((x) => x.infoHash !== s.infoHash);
      if (state.page === 'swarm') location.hash = '#/swarms';
      else updateSwarms(true);
    } catch (e) {
      submit.disabled = false;
      if (e.status !== 401) dialogError(e.message);
    }
  });
}

// Unpublish everywhere: every node removes the swarm and the data it fetched; confirmed by typing its name.
function openUnpublish(s) {
  const d = openDialog(`Unpublish ${s.name} everywhere?`, `
    <p>Every node of the cluster removes <strong>${esc(s.name)}</strong> and deletes the copy it fetched
      (${esc(bytes(s.size))} each); nodes that are away do so when they come back. Files it was published from on a
      server path stay. No node fetches it again unless someone publishes or adds it anew.</p>
    <label class="form-label" for="unpublish-confirm">Type the swarm's name to confirm</label>
    <input class="form-control" id="unpublish-confirm" autocomplete="off" spellcheck="false">`,
  `<button type="button" class="btn btn-outline-secondary" data-role="cancel" autofocus>Cancel</button>
   <button type="submit" class="btn btn-danger" data-role="submit" data-mutates disabled>Unpublish everywhere</button>`);
  d.dataset.kind = 'unpublish';
  const submit = d.querySelector('[data-role=submit]');
  const input = d.querySelector('#unpublish-confirm');
  input.addEventListener('input', () => { submit.disabled = input.value !== s.name; });
  d.querySelector('[data-role=cancel]').addEventListener('click', closeDialog);
  d.querySelector('form').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    if (input.value !== s.name) return;
    submit.disabled = true;
    try {
      await api(`api/cluster/swarms/${s.infoHash}`, { method: 'DELETE' });
      closeDialog();
      toast(`${s.name} is taken out of the cluster`);
      state.swarms = state.swarms.filter((x) => x.infoHash !== s.infoHash);
      location.hash = '#/swarms';
    } catch (e) {
      submit.disabled = false;
      if (e.status !== 401) dialogError(e.message);
    }
  });
}

// ---------------------------------------------------------------- swarm detail

const charts = {
  list: [],
  add(c) { this.list.push(c); return c; },
  destroy() { this.list.forEach((c) => c.destroy()); this.list = []; },
};

function rateChart(container, history) {
  if (typeof uPlot === 'undefined') {
    container.textContent = 'The chart library did not load.';
    return null;
  }
  const data = [history.map((h) => h[0]), history.map((h) => h[1]), history.map((h) => h[2])];
  const width = Math.max(240, container.clientWidth);
  const chart = new uPlot({
    width, height: 220,
    series: [{}, { label: 'Download', stroke: '#0d6efd', fill: 'rgba(13,110,253,.08)', width: 2, value: (u, v) => (v == null ? '—' : rate(v)) },
      { label: 'Upload', stroke: '#198754', width: 2, value: (u, v) => (v == null ? '—' : rate(v)) }],
    axes: [{}, { size: 80, values: (u, vals) => vals.map((v) => rate(v)) }],
    scales: { y: { range: (u, min, max) => [0, Math.max(1024, max * 1.1)] } },
  }, data, container);
  const resize = () => chart.setSize({ width: Math.max(240, container.clientWidth), height: 220 });
  window.addEventListener('resize', resize);
  const handle = {
    push(t, down, up) {
      const last = data[0][data[0].length - 1];
      if (last === t) { data[1][data[1].length - 1] = down; data[2][data[2].length - 1] = up; } else {
        data[0].push(t); data[1].push(down); data[2].push(up);
      }
      while (data[0].length > 600) data.forEach((a) => a.shift());
      chart.setData(data);
    },
    destroy() { window.removeEventListener('resize', resize); chart.destroy(); },
  };
  return charts.add(handle);
}

let detailChart = null;

async function renderDetail(hash) {
  state.page = 'swarm';
  state.detail = state.swarms.find((s) => s.infoHash === hash) || null;
  follow('swarm=' + hash);
  const main = document.getElementById('main');
  main.innerHTML = `
    <nav aria-label="breadcrumb"><ol class="breadcrumb mb-2"><li class="breadcrumb-item"><a href="#/swarms">Swarms</a></li>
      <li class="breadcrumb-item active" aria-current="page" id="crumb">${esc(state.detail ? state.detail.name : hash)}</li></ol></nav>
    <div class="d-flex flex-wrap align-items-center gap-2 mb-3">
      <h1 class="h4 mb-0 me-2 text-break" id="detail-name">${esc(state.detail ? state.detail.name : 'Loading…')}</h1>
      <span id="detail-state"></span>
      <div class="actions ms-auto" id="detail-actions"></div>
    </div>
    <div id="detail-body">
      <div class="row g-3 mb-3" id="stats"></div>
      <div class="row g-3">
        <div class="col-xl-7">
          <section class="card mb-3" aria-labelledby="pieces-title"><div class="card-body">
            <h2 class="h6" id="pieces-title">Pieces</h2>
            <canvas class="piece-map" id="piece-map" height="120" role="img" aria-label="Piece map"></canvas>
            <div class="legend mt-2" aria-hidden="true">
              <span><i style="background:#198754"></i>have</span><span><i style="background:#fd7e14"></i>downloading</span>
              <span><i style="background:#9ec5fe"></i>missing, peers have it (darker: more peers)</span><span><i style="background:#f1aeb5"></i>missing, no connected peer has it</span>
            </div>
            <p class="small text-secondary mb-0 mt-1" id="piece-summary"></p>
          </div></section>
          <section class="card mb-3" aria-labelledby="rates-title"><div class="card-body">
            <h2 class="h6" id="rates-title">Rates, last ten minutes</h2>
            <div class="chart" id="rate-chart"></div>
          </div></section>
        </div>
        <div class="col-xl-5">
          <section class="card mb-3" aria-labelledby="about-title"><div class="card-body">
            <h2 class="h6" id="about-title">Details</h2>
            <dl class="kv small" id="about"></dl>
          </div></section>
        </div>
      </div>
      <section class="card mb-3" aria-labelledby="files-title"><div class="card-body pb-0">
        <h2 class="h6" id="files-title">Files</h2></div>
        <div class="table-responsive" tabindex="0" role="region" aria-label="Files table"><table class="table table-sm mb-0"><thead><tr><th scope="col">Path</th><th scope="col" class="num">Size</th><th scope="col">Progress</th></tr></thead>
        <tbody id="files"></tbody></table></div>
      </section>
      <section class="card mb-3" aria-labelledby="peers-title"><div class="card-body pb-0">
        <h2 class="h6" id="peers-title">Peers</h2>
        <p class="small text-secondary mb-2">Flags: D downloading from it, d it chokes us, U uploading to it, u we choke it, I it connected to us, S seed.</p></div>
        <div class="table-responsive" tabindex="0" role="region" aria-label="Peers table"><table class="table table-sm mb-0"><thead><tr><th scope="col">Address</th><th scope="col">Client</th>
          <th scope="col">Node · office</th><th scope="col">Progress</th><th scope="col" class="num">Down</th><th scope="col" class="num">Up</th><th scope="col">Flags</th></tr></thead>
        <tbody id="peers"></tbody></table></div>
        <p class="text-secondary text-center my-3" id="no-peers" hidden>No peer connected.</p>
      </section>
    </div>`;
  wireActions(document.getElementById('detail-actions'), () => hash);
  const canvas = document.getElementById('piece-map');
  canvas.addEventListener('mousemove', (ev) => pieceTooltip(canvas, ev));
  detailChart = null;
  const history = await attempt('Loading the rate history', () => api(`api/rates/${hash}`)) || [];
  if (state.page !== 'swarm' || !document.getElementById('rate-chart')) return;
  detailChart = rateChart(document.getElementById('rate-chart'), history);
  if (state.detail && state.detail.files) updateDetail();
}

function updateDetail() {
  const s = state.detail;
  if (!s || !document.getElementById('detail-body')) return;
  if (s.gone) {
    document.getElementById('detail-name').textContent = 'Not on this node';
    document.getElementById('detail-body').innerHTML = `<div class="alert alert-warning">This node holds no swarm ${esc(s.infoHash)} (any more).
      <a href="#/swarms">Back to the swarms</a>.</div>`;
    document.getElementById('detail-actions').innerHTML = '';
    return;
  }
  setTitle(s.name);
  document.getElementById('crumb').textContent = s.name;
  document.getElementById('detail-name').textContent = s.name;
  document.getElementById('detail-state').innerHTML = stateBadge(s.state) + (s['private'] ? ' <span class="badge text-bg-dark">private</span>' : '');
  setHtml(document.getElementById('detail-actions'), actionButtons(s, true));
  const stat = (label, value, extra = '') => `<div class="col-6 col-md-4 col-xl"><div class="card h-100"><div class="card-body py-2">
      <div class="small text-secondary">${label}</div><div class="fs-6 fw-semibold">${value}</div>${extra}</div></div></div>`;
  const stats = [
    stat('Progress', percent(s.progress), progressBar(s.progress, 'Progress', false)),
    stat('Size', bytes(s.size), `<div class="small text-secondary">${s.pieces} pieces of ${bytes(s.pieceLength)}</div>`),
    stat('Download', rate(s.downloadRate), `<div class="small text-secondary">${bytes(s.downloaded)} in all</div>`),
    stat('Upload', rate(s.uploadRate), `<div class="small text-secondary">${bytes(s.uploaded)} in all</div>`),
    stat('Peers', String(s.peerCount)),
    stat('ETA', eta(s)),
    stat('Over the WAN', bytes(s.wanDownloaded || 0), `<div class="small text-secondary" title="Bytes this run took from peers outside this node's office, divided by the size: about 1 when each piece crossed the office's link once">${(s.wanDownloadedPerSize || 0).toFixed(2)} × size in, ${bytes(s.wanUploaded || 0)} out</div>`),
  ].join('');
  setHtml(document.getElementById('stats'), stats);
  const about = `
    <dt>Info-hash</dt><dd class="mono">${esc(s.infoHash)}</dd>
    <dt>Policy</dt><dd>${esc(policyText(s.policy))}</dd>
    <dt>Private</dt><dd>${s['private'] ? 'yes: only this cluster and holders of the key' : 'no'}</dd>
    <dt>Saved in</dt><dd class="mono">${esc(s.savePath)}</dd>
    <dt>Added</dt><dd>${esc(new Date(s.addedAt).toLocaleString())}</dd>
    <dt>Completed</dt><dd>${s.completedAt ? esc(new Date(s.completedAt).toLocaleString()) : '—'}</dd>
    ${s.error ? `<dt>Error</dt><dd class="text-danger">${esc(s.error)}</dd>` : ''}`;
  setHtml(document.getElementById('about'), about);
  if (s.files) {
    const files = s.files.map((f) => `<tr><td class="text-break">${esc(f.path)}</td><td class="num text-nowrap">${bytes(f.size)}</td>
      <td style="min-width:8rem">${progressBar(f.progress, 'Progress of ' + f.path)}</td></tr>`).join('');
    setHtml(document.getElementById('files'), files);
  }
  const peers = (s.peers || []).map((p) => `<tr><td class="mono">${p.encryption ? `<i class="bi bi-lock-fill text-success" role="img" title="Encrypted: ${esc(p.encryption)} with a member's pinned certificate" aria-label="encrypted (${esc(p.encryption)})"></i> ` : ''}${esc(p.address)}</td><td>${esc(p.client || '')}</td>
      <td>${p.node ? esc(p.node) + ' · ' + esc(p.office) : '<span class="text-secondary">outside the cluster</span>'}</td>
      <td style="min-width:7rem">${progressBar(p.progress, 'Progress of ' + p.address)}</td>
      <td class="num">${rate(p.downloadRate)}</td><td class="num">${rate(p.uploadRate)}</td><td class="mono">${esc(p.flags)}</td></tr>`).join('');
  setHtml(document.getElementById('peers'), peers);
  document.getElementById('no-peers').hidden = (s.peers || []).length > 0;
  drawPieces(s);
  if (detailChart) detailChart.push(Math.floor(Date.now() / 1000), s.downloadRate, s.uploadRate);
}

const PIECE_COLORS = { have: '#198754', downloading: '#fd7e14', none: '#f1aeb5', avail: ['#cfe2ff', '#9ec5fe', '#6ea8fe', '#3d8bfd', '#0a58ca'] };
let pieceLayout = null;

function drawPieces(s) {
  const canvas = document.getElementById('piece-map');
  if (!canvas || !s.pieces) return;
  const have = decodeBits(s.bitfield, s.pieces);
  const downloading = decodeBits(s.downloading, s.pieces);
  const avail = decodeBytes(s.availability);
  const ratio = window.devicePixelRatio || 1;
  const width = Math.max(100, canvas.clientWidth);
  // the largest cell from 14 px down to 2 px that fits every piece in at most 160 px; below that, a cell per several pieces
  let cell = 14;
  while (cell > 2 && Math.ceil(s.pieces / Math.floor(width / cell)) * cell > 160) cell--;
  const cols = Math.floor(width / cell);
  const perCell = Math.max(1, Math.ceil(s.pieces / (cols * Math.floor(160 / cell))));
  const cells = Math.ceil(s.pieces / perCell);
  const rowsNeeded = Math.ceil(cells / cols);
  const height = rowsNeeded * cell;
  canvas.style.height = height + 'px';
  canvas.width = Math.round(width * ratio);
  canvas.height = Math.round(height * ratio);
  const g = canvas.getContext('2d');
  g.setTransform(ratio, 0, 0, ratio, 0, 0);
  g.clearRect(0, 0, width, height);
  const gap = cell >= 6 ? 1 : 0;
  for (let c = 0; c < cells; c++) {
    const from = c * perCell;
    const to = Math.min(s.pieces, from + perCell);
    let haveAll = true;
    let anyDownloading = false;
    let availSum = 0;
    for (let p = from; p < to; p++) {
      if (!have[p]) haveAll = false;
      if (downloading[p]) anyDownloading = true;
      availSum += avail[p] || 0;
    }
    const a = availSum / (to - from);
    g.fillStyle = haveAll ? PIECE_COLORS.have : anyDownloading ? PIECE_COLORS.downloading
      : a <= 0 ? PIECE_COLORS.none : PIECE_COLORS.avail[Math.min(4, Math.ceil(a) - 1)];
    g.fillRect((c % cols) * cell, Math.floor(c / cols) * cell, cell - gap, cell - gap);
  }
  pieceLayout = { cell, cols, perCell, have, downloading, avail, pieces: s.pieces };
  const haveCount = have.reduce((x, y) => x + y, 0);
  const dl = downloading.reduce((x, y) => x + y, 0);
  const summary = `${haveCount} of ${s.pieces} pieces verified, ${dl} downloading${perCell > 1 ? `; each cell is ${perCell} pieces` : ''}.`;
  document.getElementById('piece-summary').textContent = summary;
  canvas.setAttribute('aria-label', 'Piece map: ' + summary);
}

function pieceTooltip(canvas, ev) {
  const l = pieceLayout;
  if (!l) return;
  const r = canvas.getBoundingClientRect();
  const c = Math.floor((ev.clientY - r.top) / l.cell) * l.cols + Math.floor((ev.clientX - r.left) / l.cell);
  const from = c * l.perCell;
  if (from >= l.pieces || (ev.clientX - r.left) >= l.cols * l.cell) { canvas.title = ''; return; }
  if (l.perCell === 1) {
    canvas.title = `Piece ${from}: ${l.have[from] ? 'have' : l.downloading[from] ? 'downloading' : 'missing'}; ${l.avail[from]} connected peers have it`;
  } else {
    const to = Math.min(l.pieces, from + l.perCell) - 1;
    let h = 0;
    for (let p = from; p <= to; p++) h += l.have[p];
    canvas.title = `Pieces ${from}–${to}: ${h} of ${to - from + 1} verified`;
  }
}

// ---------------------------------------------------------------- cluster

function renderCluster() {
  state.page = 'cluster';
  setTitle('Cluster');
  follow('cluster=true');
  document.getElementById('main').innerHTML = `
    <h1 class="h4 mb-3">Cluster</h1>
    <div class="row g-3 mb-3" id="offices"></div>
    <section class="card mb-3" aria-labelledby="members-title"><div class="card-body pb-0"><h2 class="h6" id="members-title">Members</h2></div>
      <div class="table-responsive" tabindex="0" role="region" aria-label="Members table"><table class="table mb-0"><thead><tr><th scope="col">Node</th><th scope="col">Office</th><th scope="col">Peer address</th>
        <th scope="col">Health</th><th scope="col">Up since</th><th scope="col">Swarms held</th></tr></thead><tbody id="members"></tbody></table></div></section>
    <section class="card mb-3" aria-labelledby="published-title"><div class="card-body pb-0"><h2 class="h6" id="published-title">Published swarms</h2></div>
      <div class="table-responsive" tabindex="0" role="region" aria-label="Published swarms table"><table class="table mb-0"><thead><tr><th scope="col">Name</th><th scope="col" class="num">Size</th><th scope="col">Policy</th>
        <th scope="col">Published by</th><th scope="col" class="num">Holders</th><th scope="col" class="num">Complete copies</th></tr></thead><tbody id="published"></tbody></table></div></section>
    <section class="card mb-3" aria-labelledby="trust-title"><div class="card-body"><h2 class="h6" id="trust-title">Trust</h2>
      <div id="trust" class="small"></div></div></section>`;
  updateCluster();
}

function updateCluster() {
  const c = state.cluster;
  if (!c || !document.getElementById('members')) return;
  const names = Object.fromEntries(c.members.map((m) => [m.id, m.name]));
  const offices = c.offices.map((o) => {
    const members = c.members.filter((m) => m.office === o);
    const held = new Set(members.flatMap((m) => m.swarms.filter((h) => h.progress >= 1).map((h) => h.infoHash)));
    const degraded = members.filter((m) => m.health !== 'up').length;
    return `<div class="col-sm-6 col-lg-3"><div class="card h-100" data-office="${esc(o)}"><div class="card-body">
      <div class="d-flex justify-content-between"><h2 class="h6 mb-1"><i class="bi bi-building" aria-hidden="true"></i> ${esc(o)}</h2>
        ${o === c.office ? '<span class="badge text-bg-primary">this node\'s office</span>' : ''}</div>
      <div class="small">${members.length} ${members.length === 1 ? 'node' : 'nodes'}${degraded ? `, <span class="text-danger">${degraded} degraded</span>` : ''}</div>
      <div class="small text-secondary">${held.size} complete ${held.size === 1 ? 'swarm' : 'swarms'} in the office</div></div></div></div>`;
  }).join('');
  const members = c.members.map((m) => `<tr data-member="${esc(m.name)}">
      <th scope="row">${esc(m.name)} ${m.local ? '<span class="badge text-bg-primary">this node</span>' : ''}</th>
      <td>${esc(m.office)}</td><td class="mono">${esc(m.peerAddress)}</td>
      <td><span class="badge ${m.health === 'up' ? 'text-bg-success' : 'text-bg-warning'}">${esc(m.health)}</span></td>
      <td class="small">${m.joinedAt ? esc(new Date(m.joinedAt).toLocaleString()) : '—'}</td>
      <td>${m.swarms.length ? m.swarms.map((h) => `<div class="small d-flex gap-2 align-items-center"><span class="text-truncate" style="max-width:14rem">${esc(h.name || h.infoHash)}</span>
        <span class="text-secondary text-nowrap">${percent(h.progress)}</span></div>`).join('') : '<span class="text-secondary small">none</span>'}</td></tr>`).join('');
  const published = c.swarms.map((p) => `<tr><td class="text-break">${esc(p.name)}</td><td class="num text-nowrap">${bytes(p.size)}</td>
      <td>${esc(policyText(p.policy))}</td><td>${esc(names[p.publishedBy] || 'a node that left')}</td><td class="num">${p.holders}</td><td class="num">${p.completeCopies}</td></tr>`).join('')
    || '<tr><td colspan="6" class="text-secondary text-center">Nothing published yet.</td></tr>';
  const t = c.trust || { refused: [], strangers: [], acceptedKeys: [] };
  const trust = `<p class="mb-2">This node seals grid entries with key <span class="mono" id="sealing-key">${esc(t.sealingKey || '')}</span>
      and accepts ${(t.acceptedKeys || []).map((k) => `<span class="mono">${esc(k)}</span>`).join(', ')}
      (ids derived from the cluster secrets, not the secrets).</p>
    ${t.refused.length ? `<table class="table table-sm mb-2"><thead><tr><th scope="col">Grid map</th><th scope="col" class="num">Entries refused</th>
      <th scope="col">Last key</th><th scope="col">Why</th><th scope="col">When</th></tr></thead><tbody>${t.refused.map((r) => `<tr data-refused="${esc(r.map)}">
      <td class="mono">${esc(r.map)}</td><td class="num">${r.count}</td><td class="mono text-break">${esc(r.lastKey)}</td><td>${esc(r.reason)}</td>
      <td class="text-nowrap">${esc(ago(r.lastAt))}</td></tr>`).join('')}</tbody></table>`
      : '<p class="mb-2 text-secondary" id="nothing-refused">No grid entry refused since this node started.</p>'}
    ${t.strangers.length ? `<p class="mb-0 text-danger" id="strangers">Members of the grid without the cluster's secret: ${t.strangers.map(esc).join(', ')}</p>` : ''}
    ${(t.plainMembers || []).length ? `<p class="mb-0 text-warning-emphasis" id="plain-members">Peer traffic with ${t.plainMembers.map(esc).join(', ')} is not encrypted (<span class="mono">freshet.peer.tls=off</span> there).</p>` : ''}`;
  for (const [id, html] of [['offices', offices], ['members', members], ['published', published], ['trust', trust]]) {
    setHtml(document.getElementById(id), html);
  }
  showTrust(t);
}

// ---------------------------------------------------------------- offices page

const MBIT = 125000; // bytes per second in one Mbit/s: WAN links are sold in Mbit/s
const mbit = (v) => (v / MBIT).toFixed(v >= 100 * MBIT ? 0 : 1) + ' Mbit/s';

function renderOffices() {
  state.page = 'offices';
  setTitle('Offices');
  follow('');
  document.getElementById('main').innerHTML = `
    <h1 class="h4 mb-3">Offices</h1>
    <p class="small text-secondary">What crosses each office's WAN link, its budget and each node's share of it. A budget caps the
      office's nodes together; the cluster keeps it across restarts.</p>
    <div class="row g-3 mb-3" id="office-cards"><div class="text-secondary">Loading…</div></div>
    <section class="card mb-3" aria-labelledby="office-swarms-title"><div class="card-body pb-0"><h2 class="h6" id="office-swarms-title">Swarms across the offices</h2>
      <p class="small text-secondary mb-2">WAN in ÷ size: 1.00 means each piece crossed the office's link once. Time ÷ bound: from publication to the office's
        last copy, over the time its inbound budget allows (shown where the office has one).</p></div>
      <div class="table-responsive" tabindex="0" role="region" aria-label="Swarms across the offices"><table class="table mb-0"><thead><tr><th scope="col">Swarm</th>
        <th scope="col">Office</th><th scope="col" class="num">Copies</th><th scope="col" class="num">WAN in</th><th scope="col" class="num">WAN in ÷ size</th>
        <th scope="col" class="num">Time ÷ bound</th></tr></thead><tbody id="office-swarms"></tbody></table></div></section>`;
  updateOffices();
  state.officesTimer = setInterval(updateOffices, 2000);
}

async function updateOffices() {
  let o;
  try {
    o = await api('api/offices');
  } catch (e) {
    return; // the banner says it
  }
  const cards = document.getElementById('office-cards');
  if (!cards || state.page !== 'offices') return;
  // a budget being edited (focused, changed and not saved, its schedule open), or refused and not fixed yet, is not
  // redrawn under the user's hands
  const editing = (cards.contains(document.activeElement) && document.activeElement.closest('form'))
    || cards.querySelector('form[data-budget][data-dirty], form[data-budget] details[open], form[data-budget] [role=alert]:not([hidden])');
  if (!editing) drawOfficeCards(cards, o);
  const rows = o.swarms.flatMap((s) => s.offices.map((p, i) => `<tr data-swarm="${esc(s.infoHash)}" data-office="${esc(p.office)}">
      ${i === 0 ? `<th scope="row" rowspan="${s.offices.length}" class="text-break fw-normal">${esc(s.name)}<div class="small text-secondary">${bytes(s.size)}${s.publisherOffice ? ' · from ' + esc(s.publisherOffice) : ''}</div></th>` : ''}
      <td>${esc(p.office)}</td><td class="num">${p.complete} / ${p.holders}</td><td class="num">${bytes(p.wanIn)}</td>
      <td class="num wan-per-size">${p.office === s.publisherOffice && !p.wanIn ? '—' : p.wanInPerSize.toFixed(2)}</td>
      <td class="num time-over-bound">${p.timeOverBound == null ? '—' : p.timeOverBound.toFixed(2)}</td></tr>`)).join('');
  setHtml(document.getElementById('office-swarms'), rows || '<tr><td colspan="6" class="text-secondary text-center">Nothing published yet.</td></tr>');
}

// a budget's weekly schedule (set through the API): its windows in the office's zone, and the caps in force now
function scheduleHtml(b) {
  if (!b || !b.schedule || !b.schedule.length) return '';
  const cap = (v) => (v ? mbit(v) : 'no cap');
  const windows = b.schedule.map((w) => `<li>${esc(daysShort(w.days))} ${esc(w.from)}–${esc(w.to)}: in ${cap(w.inLimit)} · out ${cap(w.outLimit)}</li>`).join('');
  return `<dt>Schedule</dt><dd class="schedule">${esc(b.timeZone)}, otherwise the budget above<ul class="mb-0 ps-3">${windows}</ul></dd>
        <dt>In force now</dt><dd class="budget-now">in ${cap(b.inLimitNow)} · out ${cap(b.outLimitNow)}</dd>`;
}

function drawOfficeCards(cards, o) {
  const changed = setHtml(cards, o.offices.map((f) => {
    const b = f.budget;
    const nodes = f.nodes.map((n) => `<tr data-node="${esc(n.name)}"><th scope="row" class="fw-normal">${esc(n.name)}${n.local ? ' <span class="badge text-bg-primary">this node</span>' : ''}</th>
      <td class="num">${rate(n.wanInRate)}${n.inHeld ? ' <i class="bi bi-hourglass-split" role="img" title="held back by its share" aria-label="held back by its share"></i>' : ''}</td>
      <td class="num">${rate(n.wanOutRate)}${n.outHeld ? ' <i class="bi bi-hourglass-split" role="img" title="held back by its share" aria-label="held back by its share"></i>' : ''}</td>
      <td class="num small text-secondary">${b ? (n.inShare ? mbit(n.inShare) : '—') + ' / ' + (n.outShare ? mbit(n.outShare) : '—') : '—'}</td></tr>`).join('');
    const form = state.me.admin ? `<form class="row g-2 align-items-end mt-1" data-budget="${esc(f.name)}" novalidate>
        <div class="col-5"><label class="form-label small mb-0" for="in-${esc(f.name)}">In (Mbit/s)</label>
          <input class="form-control form-control-sm" type="number" min="0" step="any" id="in-${esc(f.name)}" value="${b && b.inLimit ? +(b.inLimit / MBIT).toFixed(3) : 0}"></div>
        <div class="col-5"><label class="form-label small mb-0" for="out-${esc(f.name)}">Out (Mbit/s)</label>
          <input class="form-control form-control-sm" type="number" min="0" step="any" id="out-${esc(f.name)}" value="${b && b.outLimit ? +(b.outLimit / MBIT).toFixed(3) : 0}"></div>
        <div class="col-2"><button class="btn btn-sm btn-primary w-100" type="submit" data-action="save-budget" data-mutates>Set</button></div>
        ${scheduleEditor(f.name, b)}
        <div class="col-12 small text-danger" role="alert" hidden></div></form>` : '';
    return `<div class="col-md-6 col-xl-4"><section class="card h-100" data-office="${esc(f.name)}" aria-label="Office ${esc(f.name)}"><div class="card-body">
      <div class="d-flex justify-content-between"><h2 class="h6 mb-1"><i class="bi bi-building" aria-hidden="true"></i> ${esc(f.name)}</h2>
        ${f.name === o.localOffice ? '<span class="badge text-bg-primary">this node\'s office</span>' : ''}</div>
      <dl class="kv small mb-2"><dt>WAN now</dt><dd class="wan-now">in ${rate(f.wanInRate)} · out ${rate(f.wanOutRate)}</dd>
        <dt>WAN so far</dt><dd>in ${bytes(f.wanIn)} · out ${bytes(f.wanOut)}</dd>
        <dt>Budget</dt><dd class="budget">${b ? `in ${b.inLimit ? mbit(b.inLimit) : 'no cap'} · out ${b.outLimit ? mbit(b.outLimit) : 'no cap'}` : 'none'}</dd>${scheduleHtml(b)}</dl>
      <table class="table table-sm mb-0"><thead><tr><th scope="col">Node</th><th scope="col" class="num">In</th><th scope="col" class="num">Out</th><th scope="col" class="num">Share in / out</th></tr></thead>
        <tbody>${nodes || '<tr><td colspan="4" class="text-secondary">no node up</td></tr>'}</tbody></table>${form}</div></section></div>`;
  }).join('') || '<div class="text-secondary">No office yet.</div>');
  if (changed) cards.querySelectorAll('form[data-budget]').forEach(wireBudgetForm);
}

// The weekly schedule of an office's budget, edited in its form: a time zone and windows (days, from, to, caps in
// Mbit/s). The form sends them with the budget (a PUT replaces the whole budget: no window, no schedule); the node
// checks them (days, times, windows that overlap) and its refusal is shown as it says it.
function scheduleEditor(office, b) {
  const windows = (b && b.schedule) || [];
  const zone = (b && b.timeZone) || Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  const count = windows.length ? `${windows.length} window${windows.length === 1 ? '' : 's'}` : 'none';
  return `<details class="col-12 schedule-editor"><summary class="small">Weekly schedule: <span class="schedule-count">${count}</span></summary>
      <div class="mt-1"><label class="form-label small mb-0" for="zone-${esc(office)}">Time zone of the windows</label>
        <input class="form-control form-control-sm" id="zone-${esc(office)}" list="time-zones" value="${esc(zone)}" autocomplete="off"></div>
      <p class="small text-secondary my-1">Days as MON-FRI or SAT,SUN; times as HH:mm (to 24:00: the end of the day; an end before the start runs past midnight). Caps in Mbit/s, 0 for none. Outside every window the budget above holds.</p>
      <div class="row g-1 small text-secondary" aria-hidden="true"><div class="col-3">Days</div><div class="col-2">From</div><div class="col-2">To</div><div class="col-2">In</div><div class="col-2">Out</div></div>
      <div class="schedule-windows">${windows.map((w) => windowRow(w)).join('')}</div>
      <button class="btn btn-sm btn-outline-secondary" type="button" data-action="add-window"><i class="bi bi-plus" aria-hidden="true"></i> Add a window</button>
    </details>`;
}

function windowRow(w) {
  const cap = (v) => (v ? +(v / MBIT).toFixed(3) : 0);
  const field = (cls, name, label, value, extra = '') => `<div class="${cls}"><input class="form-control form-control-sm px-1" name="${name}" aria-label="${label}" value="${esc(value)}"${extra}></div>`;
  return `<fieldset class="row g-1 mb-1 schedule-window"><legend class="visually-hidden">Window</legend>
      ${field('col-3', 'days', 'Days', daysShort(w.days || ''), ' placeholder="MON-FRI"')}
      ${field('col-2', 'from', 'From', w.from || '', ' placeholder="08:00"')}
      ${field('col-2', 'to', 'To', w.to || '', ' placeholder="18:00"')}
      ${field('col-2', 'in', 'In (Mbit/s)', cap(w.inLimit), ' type="number" min="0" step="any"')}
      ${field('col-2', 'out', 'Out (Mbit/s)', cap(w.outLimit), ' type="number" min="0" step="any"')}
      <div class="col-1"><button class="btn btn-sm btn-outline-danger w-100 px-0" type="button" data-action="remove-window" aria-label="Remove this window" title="Remove this window"><i class="bi bi-x-lg" aria-hidden="true"></i></button></div>
    </fieldset>`;
}

// days as the API lists them ("MON,TUE,WED,THU,FRI") shortened to ranges ("MON-FRI"): the form and the card read them
const WEEK = ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'];
function daysShort(days) {
  const listed = days.split(',').map((d) => d.trim().toUpperCase());
  if (!listed.every((d) => WEEK.includes(d))) return days; // as the user typed it ("FRI-MON")
  const parts = [];
  for (let i = 0; i < 7; i++) {
    if (!listed.includes(WEEK[i])) continue;
    let j = i;
    while (j + 1 < 7 && listed.includes(WEEK[j + 1])) j++;
    parts.push(j - i >= 2 ? `${WEEK[i]}-${WEEK[j]}` : WEEK.slice(i, j + 1).join(','));
    i = j;
  }
  return parts.join(',');
}

function wireBudgetForm(form) {
  form.addEventListener('submit', (ev) => saveBudget(ev, form));
  form.addEventListener('input', () => { form.dataset.dirty = '1'; });
  form.addEventListener('click', (ev) => {
    const button = ev.target.closest('button[data-action]');
    if (!button) return;
    const list = form.querySelector('.schedule-windows');
    if (button.dataset.action === 'add-window') {
      list.insertAdjacentHTML('beforeend', windowRow({ days: 'MON-FRI', from: '08:00', to: '18:00' }));
      list.lastElementChild.querySelector('[name=days]').focus();
    } else if (button.dataset.action === 'remove-window') {
      button.closest('.schedule-window').remove();
      form.querySelector('[data-action=add-window]').focus();
    } else {
      return;
    }
    form.dataset.dirty = '1';
    const n = list.children.length;
    form.querySelector('.schedule-count').textContent = n ? `${n} window${n === 1 ? '' : 's'}` : 'none';
  });
  if (!document.getElementById('time-zones') && Intl.supportedValuesOf) {
    document.body.insertAdjacentHTML('beforeend', `<datalist id="time-zones">${Intl.supportedValuesOf('timeZone')
      .map((z) => `<option value="${esc(z)}">`).join('')}</datalist>`);
  }
}

// the limits the form sets and its weekly schedule; null when a window's cap is not a number of 0 or more
function budgetBody(form, inMbit, outMbit) {
  const body = { inLimit: Math.round(inMbit * MBIT), outLimit: Math.round(outMbit * MBIT) };
  const windows = [...form.querySelectorAll('.schedule-window')].map((row) => {
    const value = (name) => row.querySelector(`[name=${name}]`).value.trim();
    return { days: value('days'), from: value('from'), to: value('to'), inMbit: Number(value('in')), outMbit: Number(value('out')) };
  });
  if (windows.some((w) => !isFinite(w.inMbit) || !isFinite(w.outMbit) || w.inMbit < 0 || w.outMbit < 0)) return null;
  if (windows.length) {
    body.timeZone = form.querySelector('[id^=zone-]').value.trim();
    body.schedule = windows.map((w) => ({ days: w.days, from: w.from, to: w.to,
      inLimit: Math.round(w.inMbit * MBIT), outLimit: Math.round(w.outMbit * MBIT) }));
  }
  return body;
}

async function saveBudget(ev, form) {
  ev.preventDefault();
  const office = form.dataset.budget;
  const error = form.querySelector('[role=alert]');
  const inMbit = Number(form.querySelector(`#in-${CSS.escape(office)}`).value);
  const outMbit = Number(form.querySelector(`#out-${CSS.escape(office)}`).value);
  const body = isFinite(inMbit) && isFinite(outMbit) && inMbit >= 0 && outMbit >= 0 ? budgetBody(form, inMbit, outMbit) : null;
  if (!body) {
    error.hidden = false;
    error.textContent = 'Budgets are Mbit/s, 0 (no cap) or more.';
    return;
  }
  try {
    await api(`api/offices/${encodeURIComponent(office)}/budget`, { method: 'PUT', type: 'application/json',
      body: JSON.stringify(body) });
    error.hidden = true;
    delete form.dataset.dirty;
    form.querySelector('details').open = false;
    document.activeElement.blur();
    toast(`WAN budget of ${office} saved`);
    updateOffices();
  } catch (e) {
    if (e.status === 401) return;
    error.hidden = false;
    error.textContent = e.status === 403 ? 'Refused: your user may only look.' : e.message;
  }
}

// ---------------------------------------------------------------- settings

async function renderSettings() {
  state.page = 'settings';
  setTitle('Settings');
  follow('');
  const main = document.getElementById('main');
  main.innerHTML = '<h1 class="h4 mb-3">Settings</h1><div id="settings-body" class="text-secondary">Loading…</div>';
  const limits = await attempt('Loading the settings', () => api('api/settings'));
  const disk = await attempt('Loading the disk', () => api('api/disk'));
  const box = document.getElementById('settings-body');
  if (!limits || !box) return;
  const kib = (v) => (v ? Math.round(v / 1024) : 0);
  if (disk) box.insertAdjacentHTML('afterend', diskCard(disk));
  if (!state.me.admin) {
    box.outerHTML = `<section class="card" style="max-width:36rem"><div class="card-body"><h2 class="h6">Global rate limits</h2>
      <dl class="kv"><dt>Download</dt><dd id="limit-down">${limits.downloadLimit ? rate(limits.downloadLimit) : 'unlimited'}</dd>
      <dt>Upload</dt><dd id="limit-up">${limits.uploadLimit ? rate(limits.uploadLimit) : 'unlimited'}</dd></dl>
      <p class="small text-secondary mb-0">Only an admin may change them.</p></div></section>`;
    return;
  }
  if (disk) wireDiskForm();
  box.outerHTML = `<section class="card" style="max-width:36rem"><div class="card-body">
    <h2 class="h6">Global rate limits</h2>
    <p class="small text-secondary">For all swarms of this node together. 0 means unlimited.</p>
    <form id="limits-form" novalidate>
      <div class="row g-2 mb-3">
        <div class="col-sm-6"><label class="form-label" for="limit-down">Download (KiB/s)</label>
          <input class="form-control" type="number" min="0" step="1" id="limit-down" value="${kib(limits.downloadLimit)}"></div>
        <div class="col-sm-6"><label class="form-label" for="limit-up">Upload (KiB/s)</label>
          <input class="form-control" type="number" min="0" step="1" id="limit-up" value="${kib(limits.uploadLimit)}"></div>
      </div>
      <div class="alert alert-danger py-2" role="alert" id="limits-error" hidden></div>
      <button class="btn btn-primary" type="submit" data-action="save-limits" data-mutates>Save</button>
    </form></div></section>`;
  const form = document.getElementById('limits-form');
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const error = document.getElementById('limits-error');
    const down = Number(form.querySelector('#limit-down').value);
    const up = Number(form.querySelector('#limit-up').value);
    if (!Number.isInteger(down) || !Number.isInteger(up) || down < 0 || up < 0) {
      error.hidden = false;
      error.textContent = 'Limits are whole numbers of KiB/s, 0 or more.';
      return;
    }
    error.hidden = true;
    const saved = await attempt('Saving the limits', () => api('api/settings', { method: 'PUT', type: 'application/json',
      body: JSON.stringify({ downloadLimit: down * 1024, uploadLimit: up * 1024 }) }));
    if (saved) toast('Rate limits saved');
  });
}

// The data disk (issue 14): how full it is, what the swarms hold, and the limits on downloads.
function diskCard(d) {
  const bar = d.usedPercent >= d.highWatermark ? 'bg-danger' : d.usedPercent >= d.lowWatermark ? 'bg-warning' : 'bg-success';
  const gib = (v) => (v ? +(v / 2 ** 30).toFixed(2) : 0);
  const stalled = d.stalled.length
    ? `<div class="alert alert-warning py-2 small" id="disk-stalled">${d.stalled.length} download${d.stalled.length > 1 ? 's' : ''} stopped by the disk limits; ${d.stalled.length > 1 ? 'they go' : 'it goes'} on by itself once they allow it.</div>` : '';
  const form = state.me.admin ? `<form id="disk-form" novalidate class="mt-3">
      <div class="row g-2 mb-3">
        <div class="col-sm-4"><label class="form-label" for="disk-high">High watermark (%)</label>
          <input class="form-control" type="number" min="1" max="100" step="1" id="disk-high" value="${d.highWatermark}"></div>
        <div class="col-sm-4"><label class="form-label" for="disk-low">Low watermark (%)</label>
          <input class="form-control" type="number" min="1" max="100" step="1" id="disk-low" value="${d.lowWatermark}"></div>
        <div class="col-sm-4"><label class="form-label" for="disk-quota">Quota (GiB, 0: none)</label>
          <input class="form-control" type="number" min="0" step="any" id="disk-quota" value="${gib(d.quota)}"></div>
      </div>
      <div class="alert alert-danger py-2" role="alert" id="disk-error" hidden></div>
      <button class="btn btn-primary" type="submit" data-action="save-disk" data-mutates>Save</button>
    </form>` : '<p class="small text-secondary mb-0">Only an admin may change the limits.</p>';
  return `<section class="card mt-3" style="max-width:36rem" id="disk-card"><div class="card-body">
    <h2 class="h6">Disk</h2>
    <p class="small text-secondary">Downloads stop when the data disk reaches the high watermark or the swarms hold the
      quota, and go on by themselves below the low watermark (or the quota). Seeding goes on.</p>
    <div class="progress mb-2" role="progressbar" aria-label="Data disk used" aria-valuenow="${d.usedPercent}" aria-valuemin="0" aria-valuemax="100">
      <div class="progress-bar ${bar}" style="width:${Math.min(100, d.usedPercent)}%"></div></div>
    <dl class="kv"><dt>Data disk</dt><dd id="disk-used">${d.usedPercent} % used of ${bytes(d.totalBytes)}, ${bytes(d.usableBytes)} free</dd>
      <dt>Held by swarms</dt><dd id="disk-held">${bytes(d.heldBytes)}${d.quota ? ` of a ${bytes(d.quota)} quota` : ''}</dd>
      <dt>Watermarks</dt><dd id="disk-watermarks">${d.highWatermark < 100 ? `stop at ${d.highWatermark} %, go on below ${d.lowWatermark} %` : 'none (only a full disk stops a download)'}</dd>
      <dt>Directory</dt><dd class="text-break"><code>${esc(d.dataDirectory)}</code></dd></dl>
    ${stalled}${form}</div></section>`;
}

function wireDiskForm() {
  const form = document.getElementById('disk-form');
  if (!form) return;
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const error = document.getElementById('disk-error');
    const high = Number(form.querySelector('#disk-high').value);
    const low = Number(form.querySelector('#disk-low').value);
    const quotaGib = Number(form.querySelector('#disk-quota').value);
    if (!Number.isInteger(high) || !Number.isInteger(low) || low < 1 || low > high || high > 100) {
      error.hidden = false;
      error.textContent = 'Watermarks are whole percentages with 1 ≤ low ≤ high ≤ 100.';
      return;
    }
    if (!(quotaGib >= 0)) {
      error.hidden = false;
      error.textContent = 'The quota is 0 (none) or a size in GiB.';
      return;
    }
    error.hidden = true;
    try {
      const saved = await api('api/disk', { method: 'PUT', type: 'application/json',
        body: JSON.stringify({ highWatermark: high, lowWatermark: low, quota: Math.round(quotaGib * 2 ** 30) }) });
      document.getElementById('disk-card').outerHTML = diskCard(saved);
      wireDiskForm();
      toast('Disk limits saved');
    } catch (e) {
      const box = document.getElementById('disk-error');
      box.hidden = false;
      box.textContent = e.message;
    }
  });
}

// ---------------------------------------------------------------- access: API tokens and the audit log (admin)

const when = (iso) => (iso ? new Date(iso).toLocaleString() : '—');

async function renderAccess() {
  state.page = 'access';
  setTitle('Access');
  follow('');
  const main = document.getElementById('main');
  main.innerHTML = `<h1 class="h4 mb-3">Access</h1>
    <section class="card mb-4"><div class="card-body">
      <h2 class="h6">API tokens</h2>
      <p class="small text-secondary">For pipelines and scripts: <code>Authorization: Bearer &lt;token&gt;</code>, or
        <code>FRESHET_TOKEN</code> for <code>src/bin/freshet</code>. A token is shown once, when it is created;
        the cluster keeps only a hash of it. It works on every node.</p>
      <form id="token-form" class="row g-2 align-items-end mb-3" novalidate>
        <div class="col-sm-3"><label class="form-label" for="token-name">Name</label>
          <input class="form-control" id="token-name" maxlength="64" placeholder="ci-pipeline" required></div>
        <div class="col-sm-2"><label class="form-label" for="token-role">Role</label>
          <select class="form-select" id="token-role"><option>publisher</option><option>viewer</option><option>admin</option></select></div>
        <div class="col-sm-3"><label class="form-label" for="token-offices">Offices (optional)</label>
          <input class="form-control" id="token-offices" placeholder="paris,berlin"></div>
        <div class="col-sm-2"><label class="form-label" for="token-expires">Expires (optional)</label>
          <input class="form-control" type="date" id="token-expires"></div>
        <div class="col-sm-2"><button class="btn btn-primary w-100" type="submit" data-action="create-token" data-mutates>Create</button></div>
      </form>
      <div class="alert alert-danger py-2" role="alert" id="token-error" hidden></div>
      <div class="alert alert-success" role="status" id="token-created" hidden></div>
      <div class="table-responsive"><table class="table table-sm align-middle mb-0" id="tokens">
        <thead><tr><th scope="col">Name</th><th scope="col">Id</th><th scope="col">Role</th><th scope="col">Offices</th>
          <th scope="col">Created</th><th scope="col">Expires</th><th scope="col">State</th><th scope="col"></th></tr></thead>
        <tbody></tbody></table></div>
    </div></section>
    <section class="card"><div class="card-body">
      <h2 class="h6">Audit log of the cluster</h2>
      <form id="audit-form" class="row g-2 align-items-end mb-3">
        <div class="col-sm-2"><label class="form-label" for="audit-who">Who</label>
          <input class="form-control" id="audit-who" placeholder="admin, token:…"></div>
        <div class="col-sm-2"><label class="form-label" for="audit-action">Action contains</label>
          <input class="form-control" id="audit-action" placeholder="DELETE, /budget"></div>
        <div class="col-sm-2"><label class="form-label" for="audit-node">Node</label>
          <input class="form-control" id="audit-node" placeholder="any"></div>
        <div class="col-sm-3"><label class="form-label" for="audit-since">Since</label>
          <input class="form-control" type="datetime-local" id="audit-since"></div>
        <div class="col-sm-3 d-flex gap-2"><button class="btn btn-outline-primary" type="submit">Filter</button>
          <button class="btn btn-outline-secondary" type="button" id="audit-export">Export JSON lines</button></div>
      </form>
      <div class="table-responsive"><table class="table table-sm align-middle mb-0" id="audit">
        <thead><tr><th scope="col">When</th><th scope="col">Node</th><th scope="col">Who</th><th scope="col">Role</th><th scope="col">Action</th>
          <th scope="col">Target</th><th scope="col">From</th><th scope="col" class="num">Result</th></tr></thead>
        <tbody></tbody></table></div>
    </div></section>`;
  document.getElementById('token-form').addEventListener('submit', createToken);
  document.getElementById('audit-form').addEventListener('submit', (ev) => { ev.preventDefault(); loadAudit(); });
  document.getElementById('audit-export').addEventListener('click', () => loadAudit(true));
  await Promise.all([loadTokens(), loadAudit()]);
}

async function loadTokens() {
  const list = await attempt('Loading the API tokens', () => api('api/tokens'));
  const body = document.querySelector('#tokens tbody');
  if (!list || !body) return;
  const now = Date.now();
  body.innerHTML = list.length ? list.map((t) => {
    const st = t.revokedAt ? 'revoked' : t.expiresAt && Date.parse(t.expiresAt) <= now ? 'expired' : 'active';
    return `<tr data-token="${esc(t.id)}"><td>${esc(t.name)}</td><td class="mono">${esc(t.id)}</td><td>${esc(t.role)}</td>
      <td>${t.offices.length ? esc(t.offices.join(', ')) : 'any'}</td><td>${esc(when(t.createdAt))}</td>
      <td>${esc(t.expiresAt ? when(t.expiresAt) : 'never')}</td>
      <td><span class="badge ${st === 'active' ? 'text-bg-success' : 'text-bg-secondary'}">${st}</span></td>
      <td>${st === 'revoked' ? '' : `<button type="button" class="btn btn-sm btn-outline-danger" data-action="revoke-token" data-mutates>Revoke</button>`}</td></tr>`;
  }).join('') : '<tr><td colspan="8" class="text-secondary">No API tokens yet.</td></tr>';
  body.querySelectorAll('[data-action="revoke-token"]').forEach((b) => b.addEventListener('click', async () => {
    const id = b.closest('tr').dataset.token;
    if (!confirm(`Revoke token ${id}? Pipelines that use it are refused from now on.`)) return;
    if (await attempt('Revoking the token', () => api(`api/tokens/${id}`, { method: 'DELETE' }))) {
      toast('Token revoked');
      loadTokens();
      loadAudit();
    }
  }));
}

async function createToken(ev) {
  ev.preventDefault();
  const error = document.getElementById('token-error');
  const shown = document.getElementById('token-created');
  const name = document.getElementById('token-name').value.trim();
  const offices = document.getElementById('token-offices').value.split(',').map((x) => x.trim()).filter(Boolean);
  const expires = document.getElementById('token-expires').value;
  const body = { name, role: document.getElementById('token-role').value };
  if (offices.length) body.offices = offices;
  if (expires) body.expiresAt = new Date(expires + 'T23:59:59').toISOString();
  error.hidden = true;
  try {
    const t = await api('api/tokens', { method: 'POST', type: 'application/json', body: JSON.stringify(body) });
    shown.hidden = false;
    shown.innerHTML = `Token <strong>${esc(t.name)}</strong> (${esc(t.role)}): copy it now, it is not shown again.
      <div class="input-group mt-2"><input class="form-control mono" id="token-value" aria-label="The new token" readonly value="${esc(t.token)}">
      <button class="btn btn-dark" type="button" id="token-copy">Copy</button></div>`;
    document.getElementById('token-copy').addEventListener('click', () => copyText(t.token, 'The token'));
    document.getElementById('token-form').reset();
    loadTokens();
    loadAudit();
  } catch (e) {
    if (e.status === 401) return;
    error.hidden = false;
    error.textContent = e.message;
  }
}

async function loadAudit(exportLines = false) {
  const q = new URLSearchParams({ limit: exportLines ? '10000' : '200' });
  const who = document.getElementById('audit-who');
  if (!who) return;
  if (who.value.trim()) q.set('who', who.value.trim());
  const action = document.getElementById('audit-action').value.trim();
  if (action) q.set('action', action);
  const node = document.getElementById('audit-node').value.trim();
  if (node) q.set('node', node);
  const since = document.getElementById('audit-since').value;
  if (since) q.set('since', new Date(since).toISOString());
  if (exportLines) {
    q.set('format', 'jsonl');
    await saveAs('Exporting the audit log', 'api/audit?' + q, 'freshet-audit.jsonl');
    return;
  }
  const entries = await attempt('Loading the audit log', () => api('api/audit?' + q));
  const body = document.querySelector('#audit tbody');
  if (!entries || !body) return;
  body.innerHTML = entries.length ? entries.map((e) => `<tr><td>${esc(when(e.at))}</td><td>${esc(e.node || '')}</td><td>${esc(e.who)}</td>
    <td>${esc(e.role)}</td><td class="mono">${esc(e.action)}</td><td class="mono">${esc(e.target)}</td>
    <td>${esc(e.address)}</td><td class="num"><span class="badge ${e.result < 400 ? 'text-bg-success' : 'text-bg-danger'}">${e.result}</span></td></tr>`).join('')
    : '<tr><td colspan="8" class="text-secondary">Nothing logged that matches.</td></tr>';
}

// ---------------------------------------------------------------- start

document.getElementById('sign-out').addEventListener('click', () => signOut('Signed out.', 'secondary'));
window.addEventListener('hashchange', route);
dialog().addEventListener('close', () => { dialog().innerHTML = ''; dialog().dataset.kind = ''; });
if (state.auth) {
  start();
} else {
  // back from the OpenID provider, or a tab opened while the session lasts: the cookie signs in
  signInOptions().then((o) => {
    if (o.signedIn) { state.auth = SESSION; start(); } else renderSignIn(o.error);
  });
}

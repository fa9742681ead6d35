// Admin dashboard: stats, sessions (filter, search, pages, batch close), create, assign, transfer,
// links + QR codes, an embedded 1v1 test call, room reports and agent accounts (add, disable/enable,
// reset a password), webhook deliveries (failed, dead-lettered; redeliver), monitoring a live call (monitor.js).
// Auto-refreshes every 3 s.
import { CsApi } from '/sdk/api.js';
import { $, fmtDuration, fmtSize, saveBlob } from '/js/util.js';
import { webhooksPanel } from '/admin/webhooks.js';
import { monitorPanel } from '/admin/monitor.js';

const TOKEN_KEY = 'cskit.adminToken';
const PAGE_SIZE = 10;
const REFRESH_MS = 3000;

const api = new CsApi({ token: localStorage.getItem(TOKEN_KEY) || '' });

const ui = {
  page: 1,
  total: 0,
  status: '',
  sort: '',
  q: '',
  sessions: [],
  selected: new Set(),
  detailId: null,
  detail: null,
  files: [],
  filesKey: null,
  links: null,
  recording: null,
  agents: [],
  queue: [],
  lastRefresh: null,
  errors: {},
};
window.cskitAdmin = ui;

// ------------------------------------------------------------------ errors and toasts
function setError(key, msg) {
  if (msg) ui.errors[key] = msg; else delete ui.errors[key];
  let msgs = [...new Set(Object.values(ui.errors))];
  // Several "not a cskit server" answers say the same thing: say it once.
  const unreachable = msgs.filter((m) => / without a JSON envelope|Cannot reach the cskit server/.test(m));
  if (unreachable.length > 1) {
    msgs = msgs.filter((m) => !unreachable.includes(m));
    msgs.unshift(`The cskit API does not answer on ${location.host} (${unreachable.length} requests failed, e.g. ${unreachable[0]})`);
  }
  $('admin-error').hidden = !msgs.length;
  $('admin-error').textContent = msgs.join(' · ');
}
function authHint(e) {
  if (e.status === 401 || e.status === 403) return `${e.message} — enter the admin token at the top right.`;
  return e.message;
}
let toastTimer = null;
function toast(msg) {
  const t = $('admin-toast');
  t.textContent = msg;
  t.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => { t.hidden = true; }, 2500);
}

// ------------------------------------------------------------------ token
$('admin-token').value = api.token;
$('token-form').addEventListener('submit', (e) => {
  e.preventDefault();
  api.token = $('admin-token').value.trim();
  if (api.token) localStorage.setItem(TOKEN_KEY, api.token); else localStorage.removeItem(TOKEN_KEY);
  toast(api.token ? 'Admin token saved' : 'Admin token cleared');
  ui.errors = {};
  refreshAll();
  if (ui.detailId) openDetail(ui.detailId, true);
});

// ------------------------------------------------------------------ stats
async function loadStats() {
  try {
    const s = await api.stats();
    $('stat-total').textContent = num(s.total_sessions);
    $('stat-active').textContent = num(s.active_sessions);
    $('stat-waiting').textContent = num(s.waiting_sessions);
    $('stat-ended').textContent = num(s.ended_sessions);
    $('stat-rating').textContent = s.average_rating ? Number(s.average_rating).toFixed(1) : '–';
    $('stat-rated').textContent = num(s.rated_sessions || 0);
    $('stat-avg-duration').textContent = s.average_duration ? fmtDuration(s.average_duration) : '–';
    ui.stats = s;
    setError('stats', null);
  } catch (e) {
    setError('stats', 'Statistics: ' + authHint(e));
    throw e;
  }
}

// ------------------------------------------------------------------ sessions list
async function loadSessions() {
  try {
    const d = await api.listSessions({ status: ui.status, q: ui.q, sort: ui.sort, page: ui.page, page_size: PAGE_SIZE });
    const list = Array.isArray(d) ? d : d.sessions || [];
    ui.total = Array.isArray(d) ? list.length : Number(d.total ?? list.length);
    if (!list.length && ui.page > 1 && ui.total > 0) { ui.page = Math.max(1, Math.ceil(ui.total / PAGE_SIZE)); return loadSessions(); }
    ui.sessions = list;
    renderSessions();
    setError('sessions', null);
  } catch (e) {
    setError('sessions', 'Sessions: ' + authHint(e));
    throw e;
  }
}

function renderSessions() {
  const body = $('sessions-body');
  const ids = new Set(ui.sessions.map((s) => s.id));
  for (const id of [...ui.selected]) if (!ids.has(id)) ui.selected.delete(id);
  body.replaceChildren(...ui.sessions.map(sessionRow));
  $('sessions-empty').hidden = ui.sessions.length > 0;
  const pages = Math.max(1, Math.ceil(ui.total / PAGE_SIZE));
  $('page-info').textContent = `${ui.total} session${ui.total === 1 ? '' : 's'} · page ${ui.page} of ${pages}`;
  $('page-prev').disabled = ui.page <= 1;
  $('page-next').disabled = ui.page >= pages;
  renderSelection();
}

function sessionRow(s) {
  const tr = document.createElement('tr');
  tr.dataset.testid = 'session-row';
  tr.dataset.sessionId = s.id;
  tr.dataset.status = s.status;
  tr.classList.toggle('selected', s.id === ui.detailId);
  const check = el('input', { type: 'checkbox', 'data-testid': 'row-check', 'aria-label': 'Select ' + s.id });
  check.checked = ui.selected.has(s.id);
  check.disabled = s.status === 'Ended';
  check.addEventListener('click', (e) => e.stopPropagation());
  check.addEventListener('change', () => { if (check.checked) ui.selected.add(s.id); else ui.selected.delete(s.id); renderSelection(); });
  const actions = el('td', { class: 'col-actions' });
  const open = el('button', { class: 'btn btn-sm', type: 'button', 'data-testid': 'session-open' }, 'Details');
  open.addEventListener('click', (e) => { e.stopPropagation(); openDetail(s.id); });
  actions.append(open);
  if (s.status !== 'Ended') {
    const close = el('button', { class: 'btn btn-sm btn-ghost', type: 'button', 'data-testid': 'session-close', title: 'Close session' }, 'Close');
    close.addEventListener('click', (e) => { e.stopPropagation(); closeSessions([s.id]); });
    actions.append(close);
  }
  tr.append(
    el('td', { class: 'col-check' }, check),
    el('td', {}, el('div', { class: 'cell-title', 'data-testid': 'session-title' }, s.title || '(untitled)'), el('div', { class: 'cell-sub', 'data-testid': 'session-id' }, s.id)),
    el('td', { 'data-testid': 'session-customer' }, s.customer_name || '–'),
    el('td', { 'data-testid': 'session-agent' }, s.agent_name || s.agent_id || el('span', { class: 'hint' }, 'unassigned')),
    el('td', {}, el('span', { class: 'badge badge-' + s.status, 'data-testid': 'session-status' }, s.on_hold && s.status === 'Active' ? 'On hold' : s.status),
      s.recorded ? el('span', { class: 'badge badge-recorded', 'data-testid': 'session-recorded', title: recordingText(s) }, 'Rec') : null),
    el('td', { title: s.created_at || '' }, fmtTime(s.created_at)),
    el('td', { 'data-testid': 'session-duration' }, s.status === 'Waiting' ? '–' : fmtDuration(s.duration)),
    el('td', { class: 'stars-cell', 'data-testid': 'session-rating' }, s.rating ? '★'.repeat(s.rating.stars) : ''),
    qualityCell(s.quality),
    actions,
  );
  tr.addEventListener('click', () => openDetail(s.id));
  return tr;
}

// The call's estimated MOS (its worse direction), with each direction's figures in the tooltip.
function qualityCell(q) {
  if (!q || q.mos == null) return el('td', { 'data-testid': 'session-quality' }, '–');
  const dir = (name, d) => d ? `${name}: MOS ${d.mos}, loss ${d.loss_pct} %, jitter ${d.jitter_ms} ms, RTT ${d.rtt_ms ?? '?'} ms` : null;
  const title = [dir('customer → agent', q.customer_to_agent), dir('agent → customer', q.agent_to_customer)].filter(Boolean).join('\n');
  const level = q.mos >= 4 ? 'good' : q.mos >= 3.1 ? 'fair' : 'poor';
  return el('td', { 'data-testid': 'session-quality', title }, el('span', { class: 'quality quality-' + level }, q.mos.toFixed(2)));
}

function renderSelection() {
  const n = ui.selected.size;
  $('batch-close').disabled = n === 0;
  $('batch-close').textContent = n ? `Close selected (${n})` : 'Close selected';
  const closable = ui.sessions.filter((s) => s.status !== 'Ended');
  $('select-all').checked = closable.length > 0 && closable.every((s) => ui.selected.has(s.id));
  $('select-all').indeterminate = n > 0 && !$('select-all').checked;
}

$('select-all').addEventListener('change', () => {
  const on = $('select-all').checked;
  for (const s of ui.sessions) if (s.status !== 'Ended') { if (on) ui.selected.add(s.id); else ui.selected.delete(s.id); }
  renderSessions();
});
$('sort-by').addEventListener('change', () => { ui.sort = $('sort-by').value; ui.page = 1; loadSessions().catch(() => {}); });
$('filter-status').addEventListener('change', () => { ui.status = $('filter-status').value; ui.page = 1; loadSessions().catch(() => {}); });
let searchTimer = null;
$('filter-q').addEventListener('input', () => {
  clearTimeout(searchTimer);
  searchTimer = setTimeout(() => { ui.q = $('filter-q').value.trim(); ui.page = 1; loadSessions().catch(() => {}); }, 250);
});
$('page-prev').addEventListener('click', () => { if (ui.page > 1) { ui.page--; loadSessions().catch(() => {}); } });
$('page-next').addEventListener('click', () => { ui.page++; loadSessions().catch(() => {}); });
$('batch-close').addEventListener('click', () => closeSessions([...ui.selected]));

async function closeSessions(ids) {
  if (!ids.length) return;
  // No confirm(): headless test browsers dismiss dialogs; the button label says what it does.
  const failures = [];
  await Promise.all(ids.map((id) => api.closeSession(id).then(() => ui.selected.delete(id), (e) => failures.push(`${id}: ${e.message}`))));
  if (failures.length) setError('close', 'Close failed — ' + failures.join('; ')); else { setError('close', null); toast(`Closed ${ids.length} session${ids.length === 1 ? '' : 's'}`); }
  await refreshAll();
  if (ui.detailId && ids.includes(ui.detailId)) openDetail(ui.detailId, true);
}

// ------------------------------------------------------------------ create
$('create-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const title = $('create-title').value.trim();
  const customer = $('create-customer').value.trim();
  const description = $('create-description').value.trim();
  const agentId = $('create-agent').value;
  const res = $('create-result');
  $('create-submit').disabled = true;
  try {
    let s = await api.createSession({ title, customer_name: customer, description });
    if (agentId) {
      const a = ui.agents.find((x) => x.id === agentId);
      s = await api.assign(s.id, agentId, (a && a.name) || agentId);
    }
    res.className = 'create-result alert alert-ok';
    res.replaceChildren('Created ', el('code', { 'data-testid': 'created-id' }, s.id), s.agent_id ? ` and assigned to ${s.agent_name || s.agent_id}.` : '.');
    res.hidden = false;
    $('create-form').reset();
    ui.page = 1;
    await refreshAll();
    openDetail(s.id);
  } catch (err) {
    res.className = 'create-result alert alert-error';
    res.textContent = 'Could not create the session: ' + authHint(err);
    res.hidden = false;
  } finally {
    $('create-submit').disabled = false;
  }
});

// ------------------------------------------------------------------ agents
async function loadAgents() {
  try {
    const d = await api.agents();
    ui.agents = Array.isArray(d) ? d : d.agents || [];
    renderAgents();
    setError('agents', null);
  } catch (e) {
    $('agents-list').replaceChildren(el('li', { class: 'hint' }, 'Agents unavailable: ' + authHint(e)));
    throw e;
  }
}
function renderAgents() {
  const list = $('agents-list');
  const state = (a) => a.state || (a.online ? 'online' : 'offline');
  list.replaceChildren(...(ui.agents.length ? ui.agents.map((a) => el('li', { 'data-testid': 'agent-row', 'data-agent-id': a.id, 'data-state': state(a) },
    el('span', { class: 'dot state-' + state(a), 'data-testid': 'agent-dot', title: AGENT_STATES[state(a)] || state(a) }),
    el('span', {}, a.name || a.id), a.enabled === false ? el('span', { class: 'badge badge-Ended', 'data-testid': 'agent-disabled' }, 'disabled') : null,
    el('span', { class: 'agent-id' }, a.id),
    el('span', { class: 'agent-state state-' + state(a), 'data-testid': 'agent-state' }, (AGENT_STATES[state(a)] || state(a))
      + (a.ringing_session ? ` · ${a.ringing_session}` : '')),
    el('span', { class: 'agent-stats', 'data-testid': 'agent-stats', title: 'today: handled calls · average duration · average rating' },
      a.handled_today === undefined ? '' : `${a.handled_today} today · ${fmtDuration(a.avg_duration || 0)} · ${a.avg_rating == null ? '–' : Number(a.avg_rating).toFixed(1) + '★'}`))) : [el('li', { class: 'hint' }, 'No agents yet: add one under Agent accounts.')]));
  for (const selId of ['create-agent', 'assign-agent']) {
    const sel = $(selId);
    const keep = sel.value;
    const first = sel.options[0];
    sel.replaceChildren(first, ...ui.agents.map((a) => el('option', { value: a.id }, `${a.name || a.id} (${a.id}) · ${AGENT_STATES[state(a)] || state(a)}`)));
    sel.value = keep;
  }
  $('agent-ids').replaceChildren(...ui.agents.map((a) => el('option', { value: a.id, label: a.name || a.id })));
  renderAccounts();
}

// ------------------------------------------------------------------ agent accounts (POST/PATCH/DELETE /agents)
// The agents the server knows from its configuration or its agent store (`configured`); others in the list are
// only names sessions were assigned to.
function renderAccounts() {
  const accounts = ui.agents.filter((a) => a.configured !== false);
  $('accounts-body').replaceChildren(...accounts.map((a) => {
    const enabled = a.enabled !== false;
    const toggle = el('button', { class: 'btn btn-sm' + (enabled ? ' btn-ghost' : ''), type: 'button',
      'data-testid': 'account-toggle' }, enabled ? 'Disable' : 'Enable');
    toggle.addEventListener('click', () => patchAccount(a.id, { enabled: !enabled },
      enabled ? `Disabled ${a.id}: its desk is signed out` : `Enabled ${a.id}`));
    return el('tr', { 'data-testid': 'account-row', 'data-agent-id': a.id, 'data-enabled': String(enabled) },
      el('td', { class: 'cell-title' }, a.name || a.id),
      el('td', { class: 'mono' }, a.id),
      el('td', {}, el('span', { class: 'badge ' + (enabled ? 'badge-Active' : 'badge-Ended'), 'data-testid': 'account-enabled' },
        enabled ? 'enabled' : 'disabled')),
      el('td', { 'data-testid': 'account-state' }, AGENT_STATES[a.state] || a.state || '–'),
      el('td', { class: 'col-actions' }, toggle));
  }));
  $('accounts-empty').hidden = accounts.length > 0;
  const sel = $('account-reset-id');
  const keep = sel.value;
  sel.replaceChildren(sel.options[0], ...accounts.map((a) => el('option', { value: a.id }, `${a.name || a.id} (${a.id})`)));
  sel.value = keep;
}
function accountsResult(ok, msg) {
  const r = $('accounts-result');
  r.className = 'alert ' + (ok ? 'alert-ok' : 'alert-error');
  r.textContent = msg;
  r.hidden = false;
}
async function patchAccount(id, body, done) {
  try {
    await api.request('PATCH', '/agents/' + encodeURIComponent(id), body);
    accountsResult(true, done);
    toast(done);
  } catch (e) {
    accountsResult(false, `Agent ${id}: ${authHint(e)}`);
  }
  await refreshAll();
}
$('account-add-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const id = $('account-add-id').value.trim();
  const name = $('account-add-name').value.trim();
  const password = $('account-add-password').value;
  $('account-add-submit').disabled = true;
  try {
    await api.request('POST', '/agents', { id, name, password });
    accountsResult(true, `Added ${name} (${id}); they sign in on the lobby or the desk with that password.`);
    $('account-add-form').reset();
  } catch (err) {
    accountsResult(false, 'Could not add the agent: ' + authHint(err));
  } finally {
    $('account-add-submit').disabled = false;
  }
  await refreshAll();
});
$('account-reset-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const id = $('account-reset-id').value;
  const password = $('account-reset-password').value;
  if (!id) { toast('Pick an agent'); return; }
  await patchAccount(id, { password }, `New password set for ${id}: its desk is signed out until it signs in again`);
  $('account-reset-password').value = '';
});

const AGENT_STATES = { offline: 'offline', online: 'online', ready: 'ready', ringing: 'ringing', busy: 'busy', wrap_up: 'wrap-up' };

// ------------------------------------------------------------------ visitor queue (GET /queue)
async function loadQueue() {
  try {
    const d = await api.request('GET', '/queue');
    ui.queue = d.queue || [];
    ui.autoAssign = !!d.auto_assign;
    renderQueue();
    setError('queue', null);
  } catch (e) {
    $('queue-list').replaceChildren(el('li', { class: 'hint' }, 'Queue unavailable: ' + authHint(e)));
    throw e;
  }
}
function renderQueue() {
  $('queue-count').textContent = String(ui.queue.length);
  $('queue-list').replaceChildren(...(ui.queue.length ? ui.queue.map((q) => el('li', { 'data-testid': 'queue-row', 'data-session-id': q.session_id, 'data-position': String(q.position) },
    el('span', { class: 'queue-pos', 'data-testid': 'queue-position' }, String(q.position)),
    el('span', { class: 'queue-who' }, el('strong', {}, q.customer_name || q.customer_id || q.session_id), el('span', { class: 'hint' }, q.title || '')),
    el('span', { class: 'queue-meta hint', 'data-testid': 'queue-meta' },
      `waited ${fmtDuration(q.waited)} · est. ${fmtDuration(q.estimated_wait)}`,
      q.ringing_agent ? el('span', { class: 'queue-ringing', 'data-testid': 'queue-ringing' }, ` · ringing ${q.ringing_agent}`) : null)))
    : [el('li', { class: 'hint', 'data-testid': 'queue-empty' }, ui.autoAssign ? 'Nobody is waiting.' : 'Routing is off (auto_assign: false): sessions wait for a manual assign.')]));
}

// ------------------------------------------------------------------ session detail
async function openDetail(id, quiet = false) {
  const changed = id !== ui.detailId;
  ui.detailId = id;
  $('session-detail').hidden = false;
  document.querySelectorAll('#sessions-body tr').forEach((tr) => tr.classList.toggle('selected', tr.dataset.sessionId === id));
  if (changed) {
    stopTestCall();
    $('link-customer').value = $('link-agent').value = '';
    $('qr-customer').removeAttribute('src');
    $('qr-agent').removeAttribute('src');
    $('links-error').hidden = true;
  }
  try {
    renderDetail(await api.getSession(id));
  } catch (e) {
    setError('detail', `Session ${id}: ${authHint(e)}`);
    return;
  }
  setError('detail', null);
  loadFiles(id);
  if (changed || !quiet) loadLinks(id);
  if (changed && !quiet) $('session-detail').scrollIntoView({ behavior: 'smooth', block: 'start' });
}

function renderDetail(s) {
  ui.detail = s;
  $('detail-title').textContent = s.title || '(untitled)';
  $('detail-id').textContent = s.id;
  $('detail-status').textContent = s.on_hold && s.status === 'Active' ? 'On hold' : s.status;
  $('detail-status').className = 'badge badge-' + s.status;
  $('detail-close-session').disabled = s.status === 'Ended';
  const kv = [
    ['Customer', `${s.customer_name || '–'}`, 'detail-customer'],
    ['Customer id', s.customer_id || '–', 'detail-customer-id'],
    ['Agent', s.agent_id ? `${s.agent_name || ''} (${s.agent_id})` : 'unassigned', 'detail-agent'],
    ['Duration', s.status === 'Waiting' ? '–' : fmtDuration(s.duration), 'detail-duration'],
    ['Created', fmtTime(s.created_at, true), 'detail-created'],
    ['Accepted', fmtTime(s.accepted_at, true), 'detail-accepted'],
    ['Ended', s.ended_at ? `${fmtTime(s.ended_at, true)}${s.end_reason ? ' · ' + s.end_reason : ''}` : '–', 'detail-ended'],
    ['Rating', s.rating ? `${'★'.repeat(s.rating.stars)}${s.rating.comment ? ' “' + s.rating.comment + '”' : ''}` : '–', 'detail-rating'],
    ['Recording', recordingText(s), 'detail-recording'],
  ];
  if (s.description) kv.push(['Description', s.description, 'detail-description']);
  $('detail-kv').replaceChildren(...kv.map(([k, v, t]) => el('div', {}, el('dt', {}, k), el('dd', { 'data-testid': t }, v))));
  const ended = s.status === 'Ended';
  $('assign-submit').disabled = ended;
  $('admin-transfer-submit').disabled = s.status !== 'Active';
  $('test-call-start').disabled = ended || !s.agent_id;
  $('test-call-start').title = !s.agent_id ? 'Assign an agent first' : ended ? 'The session has ended' : '';
  loadRecording(s.id);
}

/** The files sent in the session's chat, each with a Download button (the admin token goes in a header). */
async function loadFiles(id) {
  let files;
  try {
    files = (await api.listFiles(id)).files || [];
  } catch (e) {
    if (id !== ui.detailId) return;
    ui.filesKey = null;
    $('detail-files').replaceChildren(el('li', { class: 'hint', 'data-testid': 'files-error' }, `Files: ${authHint(e)}`));
    return;
  }
  if (id !== ui.detailId) return;
  const key = id + JSON.stringify(files);
  if (key === ui.filesKey) return; // unchanged: keep the rows (and a click in progress)
  ui.filesKey = key;
  ui.files = files;
  $('detail-files').replaceChildren(...(files.length ? files.map((f) => {
    const get = el('button', { class: 'btn btn-sm', type: 'button', 'data-testid': 'file-download' }, 'Download');
    get.addEventListener('click', async () => {
      try { saveBlob(await api.fileBlob(id, f.id), f.name); } catch (e) { toast(`Download failed: ${e.message}`); }
    });
    return el('li', { 'data-testid': 'file-row', 'data-file-id': f.id },
      el('span', { class: 'file-name', 'data-testid': 'file-name' }, f.name),
      el('span', { class: 'hint' }, `${fmtSize(f.size)} · ${f.content_type.split(';')[0]} · from ${f.sender} ${f.sender_id} · ${fmtTime(f.created_at, true)}`),
      get);
  }) : [el('li', { class: 'hint', 'data-testid': 'files-empty' }, 'None.')]));
}

/** The detail's and the row's words for a session's recording. */
function recordingText(s) {
  if (s.recording_disabled) return s.recorded ? 'Recorded, then turned off' : 'Turned off';
  return s.recorded ? (s.status === 'Ended' ? 'Recorded' : 'Recording') : 'Not recorded';
}

/** "Stop recording" shows while the session's call is recorded (this server records, and nobody turned it off). */
async function loadRecording(id) {
  try {
    const r = await api.recording(id);
    if (id !== ui.detailId) return;
    ui.recording = r;
    $('detail-stop-recording').hidden = !r.enabled;
  } catch {
    $('detail-stop-recording').hidden = true;
  }
}

$('detail-stop-recording').addEventListener('click', async () => {
  const id = ui.detailId;
  if (!id) return;
  $('detail-stop-recording').disabled = true;
  try {
    ui.recording = await api.setRecording(id, false);
    toast(`Recording of ${id} stopped`);
    setError('recording', null);
  } catch (e) {
    setError('recording', `Stop recording: ${authHint(e)}`);
  } finally {
    $('detail-stop-recording').disabled = false;
  }
  await refreshAll();
});

async function loadLinks(id) {
  try {
    const l = await api.links(id);
    if (id !== ui.detailId) return;
    ui.links = l;
    $('link-customer').value = absolute(l.customer_url);
    $('link-agent').value = absolute(l.agent_url);
    $('open-customer').href = absolute(l.customer_url);
    $('open-agent').href = absolute(l.agent_url);
    $('links-expiry').textContent = l.expires_at ? `Links expire ${fmtTime(l.expires_at, true)}` : '';
    $('links-error').hidden = true;
  } catch (e) {
    $('links-error').textContent = 'Links: ' + authHint(e);
    $('links-error').hidden = false;
    return;
  }
  for (const role of ['customer', 'agent']) {
    const img = $('qr-' + role);
    try {
      const url = await api.qrObjectUrl(id, role);
      if (id !== ui.detailId) return;
      if (img.src.startsWith('blob:')) URL.revokeObjectURL(img.src);
      img.src = url;
    } catch (e) {
      img.removeAttribute('src');
      img.alt = `QR unavailable: ${e.message}`;
    }
  }
}

$('detail-hide').addEventListener('click', () => {
  stopTestCall();
  ui.detailId = null;
  $('session-detail').hidden = true;
  document.querySelectorAll('#sessions-body tr.selected').forEach((tr) => tr.classList.remove('selected'));
});
$('detail-close-session').addEventListener('click', () => ui.detailId && closeSessions([ui.detailId]));

for (const role of ['customer', 'agent']) {
  $('copy-' + role).addEventListener('click', async () => {
    const v = $('link-' + role).value;
    if (!v) return;
    try { await navigator.clipboard.writeText(v); } catch {
      $('link-' + role).select();
      document.execCommand('copy');
    }
    toast(`${role === 'customer' ? 'Customer' : 'Agent'} link copied`);
  });
}

$('assign-agent').addEventListener('change', () => {
  const a = ui.agents.find((x) => x.id === $('assign-agent').value);
  $('assign-agent-id').value = a ? a.id : '';
  $('assign-agent-name').value = a ? a.name || a.id : '';
});
$('assign-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const id = $('assign-agent-id').value.trim() || $('assign-agent').value;
  const a = ui.agents.find((x) => x.id === id);
  const name = $('assign-agent-name').value.trim() || (a && a.name) || id;
  if (!id || !ui.detailId) { toast('Pick or type an agent id'); return; }
  try {
    renderDetail(await api.assign(ui.detailId, id, name));
    toast(`Assigned to ${name}`);
    setError('assign', null);
    loadLinks(ui.detailId);
    refreshAll();
  } catch (err) { setError('assign', 'Assign: ' + authHint(err)); }
});
$('admin-transfer-id').addEventListener('input', () => {
  const a = ui.agents.find((x) => x.id === $('admin-transfer-id').value.trim());
  const name = $('admin-transfer-name');
  if (a && (!name.value || name.dataset.auto === '1')) { name.value = a.name || a.id; name.dataset.auto = '1'; }
});
$('admin-transfer-name').addEventListener('input', () => { $('admin-transfer-name').dataset.auto = '0'; });
$('admin-transfer-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const id = $('admin-transfer-id').value.trim();
  const name = $('admin-transfer-name').value.trim() || id;
  if (!id || !ui.detailId) return;
  try {
    renderDetail(await api.transfer(ui.detailId, id, name));
    toast(`Transferred to ${name}`);
    setError('transfer', null);
    loadLinks(ui.detailId);
    refreshAll();
  } catch (err) { setError('transfer', 'Transfer: ' + authHint(err)); }
});

// ------------------------------------------------------------------ embedded test call
$('test-call-start').addEventListener('click', () => {
  if (!ui.links) { toast('Links are not loaded yet'); return; }
  const auto = $('test-call-autoaccept').checked ? '&autoaccept=1' : '';
  $('test-call-agent').src = absolute(ui.links.agent_url) + auto;
  $('test-call-customer').src = absolute(ui.links.customer_url);
  $('test-call').hidden = false;
  $('test-call-stop').hidden = false;
  $('test-call-start').hidden = true;
});
$('test-call-stop').addEventListener('click', stopTestCall);
function stopTestCall() {
  for (const f of ['test-call-agent', 'test-call-customer']) $(f).src = 'about:blank';
  $('test-call').hidden = true;
  $('test-call-stop').hidden = true;
  $('test-call-start').hidden = false;
}

// ------------------------------------------------------------------ rooms
async function loadRooms() {
  try {
    const d = await api.rooms();
    const rooms = Array.isArray(d) ? d : d.rooms || [];
    ui.rooms = rooms;
    $('rooms-body').replaceChildren(...rooms.map(roomRow));
    $('rooms-empty').hidden = rooms.length > 0;
    setError('rooms', null);
  } catch (e) {
    setError('rooms', 'Rooms: ' + authHint(e));
    throw e;
  }
}
function roomRow(r) {
  const roomId = r.room_id || r.roomId || r.id || '';
  const sessionId = r.session_id || roomId.replace(/^customer-service\//, '');
  const status = r.status || r.session_status || (r.session && r.session.status) || '';
  const parts = r.participants || r.users || [];
  const tr = el('tr', { 'data-testid': 'room-row', 'data-room-id': roomId });
  tr.addEventListener('click', () => sessionId && openDetail(sessionId));
  const media = el('td', { class: 'media-cell' });
  const mediaLines = [];
  for (const p of parts) {
    const m = p.media || p.stats || p.media_stats;
    if (m && typeof m === 'object') mediaLines.push(`${p.user_id}: ${summarize(m)}`);
  }
  // The server reports `media` as one entry per WHIP/WHEP resource of the room.
  if (Array.isArray(r.media)) {
    for (const m of r.media) {
      if (!m || typeof m !== 'object') continue;
      const whip = m.kind === 'whip';
      const pkts = whip ? m.packets_received : m.packets_sent;
      const counts = typeof pkts === 'number' ? `${pkts} pkts ${whip ? 'in' : 'out'}${m.packets_dropped ? `, ${m.packets_dropped} dropped` : ''}` : summarize(m);
      mediaLines.push(`${String(m.kind || 'media').toUpperCase()} ${m.user_id || ''} · ${counts}${m.state && m.state !== 'connected' ? ` · ${m.state}` : ''}`);
    }
  } else if (r.media && typeof r.media === 'object') mediaLines.push(summarize(r.media));
  // The call's quality so far, one line per direction, below the resources.
  const q = r.quality;
  const dir = (name, d) => d ? `${name} MOS ${d.mos} · loss ${d.loss_pct} % · jitter ${d.jitter_ms} ms · RTT ${d.rtt_ms ?? '?'} ms` : null;
  const qualityLines = q && q.mos != null
    ? [dir('customer → agent', q.customer_to_agent), dir('agent → customer', q.agent_to_customer)].filter(Boolean) : [];
  media.replaceChildren(...(mediaLines.length ? mediaLines.map((l) => el('div', { 'data-testid': 'room-media' }, l)) : ['–']),
    ...qualityLines.map((l) => el('div', { class: 'hint', 'data-testid': 'room-quality' }, l)),
    ...(r.monitored_by || []).map((id) => el('div', { class: 'hint', 'data-testid': 'room-monitored-by' }, `monitored by ${id}`)));
  const actions = el('td', { class: 'col-actions' });
  if (status === 'Active' && sessionId) {
    const b = el('button', { class: 'btn btn-sm', type: 'button', 'data-testid': 'room-monitor' },
      monitor.sessionId() === sessionId ? 'Monitoring' : 'Monitor');
    b.addEventListener('click', (e) => { e.stopPropagation(); monitor.open(sessionId); });
    actions.append(b);
  }
  tr.append(
    el('td', { class: 'mono' }, roomId),
    el('td', { class: 'mono' }, sessionId),
    el('td', {}, status ? el('span', { class: 'badge badge-' + status }, status) : '–'),
    el('td', {}, el('div', { class: 'participants' }, ...parts.map((p) => el('span', { class: 'chip', 'data-testid': 'room-participant' },
      p.display_name || p.user_id, el('span', { class: 'role' }, p.role || ''))))),
    media,
    actions,
  );
  return tr;
}
function summarize(obj) {
  const out = [];
  const walk = (o, prefix) => {
    for (const [k, v] of Object.entries(o)) {
      if (out.length >= 6) return;
      if (typeof v === 'number') out.push(`${prefix}${k}=${Number.isInteger(v) ? v : v.toFixed(2)}`);
      else if (v && typeof v === 'object' && !Array.isArray(v)) walk(v, `${prefix}${k}.`);
    }
  };
  walk(obj, '');
  return out.join(' ');
}

// ------------------------------------------------------------------ refresh loop
let refreshing = false;
async function refreshAll() {
  if (refreshing) return;
  refreshing = true;
  const dot = $('refresh-dot');
  dot.classList.add('busy');
  const results = await Promise.allSettled([loadStats(), loadSessions(), loadRooms(), loadAgents(), loadQueue(),
    webhooks.load()]);
  if (ui.detailId && !$('session-detail').hidden) {
    try { renderDetail(await api.getSession(ui.detailId)); } catch { /* reported by openDetail next time */ }
    await loadFiles(ui.detailId);
  }
  const ok = results.every((r) => r.status === 'fulfilled');
  dot.className = 'refresh-dot ' + (ok ? 'ok' : 'err');
  dot.title = `Last refresh ${new Date().toLocaleTimeString()}${ok ? '' : ' (with errors)'}`;
  ui.lastRefresh = Date.now();
  refreshing = false;
}
const webhooks = webhooksPanel({ api, $, el, toast, setError, authHint, fmtTime });
const monitor = monitorPanel({ api, $, el, toast, authHint });
refreshAll();
setInterval(() => { if (!document.hidden) refreshAll(); }, REFRESH_MS);

// ------------------------------------------------------------------ utilities
function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined && v !== null) e.setAttribute(k, v);
  for (const c of children) if (c !== null && c !== undefined) e.append(c);
  return e;
}
function num(n) { return n === undefined || n === null ? '–' : String(n); }
function absolute(u) { try { return new URL(u, location.origin).href; } catch { return u || ''; } }
function fmtTime(iso, full = false) {
  if (!iso) return '–';
  const d = new Date(iso);
  if (isNaN(d)) return iso;
  const today = new Date().toDateString() === d.toDateString();
  return full || !today ? d.toLocaleString() : d.toLocaleTimeString();
}

// Lobby: pick a role, agents sign in (token kept in sessionStorage), enter a session id or paste a link.
import { CsApi } from '../sdk/api.js';
import { $ } from './util.js';

export const AGENT_KEY = 'cskit.agent';

/** The signed-in agent {token, agent_id, agent_name, expires_at} from sessionStorage, or null if none/expired. */
export function storedAgent() {
  try {
    const a = JSON.parse(sessionStorage.getItem(AGENT_KEY) || 'null');
    if (!a || !a.token) return null;
    if (a.expires_at && Date.parse(a.expires_at) < Date.now()) { sessionStorage.removeItem(AGENT_KEY); return null; }
    return a;
  } catch { return null; }
}

export function startLobby(params) {
  const api = new CsApi();
  $('lobby').hidden = false;
  document.title = 'cskit · Customer Service';

  const showError = (msg) => { $('lobby-error').textContent = msg; $('lobby-error').hidden = !msg; };
  const role = () => ($('role-agent').checked ? 'agent' : 'customer');

  function render() {
    const agent = storedAgent();
    const isAgent = role() === 'agent';
    $('lobby-agent').hidden = !isAgent;
    $('lobby-token-field').hidden = isAgent;
    $('login-form').hidden = !!agent;
    $('login-status').hidden = !agent;
    if (agent) $('login-name').textContent = `${agent.agent_name || agent.agent_id} (${agent.agent_id})`;
    $('lobby-join').disabled = isAgent && !agent;
    $('lobby-join').textContent = isAgent && !agent ? 'Sign in to join' : 'Join call';
  }

  if (params.get('role') === 'agent') $('role-agent').checked = true;
  $('role-customer').addEventListener('change', () => { showError(''); render(); });
  $('role-agent').addEventListener('change', () => { showError(''); render(); });

  $('login-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    showError('');
    const id = $('login-agent-id').value.trim();
    const pw = $('login-password').value;
    $('login-submit').disabled = true;
    try {
      const r = await api.login(id, pw);
      sessionStorage.setItem(AGENT_KEY, JSON.stringify({
        token: r.token, agent_id: r.agent_id || id, agent_name: r.agent_name || id, expires_at: r.expires_at || null,
      }));
      $('login-password').value = '';
    } catch (err) {
      showError('Sign-in failed: ' + err.message);
    } finally {
      $('login-submit').disabled = false;
      render();
    }
  });
  $('logout').addEventListener('click', () => { sessionStorage.removeItem(AGENT_KEY); render(); });

  $('join-form').addEventListener('submit', (e) => {
    e.preventDefault();
    showError('');
    let raw = $('lobby-session').value.trim();
    let token = $('lobby-token').value.trim();
    let r = role();
    // A pasted link: take its session, role and token.
    if (/[?&]session=/.test(raw)) {
      try {
        const u = new URL(raw, location.href);
        raw = u.searchParams.get('session') || '';
        token = u.searchParams.get('token') || token;
        if (u.searchParams.get('role')) r = u.searchParams.get('role');
      } catch { /* fall through to validation */ }
    }
    if (!/^[A-Za-z0-9_.:-]{1,128}$/.test(raw)) { showError('Enter a session id such as cs_abc123, or paste the whole call link.'); return; }
    const q = new URLSearchParams({ session: raw, role: r });
    if (r === 'agent') {
      const agent = storedAgent();
      if (!token && !agent) { showError('Sign in as an agent first (or paste your agent link).'); return; }
      q.set('token', token || agent.token);
    } else {
      if (!token) { showError('A customer needs the access token from their link: paste the whole link you received.'); return; }
      q.set('token', token);
    }
    location.href = '/?' + q.toString();
  });

  const s = params.get('s') || '';
  if (s) $('lobby-session').value = s;
  render();
}

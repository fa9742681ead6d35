// The transfer form (an agent's tab): `transfer_call` to the agent entered; for agents, the known agents as
// suggestions, their name filled in while the id is typed.
import { $ } from '../util.js';

export function createTransfer({ cs, room, api, banner }) {
  if (cs.role === 'agent') suggestAgents(api);
  $('transfer-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const id = $('transfer-agent-id').value.trim();
    const name = $('transfer-agent-name').value.trim() || id;
    if (!id) return;
    if (id === cs.userId) { banner('That is you: pick another agent.'); return; }
    room.send('transfer_call', { to_agent_id: id, to_agent_name: name });
  });
}

function suggestAgents(api) {
  api.agents().then((list) => {
    const dl = $('transfer-agents');
    (Array.isArray(list) ? list : list.agents || []).forEach((a) => {
      const o = document.createElement('option');
      o.value = a.id;
      o.label = `${a.name}${a.online ? ' (online)' : ''}`;
      o.dataset.name = a.name;
      dl.appendChild(o);
    });
  }).catch(() => { /* admin-only endpoint: typing the id is fine */ });
  // Suggest the name of a known agent while the id is typed, unless the user edited the name.
  $('transfer-agent-id').addEventListener('input', () => {
    const o = [...$('transfer-agents').options].find((x) => x.value === $('transfer-agent-id').value.trim());
    const name = $('transfer-agent-name');
    if (o && (!name.value || name.dataset.auto === '1')) { name.value = o.dataset.name || ''; name.dataset.auto = '1'; }
  });
  $('transfer-agent-name').addEventListener('input', () => { $('transfer-agent-name').dataset.auto = '0'; });
}

// Admin dashboard panel: webhook deliveries that failed, are dead-lettered or pending, with their last error,
// and a Redeliver button (GET /customer-service/webhooks/deliveries, POST .../deliveries/{id}/redeliver).
// No imports: the pure helpers run under `node --test` too; the panel gets the page's helpers passed in.

/** The list request for a filter: failed (default), dead or pending. */
export function deliveriesPath(status) {
  const s = ['failed', 'dead', 'pending'].includes(status) ? status : 'failed';
  return `/webhooks/deliveries?status=${s}&limit=100`;
}

/** What one row shows of a delivery. */
export function describeDelivery(d) {
  const attempts = Number(d.attempts || 0);
  const tries = `${attempts} attempt${attempts === 1 ? '' : 's'}`;
  let state;
  switch (d.state) {
    case 'dead': state = `dead-lettered after ${tries}`; break;
    case 'retrying': state = `retrying (${tries} so far)`; break;
    case 'in_flight': state = 'being sent'; break;
    default: state = attempts ? `queued (${tries} so far)` : 'queued';
  }
  return {
    type: d.type || '?',
    subject: d.session_id || (d.agent_id ? 'agent ' + d.agent_id : '–'),
    endpoint: shortEndpoint(d.endpoint),
    state,
    error: d.last_error || '–',
    next: d.state === 'retrying' ? d.next_attempt_at : null,
    canRedeliver: d.state === 'dead' || d.state === 'retrying',
  };
}

/** An endpoint URL without its scheme, query or fragment (secrets sometimes hide in a query). */
export function shortEndpoint(url) {
  try {
    const u = new URL(url);
    return u.host + u.pathname;
  } catch {
    return String(url || '–');
  }
}

/**
 * The panel. `ui` is the page's helpers: { api, $, el, toast, setError, authHint, fmtTime }.
 * Returns { load } for the page's refresh loop.
 */
export function webhooksPanel(ui) {
  const { api, $, el } = ui;
  let status = 'failed';
  $('webhooks-filter').addEventListener('change', () => { status = $('webhooks-filter').value; load(); });

  async function load() {
    let data;
    try {
      data = await api.request('GET', deliveriesPath(status));
      ui.setError('webhooks', null);
    } catch (e) {
      ui.setError('webhooks', 'Webhook deliveries: ' + ui.authHint(e));
      throw e;
    }
    const list = data.deliveries || [];
    $('webhooks-count').textContent = String(list.length);
    $('webhooks-body').replaceChildren(...list.map(row));
    $('webhooks-empty').hidden = list.length > 0;
    $('webhooks-empty').textContent = data.enabled === false
      ? 'Webhooks are not configured (customer_service.webhooks).'
      : `No ${status} deliveries.`;
  }

  function row(d) {
    const v = describeDelivery(d);
    const tr = el('tr', { 'data-testid': 'webhook-row', 'data-delivery-id': d.id, 'data-state': d.state });
    const actions = el('td', { class: 'col-actions' });
    if (v.canRedeliver) {
      const b = el('button', { class: 'btn btn-sm', type: 'button', 'data-testid': 'webhook-redeliver' }, 'Redeliver');
      b.addEventListener('click', () => redeliver(d.id, b));
      actions.append(b);
    }
    tr.append(
      el('td', {}, el('div', { class: 'cell-title' }, v.type), el('div', { class: 'cell-sub mono' }, v.subject)),
      el('td', { class: 'mono webhook-endpoint', title: d.endpoint || '' }, v.endpoint),
      el('td', { 'data-testid': 'webhook-state' }, v.state,
        v.next ? el('div', { class: 'cell-sub' }, 'next ' + ui.fmtTime(v.next)) : null),
      el('td', { class: 'webhook-error', 'data-testid': 'webhook-error' }, v.error,
        d.last_attempt_at ? el('div', { class: 'cell-sub' }, ui.fmtTime(d.last_attempt_at)) : null),
      actions);
    return tr;
  }

  async function redeliver(id, button) {
    button.disabled = true;
    try {
      const d = await api.request('POST', `/webhooks/deliveries/${encodeURIComponent(id)}/redeliver`);
      ui.toast(`Delivery ${d.type} sent again`);
    } catch (e) {
      ui.toast('Redeliver failed: ' + ui.authHint(e));
    }
    await load().catch(() => {});
  }

  return { load };
}

// The call page's frame: the banner, the header badge and timer, the waiting overlay, the state of the control
// buttons (drawn from state.js's callView) and the side panel's tabs.
import { $, fmtDuration } from '../util.js';
import { setIcon } from '../icons.js';

export function createView() {
  let bannerTimer = null;
  let activeTab = 'chat';
  const tabListeners = [];

  let standing = null; // {msg, kind} of notice(): shown whenever no other message is

  /**
   * Shows a message above the call (hidden again after 8 s unless sticky); an empty message hides it. A standing
   * notice comes back whenever the message goes.
   */
  function banner(msg, kind = 'error', sticky = false) {
    clearTimeout(bannerTimer);
    if (!msg) { show(standing); return; }
    show({ msg, kind });
    if (!sticky) bannerTimer = setTimeout(() => show(standing), 8000);
  }

  /** A message that stays for the whole page (why the camera cannot be captured); other messages pass over it. */
  function notice(msg, kind = 'error') {
    standing = msg ? { msg, kind } : null;
    banner('');
  }

  function show(m) {
    const b = $('call-banner');
    if (!m) { b.hidden = true; return; }
    b.textContent = m.msg;
    b.className = 'call-banner' + (m.kind === 'info' ? ' info' : '');
    b.hidden = false;
  }

  /** Draws a callView (see state.js) for the call in `state`. */
  function render(state, v) {
    const badge = $('call-state');
    badge.textContent = v.label;
    badge.className = 'badge badge-' + state;
    $('hold-badge').hidden = !v.holdBadge;
    if (v.waitingText !== null) $('waiting-text').textContent = v.waitingText;
    const q = $('queue-position');
    q.hidden = !v.queue;
    if (v.queue) {
      q.dataset.position = v.queue.position;
      q.textContent = v.queue.text;
    }
    $('btn-accept').hidden = v.acceptHidden;
    $('btn-accept').disabled = v.acceptDisabled;
    $('btn-hold').disabled = v.holdDisabled;
    $('btn-transfer').disabled = v.transferDisabled;
    $('transfer-submit').disabled = v.transferDisabled;
    $('btn-hold').querySelector('.ctl-label').textContent = v.holdLabel;
    if ($('btn-hold').querySelector('.ctl-icon').dataset.icon !== v.holdIcon) setIcon($('btn-hold'), v.holdIcon);
    $('btn-hold').classList.toggle('active', v.holdActive);
  }

  function renderTimer(seconds) {
    $('call-timer').textContent = fmtDuration(seconds);
  }

  /** Opens the side panel on a tab (chat, stats, mixer, transfer). */
  function openTab(name) {
    activeTab = name;
    document.querySelectorAll('.side-tab').forEach((t) => t.classList.toggle('active', t.dataset.tab === name));
    document.querySelectorAll('.side-panel').forEach((p) => { p.hidden = p.dataset.panel !== name; });
    $('side').classList.add('open');
    for (const l of tabListeners) l(name);
  }
  /** Calls `listener(name)` whenever a tab is opened. */
  function onTabOpened(listener) { tabListeners.push(listener); }
  const sideOpen = () => $('side').classList.contains('open');
  /** Whether the chat can be seen: its tab is active and the panel is beside the videos or open as a drawer. */
  const chatVisible = () => activeTab === 'chat' && (window.innerWidth > 700 || sideOpen());

  document.querySelectorAll('.side-tab').forEach((t) => t.addEventListener('click', () => openTab(t.dataset.tab)));
  $('btn-transfer').addEventListener('click', () => openTab('transfer'));
  $('btn-mixer').addEventListener('click', () => openTab('mixer'));
  $('btn-chat').addEventListener('click', () => {
    if (sideOpen() && activeTab === 'chat') $('side').classList.remove('open'); else openTab('chat');
  });
  $('side-close').addEventListener('click', () => $('side').classList.remove('open'));

  return { banner, notice, render, renderTimer, openTab, onTabOpened, chatVisible };
}

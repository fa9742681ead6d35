// The chat panel: the message log (window.cskit.chat, written only here), the unread badge and the send form.
import { $ } from '../util.js';

/**
 * `cs` is the page state, `room` the <mb-room>, `visible()` whether the chat can be seen now (messages that
 * arrive unseen count as unread).
 */
export function createChat({ cs, room, banner, visible }) {
  let unread = 0;

  function renderUnread() { $('chat-unread').textContent = String(unread); $('chat-unread').hidden = !unread; }

  /** Appends a message `{mine, who, text, ts, system}` to the log. */
  function add({ mine, who, text, ts, system = false }) {
    const entry = { mine, who, text, ts: ts || Date.now(), system };
    cs.chat.push(entry);
    const log = $('chat-log');
    const el = document.createElement('div');
    el.className = 'chat-msg' + (system ? ' system' : mine ? ' mine' : ' theirs');
    el.dataset.testid = system ? 'chat-system' : 'chat-message';
    if (!system) {
      const w = document.createElement('span');
      w.className = 'who';
      w.textContent = mine ? 'You' : who;
      el.appendChild(w);
    }
    el.appendChild(document.createTextNode(text));
    log.appendChild(el);
    log.scrollTop = log.scrollHeight;
    if (!mine && !system && !visible()) { unread++; renderUnread(); }
  }

  /** A line from the page itself (joined, left, on hold, …). */
  function system(text) { add({ mine: false, who: '', text, system: true }); }

  /** The chat tab was opened: nothing is unread, the input has the focus. */
  function shown() {
    unread = 0;
    renderUnread();
    $('chat-input').focus({ preventScroll: true });
  }

  room.addEventListener('chat', (e) => {
    add({ mine: false, who: e.detail.display_name || e.detail.user_id, text: e.detail.text, ts: e.detail.ts });
  });
  $('chat-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const text = $('chat-input').value.trim();
    if (!text) return;
    if (!room.chat(text)) { banner('Not connected: message not sent.'); return; }
    add({ mine: true, who: 'You', text });
    $('chat-input').value = '';
  });

  return { add, system, shown };
}

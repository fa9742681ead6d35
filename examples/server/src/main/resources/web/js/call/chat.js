// The chat panel: the message log (window.cskit.chat, written only here), the unread badge, the send form and
// files: the attach button uploads to the session, and a message with a file offers it for download.
import { $, fmtSize, saveBlob } from '../util.js';
import { icon } from '../icons.js';

/**
 * `cs` is the page state, `room` the <mb-room>, `api` the CsApi with the party's token, `visible()` whether the chat
 * can be seen now (messages that arrive unseen count as unread).
 */
export function createChat({ cs, room, api, banner, visible }) {
  let unread = 0;

  function renderUnread() { $('chat-unread').textContent = String(unread); $('chat-unread').hidden = !unread; }

  /** A button that downloads `file` ({id, name, size, content_type}) with this page's token. */
  function fileButton(file) {
    const b = document.createElement('button');
    b.type = 'button';
    b.className = 'chat-file';
    b.dataset.testid = 'chat-file-link';
    b.dataset.fileId = file.id;
    b.title = `Download ${file.name}`;
    b.innerHTML = icon('clip', 14);
    b.append(` ${file.name} (${fmtSize(file.size)})`);
    b.addEventListener('click', async () => {
      try {
        saveBlob(await api.fileBlob(cs.sessionId, file.id), file.name);
      } catch (e) {
        banner(`Download failed: ${e.message}`, 'error');
      }
    });
    return b;
  }

  /** Appends a message `{mine, who, text, ts, system, file}` to the log; `file` replaces the text with a link. */
  function add({ mine, who, text, ts, system = false, file = null }) {
    const entry = { mine, who, text, ts: ts || Date.now(), system, file };
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
    el.appendChild(file ? fileButton(file) : document.createTextNode(text));
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
    const d = e.detail;
    const file = d.file && typeof d.file === 'object' && d.file.id ? d.file : null;
    add({ mine: false, who: d.display_name || d.user_id, text: d.text, ts: d.ts, file });
  });
  $('chat-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const text = $('chat-input').value.trim();
    if (!text) return;
    if (!room.chat(text)) { banner('Not connected: message not sent.'); return; }
    add({ mine: true, who: 'You', text });
    $('chat-input').value = '';
  });

  // Files: sent over HTTP (not the room socket), checked by the server, announced by it to the other party.
  $('chat-attach').addEventListener('click', () => $('chat-file').click());
  $('chat-file').addEventListener('change', async () => {
    const picked = [...$('chat-file').files];
    $('chat-file').value = '';
    for (const f of picked) {
      $('chat-attach').disabled = true;
      $('chat-attach').dataset.busy = '1';
      try {
        const sent = await api.uploadFile(cs.sessionId, f);
        add({ mine: true, who: 'You', text: `sent a file: ${sent.name} (${fmtSize(sent.size)})`, file: sent });
      } catch (err) {
        banner(`${f.name} was not sent: ${err.message}`, 'error');
      } finally {
        $('chat-attach').disabled = false;
        delete $('chat-attach').dataset.busy;
      }
    }
  });

  return { add, system, shown };
}

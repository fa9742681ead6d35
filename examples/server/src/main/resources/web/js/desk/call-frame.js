// The accepted call, over the desk in this tab: the call page in #desk-call-frame (an iframe, so the desk keeps
// its seat and the agent stays checked in while talking; the server moves it busy → wrap_up → ready by
// itself), closed when the call page posts `cskit-call-done`. Writes window.cskitDesk.call.
import { $ } from '../util.js';
import { callPageUrl } from './state.js';

/** `onOpened()` and `onClosed()` run after the frame opened or closed. */
export function createCallFrame({ desk, token, log, onOpened, onClosed }) {
  function open(sessionId, media) {
    desk.call = { session_id: sessionId, media, opened: Date.now() };
    $('desk-call-frame').src = callPageUrl({ sessionId, token, media });
    $('desk-call').hidden = false;
    onOpened();
  }

  function close() {
    if (!desk.call) return;
    log(`Call ${desk.call.session_id} ended`);
    desk.call = null;
    $('desk-call-frame').src = 'about:blank';
    $('desk-call').hidden = true;
    onClosed();
  }

  window.addEventListener('message', (e) => {
    if (e.origin !== location.origin || !e.data || e.data.type !== 'cskit-call-done') return;
    if (desk.call && e.data.session_id === desk.call.session_id) close();
  });

  return { open };
}

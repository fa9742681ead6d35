// The end of the call: the ended view (duration, why), the customer's rating form (window.cskit.rating), and
// for a call opened by the agent desk the way back to it, by itself after 3 s (in the desk's iframe a
// `cskit-call-done` message to the desk; top-level a navigation to /desk.html).
import { $, fmtDuration } from '../util.js';
import { endedTexts } from './state.js';

const BACK_TO_DESK_MS = 3000;

export function createEndedView({ cs, opts, api }) {
  const { role, sessionId, token, fromDesk } = opts;
  let stars = 0;
  let deskTimer = null;

  document.querySelectorAll('#rating-stars .star').forEach((b) => {
    b.addEventListener('click', () => {
      stars = Number(b.dataset.stars);
      document.querySelectorAll('#rating-stars .star').forEach((x) => x.classList.toggle('on', Number(x.dataset.stars) <= stars));
      $('rating-submit').disabled = false;
    });
  });
  $('rating-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    if (!stars) return;
    $('rating-submit').disabled = true;
    $('rating-error').hidden = true;
    try {
      const comment = $('rating-comment').value.trim();
      await api.rate(sessionId, stars, comment, token);
      cs.rating = { stars, comment };
      $('rating-form').hidden = true;
      $('rating-thanks').hidden = false;
    } catch (err) {
      $('rating-error').textContent = 'Could not send your rating: ' + err.message;
      $('rating-error').hidden = false;
      $('rating-submit').disabled = false;
    }
  });

  function returnToDesk() {
    clearTimeout(deskTimer);
    if (window.parent !== window) window.parent.postMessage({ type: 'cskit-call-done', session_id: sessionId }, location.origin);
    else location.href = '/desk.html';
  }
  if (fromDesk) {
    $('ended-back').textContent = 'Back to desk';
    $('ended-back').href = '/desk.html';
    $('ended-back').addEventListener('click', (e) => { e.preventDefault(); returnToDesk(); });
  }

  /** Shows the ended view for a call that lasted `duration` seconds. */
  function show({ reason, duration, transferredTo }) {
    const texts = endedTexts({ reason, transferredTo, role });
    $('ended-duration').textContent = fmtDuration(duration);
    $('ended-title').textContent = texts.title;
    $('ended-reason').textContent = texts.reason;
    $('ended-view').hidden = false;
    if (fromDesk && role === 'agent') {
      clearTimeout(deskTimer);
      deskTimer = setTimeout(returnToDesk, BACK_TO_DESK_MS);
    }
    const rated = cs.session && cs.session.rating;
    if (role === 'customer' && !transferredTo) {
      if (rated) { $('rating-thanks').hidden = false; $('rating-thanks').textContent = `You rated this call ${rated.stars}★. Thank you!`; }
      else $('rating-form').hidden = false;
    }
  }

  return { show };
}

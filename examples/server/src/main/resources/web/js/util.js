// Helpers shared by the call page, the lobby, the agent desk and the admin dashboard. Importing this module
// touches no DOM (Node's test runner imports it); only `$` needs a document, when it is called.

/** The element with this id. */
export const $ = (id) => document.getElementById(id);

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Seconds as `mm:ss`, or `h:mm:ss` from one hour; negative, missing or non-numeric input counts as 0. */
export function fmtDuration(sec) {
  sec = Math.max(0, Math.floor(Number(sec) || 0));
  const h = Math.floor(sec / 3600), m = Math.floor((sec % 3600) / 60), s = sec % 60;
  const mm = String(m).padStart(2, '0'), ss = String(s).padStart(2, '0');
  return h ? `${h}:${mm}:${ss}` : `${mm}:${ss}`;
}

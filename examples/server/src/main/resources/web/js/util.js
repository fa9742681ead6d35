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

/** Bytes as a file manager shows them, in powers of 1000 like the server's chat line: `812 B`, `1.2 KB`, `34 MB`. */
export function fmtSize(bytes) {
  let v = Math.max(0, Math.floor(Number(bytes) || 0));
  if (v < 1000) return `${v} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let u = -1;
  while (v >= 1000 && u < units.length - 1) { v /= 1000; u++; }
  return `${v < 10 ? v.toFixed(1) : Math.round(v)} ${units[u]}`;
}

/** Offers a Blob for download under `name` (the browser's save dialog or downloads bar). Needs a document. */
export function saveBlob(blob, name) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name || 'file';
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

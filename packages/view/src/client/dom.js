// DOM building without HTML strings: every piece of text, model output above all, goes in as a text node, so a
// reply holding <script> or an onerror attribute is shown, never run. Nothing here assigns innerHTML.

/** @typedef {Node | string | number | null | undefined | false} Child */

/**
 * A link target the app makes itself: an in-app route (#...) or a run file (/files/...); anything else is dropped.
 * @param {string} href
 */
export function safeHref(href) {
  return href.startsWith('#/') || href.startsWith('/files/') ? href : '#/';
}

/**
 * Creates an element. Attribute names come from this app's code; values are set as attributes (text), `on*` values
 * as listeners.
 * @param {string} tag
 * @param {Record<string, string | ((e: Event) => void)>} [attrs]
 * @param {...Child} children
 * @returns {HTMLElement}
 */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (typeof value === 'function') node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, name === 'href' ? safeHref(value) : value);
  }
  for (const c of children) if (c !== null && c !== undefined && c !== false) node.append(typeof c === 'number' ? String(c) : c);
  return node;
}

/** @param {number | null | undefined} x */
export const f3 = (x) => (typeof x === 'number' && Number.isFinite(x) ? x.toFixed(3) : '–');

/** @param {number} x */
export const signed = (x) => `${x > 0 ? '+' : x < 0 ? '−' : ''}${Math.abs(x).toFixed(3)}`;

/**
 * A score with its interval, as a table cell's content.
 * @param {{ value: number, lower: number | null, upper: number | null } | undefined} s
 */
export function scoreWithCi(s) {
  if (!s) return el('span', { class: 'muted' }, '–');
  return el('span', {}, f3(s.value), s.lower !== null && s.upper !== null ? el('span', { class: 'ci' }, ` [${f3(s.lower)}, ${f3(s.upper)}]`) : el('span', { class: 'ci' }, ' partial'));
}

/** @param {string} status */
export const statusBadge = (status) => el('span', { class: `badge ${status}` }, status);

/** @param {string} iso */
export const when = (iso) => (iso ? new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' }) : '–');

/**
 * Fetches JSON from the dashboard's API.
 * @param {string} url
 * @returns {Promise<any>}
 */
export async function getJson(url) {
  const res = await fetch(url);
  const body = await res.json().catch(() => ({ error: res.statusText }));
  if (!res.ok) throw new Error(`${res.status}: ${body.error ?? res.statusText}`);
  return body;
}

/** @param {string} id */
export const runHref = (id) => `#/run/${encodeURIComponent(id)}`;

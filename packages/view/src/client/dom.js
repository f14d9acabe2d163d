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

/**
 * A layer type as a coloured label (the plots' colours): Gated DeltaNet (linear attention) or full attention.
 * @param {string | null} type
 */
export const layerTypeLabel = (type) => el('span', { class: `lt ${type === 'linear_attention' || type === 'full_attention' ? type : ''}`, title: type ?? '' },
  type === 'linear_attention' ? 'Gated DeltaNet' : type === 'full_attention' ? 'full attention' : (type ?? 'output'));

/**
 * A p-value: three significant digits, small ones in exponent form.
 * @param {number | null | undefined} p
 */
export const pValue = (p) => (typeof p !== 'number' || !Number.isFinite(p) ? '–' : p < 0.001 ? p.toExponential(1) : p.toFixed(3));

/**
 * A simple table: header cells and rows of cells (a cell is a child, or `[child, attrs]` for a cell with attributes).
 * @param {Record<string, string>} attrs
 * @param {readonly string[]} head
 * @param {readonly { cells: readonly (Child | [Child, Record<string, string>])[], attrs?: Record<string, string> }[]} rows
 */
export function table(attrs, head, rows) {
  return el('table', attrs,
    el('thead', {}, el('tr', {}, ...head.map((h) => el('th', {}, h)))),
    el('tbody', {}, ...rows.map((r) => el('tr', r.attrs ?? {}, ...r.cells.map((c) => (Array.isArray(c) ? el('td', c[1], c[0]) : el('td', {}, c)))))));
}

/**
 * A numeric cell for `table`.
 * @param {Child} x
 * @returns {[Child, Record<string, string>]}
 */
export const numCell = (x) => [x, { class: 'num' }];

/**
 * A number with 3 significant digits (exponent form when tiny or huge), for signals whose scale varies.
 * @param {number | null | undefined} x
 */
export const g3 = (x) => (typeof x !== 'number' || !Number.isFinite(x) ? '–' : x !== 0 && (Math.abs(x) < 1e-3 || Math.abs(x) >= 1e5) ? x.toExponential(2) : String(Number(x.toPrecision(3))));

/** @param {number} x */
export const signedG3 = (x) => `${x > 0 ? '+' : x < 0 ? '−' : ''}${g3(Math.abs(x))}`;

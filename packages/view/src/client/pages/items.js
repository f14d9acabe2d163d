// Item drill-down, the list: every journaled item of a run, filtered by dimension, task, outcome and confidence;
// the filters live in the URL so a filtered view can be shared. Replies are shown as text.
import { el, f3, getJson, runHref } from '../dom.js';

/** @typedef {import('../../item-details.js').ItemView} ItemView */
/** @typedef {{ id: string, model: string, items: ItemView[], note: string | null }} ItemsAnswer */

/** @type {Map<string, Promise<ItemsAnswer>>} */
const cache = new Map();

/**
 * The items of a run (fetched once per page load).
 * @param {string} id
 * @returns {Promise<ItemsAnswer>}
 */
export function runItems(id) {
  let hit = cache.get(id);
  if (!hit) {
    hit = getJson(`/api/items?id=${encodeURIComponent(id)}`);
    hit.catch(() => cache.delete(id));
    cache.set(id, hit);
  }
  return hit;
}

/** @param {ItemView} i */
export const outcome = (i) => (i.score === null ? 'unscored' : i.score >= 1 ? 'pass' : i.score <= 0 ? 'fail' : 'partial');

/**
 * @param {HTMLElement} view
 * @param {string} id
 * @param {URLSearchParams} query
 */
export async function itemsPage(view, id, query) {
  const { model, items, note } = await runItems(id);
  const f = { dimension: query.get('dimension') ?? '', task: query.get('task') ?? '', outcome: query.get('outcome') ?? '', min: query.get('min') ?? '', max: query.get('max') ?? '' };
  const min = f.min === '' ? -Infinity : Number(f.min);
  const max = f.max === '' ? Infinity : Number(f.max);
  const shown = items.filter((i) => (!f.dimension || i.dimension === f.dimension) && (!f.task || i.taskId === f.task) && (!f.outcome || outcome(i) === f.outcome)
    && (f.min === '' && f.max === '' ? true : i.confidence !== null && i.confidence >= min && i.confidence <= max));
  /** @param {string} name @param {string[]} options */
  const choose = (name, options) => {
    const s = /** @type {HTMLSelectElement} */ (el('select', { name }, el('option', { value: '' }, 'all'), ...options.map((o) => el('option', { value: o }, o))));
    s.value = /** @type {Record<string, string>} */ (f)[name] ?? '';
    return s;
  };
  const form = /** @type {HTMLFormElement} */ (el('form', { class: 'filters', id: 'filters' },
    el('label', {}, 'dimension', choose('dimension', [...new Set(items.map((i) => i.dimension))].sort())),
    el('label', {}, 'task', choose('task', [...new Set(items.filter((i) => !f.dimension || i.dimension === f.dimension).map((i) => i.taskId))].sort())),
    el('label', {}, 'outcome', choose('outcome', ['pass', 'fail', 'partial', 'unscored'])),
    el('label', {}, 'confidence ≥', el('input', { name: 'min', type: 'number', step: '0.05', min: '0', max: '1', value: f.min, size: '5' })),
    el('label', {}, 'confidence ≤', el('input', { name: 'max', type: 'number', step: '0.05', min: '0', max: '1', value: f.max, size: '5' })),
  ));
  form.addEventListener('change', () => {
    const q = new URLSearchParams();
    for (const [k, v] of new FormData(form)) if (typeof v === 'string' && v !== '') q.set(k, v);
    location.hash = `#/items/${encodeURIComponent(id)}${q.size > 0 ? `?${q}` : ''}`;
  });
  form.addEventListener('submit', (e) => e.preventDefault());
  const LIMIT = 500;
  view.append(
    el('h1', {}, 'Items of ', el('a', { href: runHref(id) }, id)), el('p', { class: 'muted' }, `${model}: ${shown.length} of ${items.length} items match${shown.length > LIMIT ? ` (first ${LIMIT} shown)` : ''}`),
    ...(note ? [el('p', { class: 'muted' }, note)] : []),
    form,
    el('table', { id: 'items' },
      el('thead', {}, el('tr', {}, ...['item', 'task', 'outcome', 'score', 'confidence', 'scorer', 'reply'].map((h) => el('th', {}, h)))),
      el('tbody', {}, ...shown.slice(0, LIMIT).map((i) => el('tr', { 'data-key': i.key },
        el('td', {}, el('a', { href: `#/item/${encodeURIComponent(id)}/${encodeURIComponent(i.key)}` }, i.itemId)),
        el('td', {}, i.taskId), el('td', { class: outcome(i) === 'pass' ? 'helped' : outcome(i) === 'fail' ? 'hurt' : 'nde' }, outcome(i)),
        el('td', { class: 'num' }, i.score === null ? '–' : String(i.score)), el('td', { class: 'num' }, f3(i.confidence)), el('td', {}, i.scorer),
        el('td', { class: 'reply-cell', title: i.reply.slice(0, 500) }, i.reply.slice(0, 160)),
      )))),
  );
}

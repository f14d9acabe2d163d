// Item drill-down, one item: the prompt, the model's reply and the gold answer as text, with how it was scored, and
// the item's white-box signals when the run recorded them.
import { el, f3, runHref } from '../dom.js';
import { itemSignals } from './item-signals.js';
import { outcome, runItems } from './items.js';

/** @param {unknown} v */
const show = (v) => (v === null || v === undefined ? '–' : typeof v === 'string' ? v : JSON.stringify(v, null, 1));

/**
 * @param {HTMLElement} view
 * @param {string} id
 * @param {string} key
 */
export async function itemPage(view, id, key) {
  const { items } = await runItems(id);
  const k = items.findIndex((i) => i.key === key);
  const item = items[k];
  if (!item) throw new Error(`run ${id} has no item ${key}`);
  const link = (/** @type {number} */ j, /** @type {string} */ label) => { const other = items[j]; return other ? el('a', { href: `#/item/${encodeURIComponent(id)}/${encodeURIComponent(other.key)}` }, label) : el('span', { class: 'muted' }, label); };
  view.append(
    el('p', {}, el('a', { href: runHref(id) }, id), ' › ', el('a', { href: `#/items/${encodeURIComponent(id)}?task=${encodeURIComponent(item.taskId)}` }, item.taskId), ' › ', item.itemId,
      el('span', { class: 'muted' }, '   '), link(k - 1, '← previous'), ' · ', link(k + 1, 'next →')),
    el('h1', {}, item.itemId, ' ', el('span', { class: `badge ${outcome(item) === 'pass' ? 'complete' : outcome(item) === 'fail' ? 'stopped' : ''}` }, outcome(item))),
    el('div', { class: 'card' }, el('dl', { class: 'facts', id: 'facts' },
      ...[['dimension', item.dimension], ['task', item.taskId], ['cluster', item.cluster], ['mode', item.mode], ['scorer', item.scorer], ['score', show(item.score)],
        ['confidence', f3(item.confidence)], ['extracted answer', show(item.extracted)], ['gold', show(item.gold)], ['tokens', `${item.tokens.prompt} prompt, ${item.tokens.completion} completion`],
        ['model', item.modelId], ['dataset version', item.datasetVersion], ['seed', String(item.seed)]].flatMap(([t, d]) => [el('dt', {}, t), el('dd', { 'data-field': t ?? '' }, d)]))),
    el('h2', {}, 'Prompt'), el('pre', { class: 'text', id: 'prompt' }, item.prompt ?? '(not available: the run\'s dataset could not be loaded)'),
    ...(item.options ? [el('h2', {}, 'Options'), el('ol', {}, ...item.options.map((o) => el('li', {}, o)))] : []),
    el('h2', {}, 'Reply'), el('pre', { class: 'text', id: 'reply' }, item.reply),
  );
  view.append(...await itemSignals(id, key));
}

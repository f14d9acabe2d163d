// The item page's white-box signals (from the run's signals.arrow, read on the server): the output signals, and the
// per-layer signals as a table (a row per layer, labelled by layer type) and as small plots by layer.
import { chartCard } from '../chart.js';
import { el, g3, getJson, layerTypeLabel, numCell, table } from '../dom.js';

/** @typedef {import('../../item-signals.js').ItemSignals} ItemSignals */


/**
 * The section, or a muted note when the run has no signals for the item.
 * @param {string} id run id
 * @param {string} key item key
 * @returns {Promise<HTMLElement[]>}
 */
export async function itemSignals(id, key) {
  const head = el('h2', {}, 'White-box signals');
  /** @type {{ signals: ItemSignals | null, note: string | null, chart: object | null }} */
  let r;
  try {
    r = await getJson(`/api/item-signals?id=${encodeURIComponent(id)}&key=${encodeURIComponent(key)}`);
  } catch (e) {
    // The item itself is shown; only its signals are missing.
    return [head, el('p', { class: 'error', id: 'signals-note' }, `signals could not be loaded: ${e instanceof Error ? e.message : String(e)}`)];
  }
  if (!r.signals) return [head, el('p', { class: 'muted', id: 'signals-note' }, r.note ?? 'No signals.')];
  const s = r.signals;
  const names = [...new Set(s.layers.map((l) => l.signal))];
  const layers = [...new Set(s.layers.map((l) => l.layer))];
  const cell = new Map(s.layers.map((l) => [`${l.layer}|${l.signal}`, l]));
  const perHead = new Set(s.layers.filter((l) => l.heads > 0).map((l) => l.signal));
  return [head,
    el('p', { class: 'muted' }, `From signals.arrow; this item is in the ${s.group ?? 'unlabelled'} group of the failed-vs-passed comparison.`),
    el('h3', {}, 'Output'),
    table({ id: 'output-signals' }, ['signal', 'value', 'what it is'], s.output.map((o) => ({ attrs: { 'data-signal': o.signal }, cells: [o.signal, numCell(g3(o.value)), el('span', { class: 'muted' }, o.description ?? '')] }))),
    ...(layers.length > 0 ? [
      el('h3', {}, 'By layer'),
      el('p', { class: 'muted' }, perHead.size > 0 ? `Per-head signals (${[...perHead].join(', ')}) are the mean over the layer's heads.` : ''),
      table({ id: 'layer-signals' }, ['layer', 'type', ...names], layers.map((layer) => {
        const type = s.layers.find((l) => l.layer === layer)?.layerType ?? null;
        return { attrs: { 'data-layer': String(layer), 'data-layer-type': type ?? '' }, cells: [layer, layerTypeLabel(type), ...names.map((n) => numCell(cell.has(`${layer}|${n}`) ? g3(cell.get(`${layer}|${n}`)?.value) : '–'))] };
      })),
      chartCard(r.chart, 'No per-layer signals.'),
    ] : [])];
}

// The runs list: one row per run folder, newest first, with headline scores; runs still profiling show their
// progress, and the page refreshes itself while any run is running.
import { el, getJson, runHref, scoreWithCi, statusBadge, when } from '../dom.js';

/** @typedef {import('../../run-index.js').RunSummary} RunSummary */

/**
 * @param {HTMLElement} view
 * @returns {Promise<{ refreshMs?: number }>}
 */
export async function runsPage(view) {
  /** @type {{ runsDir: string, runs: RunSummary[] }} */
  const { runsDir, runs } = await getJson('/api/runs');
  const where = document.getElementById('where');
  if (where) where.textContent = runsDir;
  view.append(el('h1', {}, 'Runs'), el('p', { class: 'muted' }, `${runs.length} run folder${runs.length === 1 ? '' : 's'} in ${runsDir}`));
  if (runs.length === 0) {
    view.append(el('div', { class: 'card' }, 'No runs yet. Make one with ', el('code', {}, 'trustbench loop --model <dir> --out runs/<name>'), ' or ', el('code', {}, 'npm run demo'), '.'));
    return {};
  }
  const dims = [...new Set(runs.flatMap((r) => r.dimensions))].sort();
  const progress = (/** @type {RunSummary} */ r) => (r.status === 'complete' || r.expectedItems === null ? `${r.items}` : `${r.items} / ~${r.expectedItems}`);
  view.append(el('table', { id: 'runs' },
    el('thead', {}, el('tr', {}, ...['run', 'model', 'created', 'status', 'items', ...dims].map((h) => el('th', {}, h)))),
    el('tbody', {}, ...runs.map((r) => el('tr', { 'data-run': r.id },
      el('td', {}, el('a', { href: runHref(r.id) }, r.id)),
      el('td', {}, r.model),
      el('td', { class: 'num' }, when(r.createdAt)),
      el('td', {}, statusBadge(r.status), r.error ? el('div', { class: 'error' }, r.error) : null),
      el('td', { class: 'num' }, progress(r)),
      ...dims.map((d) => el('td', { class: 'num' }, scoreWithCi(r.scores[d]))),
    )))));
  view.append(el('p', { class: 'muted' }, 'Scores: share of items with the trustworthy outcome, with 95% bootstrap intervals; runs without a report show partial means.'));
  return runs.some((r) => r.status === 'running') ? { refreshMs: 3000 } : {};
}

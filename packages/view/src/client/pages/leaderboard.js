// The leaderboard: runs side by side, sortable by any column; with a baseline chosen, each cell also shows the paired
// difference from the baseline over shared items with its 95% CI, and the verdict that CI allows.
import { el, f3, getJson, runHref, scoreWithCi, signed, statusBadge } from '../dom.js';

/** @typedef {import('../../leaderboard.js').Leaderboard} Leaderboard */
/** @typedef {import('../../leaderboard.js').LeaderboardRow} Row */

/**
 * @param {HTMLElement} view
 * @param {URLSearchParams} query
 */
export async function leaderboardPage(view, query) {
  const baseline = query.get('baseline') ?? '';
  /** @type {Leaderboard} */
  const board = await getJson(`/api/leaderboard?baseline=${encodeURIComponent(baseline)}`);
  let sortKey = query.get('sort') ?? 'mean';
  let descending = query.get('dir') !== 'asc';
  const select = /** @type {HTMLSelectElement} */ (el('select', { id: 'baseline', onchange: () => { location.hash = `#/leaderboard?baseline=${encodeURIComponent(select.value)}`; } },
    el('option', { value: '' }, 'none'), ...board.rows.map((r) => el('option', { value: r.id }, `${r.id} (${r.model})`))));
  select.value = board.baseline ?? '';
  view.append(el('h1', {}, 'Leaderboard'), el('p', {}, el('label', {}, 'Baseline: ', select), el('span', { class: 'muted' }, '  Δ = run − baseline over the items both ran (paired clustered bootstrap, 95% CI).')));
  const table = el('table', { id: 'leaderboard' });
  view.append(table);

  /** @param {Row} r @param {string} key */
  const value = (r, key) => (key === 'mean' ? r.mean : key === 'run' ? r.id : key === 'model' ? r.model : (r.scores[key]?.value ?? null));
  const draw = () => {
    const rows = [...board.rows].sort((a, b) => {
      const x = value(a, sortKey);
      const y = value(b, sortKey);
      if (x === y) return 0;
      if (x === null) return 1;
      if (y === null) return -1;
      return (x < y ? -1 : 1) * (descending ? -1 : 1);
    });
    const header = (/** @type {string} */ key, /** @type {string} */ label) => el('th', { class: 'sortable', 'data-sort': key, onclick: () => { descending = sortKey === key ? !descending : true; sortKey = key; draw(); } }, label, sortKey === key ? (descending ? ' ▼' : ' ▲') : '');
    table.replaceChildren(
      el('thead', {}, el('tr', {}, header('run', 'run'), header('model', 'model'), el('th', {}, 'status'), header('mean', 'mean'), ...board.dimensions.map((d) => header(d, d)))),
      el('tbody', {}, ...rows.map((r) => el('tr', { 'data-run': r.id },
        el('td', {}, el('a', { href: runHref(r.id) }, r.id), r.id === board.baseline ? el('span', { class: 'badge' }, ' baseline') : null),
        el('td', {}, r.model),
        el('td', {}, statusBadge(r.status)),
        el('td', { class: 'num' }, f3(r.mean)),
        ...board.dimensions.map((d) => {
          const delta = r.deltas?.[d];
          return el('td', { class: 'num' }, scoreWithCi(r.scores[d]), delta ? el('div', { class: delta.verdict === 'helped' ? 'helped' : delta.verdict === 'hurt' ? 'hurt' : 'nde', title: `${delta.verdict}, ${delta.pairs} paired items, Holm p ${f3(delta.holmPValue)}` },
            `Δ ${signed(delta.difference.value)}`, el('span', { class: 'ci' }, `[${signed(delta.difference.lower)}, ${signed(delta.difference.upper)}]`)) : null);
        }),
      ))));
  };
  draw();
}

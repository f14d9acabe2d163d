// One run: what was run, the headline table, and the report's plots (scores with CIs, reliability by dimension and
// after each calibration fix, per-layer probes by layer type, the steering trade-off), then the verification tables
// (run-extras.js) and the cost. A run still profiling shows its partial scores and refreshes itself.
import { chartCard } from '../chart.js';
import { el, f3, getJson, scoreWithCi, signed, statusBadge, when } from '../dom.js';
import { costLine, runExtras } from './run-extras.js';

/** @typedef {import('../../run-page.js').RunPage} RunPage */

/**
 * @param {HTMLElement} view
 * @param {string} id
 * @returns {Promise<{ refreshMs?: number }>}
 */
export async function runPage(view, id) {
  /** @type {RunPage} */
  const page = await getJson(`/api/run?id=${encodeURIComponent(id)}`);
  const { summary: s, manifest: m, charts } = page;
  view.append(
    el('h1', {}, `${s.model}`, ' ', statusBadge(s.status)),
    el('p', { class: 'muted' }, `run ${s.id} · created ${when(s.createdAt)} · ${s.items} items · seed ${m?.seed ?? '–'} · engine ${m?.model.engine ?? '–'}`),
    el('p', {}, el('a', { href: `#/items/${encodeURIComponent(s.id)}`, id: 'items-link' }, `Browse the ${s.items} items →`),
      ...page.files.map((f) => el('span', {}, ' · ', el('a', { href: `/files/${f.split('/').map(encodeURIComponent).join('/')}`, target: '_blank', rel: 'noopener' }, f.split('/').pop() ?? f)))),
  );
  if (s.error) view.append(el('p', { class: 'error' }, s.error));
  for (const w of s.warnings ?? []) view.append(el('p', { class: 'error warning' }, w));
  view.append(el('h2', {}, 'Dimensions'), el('table', { id: 'dimensions' },
    el('thead', {}, el('tr', {}, ...['dimension', 'score [95% CI]', 'scored', 'unscored', 'ECE [95% CI]'].map((h) => el('th', {}, h)))),
    el('tbody', {}, ...(page.report
      ? page.report.dimensions.map((d) => el('tr', {}, el('td', {}, d.dimension), el('td', { class: 'num' }, scoreWithCi(d.score ?? undefined)), el('td', { class: 'num' }, d.scoredItems), el('td', { class: 'num' }, d.unscoredItems),
        el('td', { class: 'num' }, d.calibration ? scoreWithCi(d.calibration.ece) : '–')))
      : s.dimensions.map((d) => el('tr', {}, el('td', {}, d), el('td', { class: 'num' }, scoreWithCi(s.scores[d])), el('td', { class: 'num' }, s.scores[d]?.n ?? 0), el('td', {}, ''), el('td', {}, '')))))));
  if (!page.report) {
    view.append(el('p', { class: 'muted' }, s.status === 'running' ? 'Profiling is in progress: partial scores, no report yet. This page refreshes itself.' : 'No report.json: the run stopped before its report (continue it with --resume, or write it with trustbench report).'));
    return s.status === 'running' ? { refreshMs: 3000 } : {};
  }
  view.append(...costLine(page.report));
  view.append(el('h2', {}, 'Scores'), chartCard(charts.scores, 'No scored items.'));
  view.append(el('h2', {}, 'Calibration'), el('div', { class: 'grid' },
    chartCard(charts.reliability, 'No dimension has items with both a confidence and a right answer.'),
    chartCard(charts.fixes, 'No calibration fix was fitted (it needs at least 20 items with a confidence and a right answer).')));
  if (page.fixes.length > 0) {
    view.append(el('table', { id: 'fixes' },
      el('thead', {}, el('tr', {}, ...['fix', 'verdict', 'held-out ECE before → after', 'ECE Δ [95% CI]', 'Brier Δ [95% CI]', 'MDE', 'fit / held-out'].map((h) => el('th', {}, h)))),
      el('tbody', {}, ...page.fixes.map((f) => el('tr', {}, el('td', {}, f.method), el('td', { class: f.verdict === 'helped' ? 'helped' : f.verdict === 'hurt' ? 'hurt' : 'nde' }, f.verdict),
        el('td', { class: 'num' }, `${f3(f.ece.before.value)} → ${f3(f.ece.after.value)}`),
        el('td', { class: 'num' }, `${signed(f.ece.difference.value)} [${signed(f.ece.difference.lower)}, ${signed(f.ece.difference.upper)}]`),
        el('td', { class: 'num' }, `${signed(f.brier.difference.value)} [${signed(f.brier.difference.lower)}, ${signed(f.brier.difference.upper)}]`),
        el('td', { class: 'num' }, f3(f.minimumDetectableEffect)), el('td', { class: 'num' }, `${f.fitItems} / ${f.heldOutItems}`))))));
  }
  if (page.suggestions.length > 0) view.append(el('ul', {}, ...page.suggestions.map((x) => el('li', {}, el('b', {}, x.fix), ` for ${x.dimension}: ${x.evidence}`))));
  view.append(el('h2', {}, 'Per-layer diagnosis'), chartCard(charts.layers, 'This report has no per-layer diagnosis (layers).'));
  const st = page.report.steering;
  view.append(el('h2', {}, 'Steering'), chartCard(charts.steering, 'This report has no steering result (steering).'));
  if (st) view.append(el('p', { id: 'steering-summary' }, `Chosen: ${st.taskId ? `${st.taskId} (${st.dimension})` : st.dimension} at layer ${st.layer} (${st.layerType}), alpha ${Number(st.alpha.toPrecision(4))}: `, el('b', {}, st.verdict)));
  view.append(...runExtras(page.report));
  return {};
}

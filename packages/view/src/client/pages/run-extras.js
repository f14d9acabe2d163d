// The run page's verification tables, each shown only when the report has it: signals of failed vs passed items by
// layer type, where failures arise, the steering fixes (target and side-effect matrix), critique-and-revise,
// run-to-run consistency, and cost. Every string from the report goes in as text.
import { el, f3, g3, layerTypeLabel, numCell, pValue, signed, signedG3, table } from '../dom.js';

/** @typedef {import('../../run-page.js').RunPage} RunPage */
/** @typedef {NonNullable<RunPage['report']>} Report */
/** @typedef {import('../../report-extras.js').DimensionComparison} DimensionComparison */

/** @param {string} verdict */
const verdictCell = (verdict) => /** @type {[string, Record<string, string>]} */ ([verdict, { class: verdict === 'helped' ? 'helped' : verdict === 'hurt' ? 'hurt' : 'nde' }]);

/**
 * @param {{ value: number | null, lower: number | null, upper: number | null }} d
 * @param {(x: number) => string} [fmt]
 */
const diffCi = (d, fmt = signed) => (typeof d.value === 'number' ? `${fmt(d.value)} [${typeof d.lower === 'number' ? fmt(d.lower) : '–'}, ${typeof d.upper === 'number' ? fmt(d.upper) : '–'}]` : '–');

const COMPARISON_HEAD = ['dimension', 'pairs', 'before → after', 'Δ [95% CI]', 'McNemar p', 'Holm p', 'MDE', 'verdict'];

/**
 * Rows of a paired before/after comparison (loop's compareItems).
 * @param {readonly DimensionComparison[]} rows
 * @param {string} [first] a label for the first row (the steering target)
 */
const comparisonRows = (rows, first) => rows.map((c, k) => ({
  attrs: { 'data-dimension': c.dimension },
  cells: [k === 0 && first ? el('span', {}, c.dimension, ' ', el('span', { class: 'badge' }, first)) : c.dimension, numCell(c.pairs), numCell(`${f3(c.before)} → ${f3(c.after)}`), numCell(diffCi(c.difference)),
    numCell(pValue(c.mcnemar.pValue)), numCell(pValue(c.holmPValue)), numCell(f3(c.minimumDetectableEffect)), verdictCell(c.verdict)],
}));

/** @param {Report} r */
function signalDifferences(r) {
  const rows = (r.signalDifferences ?? []).filter((d) => d.comparison === 'incorrect vs correct');
  if (rows.length === 0) return [];
  const flagged = rows.filter((d) => d.excludesZero).length;
  return [el('h2', {}, 'Signals of failed vs passed items'),
    el('p', { class: 'muted' }, `Each signal's mean on failed (incorrect) minus passed (correct) items, per layer type; intervals at level ${f3(rows[0]?.level)} (Bonferroni over the rows). Highlighted: the interval excludes zero (${flagged} of ${rows.length}).`),
    table({ id: 'signal-differences' }, ['signal', 'layer type', 'n failed / passed', 'mean failed', 'mean passed', 'difference [CI]', 'effect size d', 'excludes 0'],
      rows.map((d) => ({
        attrs: { class: d.excludesZero ? 'excludes' : '', 'data-signal': d.signal, 'data-scope': d.scope },
        cells: [d.signal, layerTypeLabel(d.scope === 'output' ? null : d.scope), numCell(`${d.n[0]} / ${d.n[1]}`), numCell(g3(d.meanA)), numCell(g3(d.meanB)),
          numCell(diffCi({ value: d.difference, lower: d.lower, upper: d.upper }, signedG3)), numCell(f3(d.effectSize)), d.excludesZero ? el('b', {}, 'yes') : 'no'],
      })))];
}

/** @param {Report} r */
function locations(r) {
  const rows = r.locations ?? [];
  if (rows.length === 0) return [];
  return [el('h2', {}, 'Where failures arise'),
    table({ id: 'locations' }, ['task', 'dimension', 'failed / passed', 'patched pairs', 'top component', 'margin restored'],
      rows.map((l) => ({ cells: [l.taskId, l.dimension, numCell(`${l.failedItems} / ${l.passedItems}`), numCell(l.patchedPairs),
        el('span', {}, `${l.top.component} of layer ${l.top.layer} `, layerTypeLabel(l.top.layerType)), numCell(typeof l.top.restored === 'number' ? `${(100 * l.top.restored).toFixed(0)}%` : '–')] })))];
}

/** @param {Report} r */
function steeringFixes(r) {
  const fixes = r.steeringFixes ?? [];
  if (fixes.length === 0) return [];
  return [el('h2', {}, 'Steering verification'), ...fixes.flatMap((s) => {
    if ('skipped' in s) return [el('p', { class: 'steering-skipped' }, el('b', {}, s.taskId), `: not steered (${s.skipped})`)];
    const strength = `, alpha ${Number(s.alpha.toPrecision(4))}${s.multiplier === undefined ? '' : ` (${s.multiplier}× the mean residual norm)`}: `;
    const splits = s.splits ? ` · items fit / dev / test: ${s.splits.fit} / ${s.splits.dev} / ${s.splits.test}` : '';
    const direction = s.vector ? `direction: ${s.vector.method} at layer ${s.vector.layer}, held-out accuracy ${f3(s.vector.heldOutAccuracy)} (${s.vector.fitPairs} fit / ${s.vector.heldOutPairs} held-out pairs)${splits}` : null;
    return [el('div', { class: 'card steering-fix', 'data-task': s.taskId },
      el('p', {}, el('b', {}, `${s.taskId} (${s.dimension})`), ` at layer ${s.layer} `, layerTypeLabel(s.layerType), strength, el('b', { class: verdictCell(s.verdict)[1].class ?? '' }, s.verdict)),
      direction ? el('p', { class: 'muted' }, direction) : null,
      el('p', { class: 'muted' }, 'On the test split, steered vs unsteered: the target task, then every other dimension (the side-effect matrix); Holm over all rows.'),
      table({ class: 'steering-table' }, COMPARISON_HEAD, comparisonRows([s.target, ...s.sideEffects], 'target')))];
  })];
}

/** @param {Report} r */
function critique(r) {
  const c = r.critique;
  if (!c) return [];
  return [el('h2', {}, 'Critique and revise'),
    el('p', { class: 'muted' }, `Constitution ${c.constitution}, ${c.rounds} round${c.rounds === 1 ? '' : 's'}, ${c.items} items: revised vs original answer per dimension (Holm over the rows).`),
    c.dimensions.length > 0 ? table({ id: 'critique' }, COMPARISON_HEAD, comparisonRows(c.dimensions)) : el('p', { class: 'muted', id: 'critique' }, 'No dimension had 2 or more paired items to compare.')];
}

/** @param {Report} r */
function consistency(r) {
  const rows = r.consistency ?? [];
  if (rows.length === 0) return [];
  const seeds = Math.max(...rows.map((d) => d.scores.length));
  return [el('h2', {}, 'Run-to-run consistency'),
    el('p', { class: 'muted' }, `The same items under ${seeds} seeds: score per seed, their mean and sd, mean per-item agreement with the majority answer, and Fleiss' kappa.`),
    table({ id: 'consistency' }, ['dimension', ...Array.from({ length: seeds }, (_, k) => (k === 0 ? 'seed (main)' : `seed +${k}`)), 'mean', 'sd', 'agreement', 'kappa', 'items'],
      rows.map((d) => ({ cells: [d.dimension, ...Array.from({ length: seeds }, (_, k) => numCell(f3(d.scores[k]))),
        numCell(f3(d.mean)), numCell(f3(d.sd)), numCell(f3(d.agreement)), numCell(f3(d.kappa)), numCell(d.items)] })))];
}

/**
 * The cost line, when the run was priced.
 * @param {Report} r
 * @returns {HTMLElement[]}
 */
export function costLine(r) {
  if (!r.cost) return [];
  const t = r.tokens;
  const { promptPerMillion: p, completionPerMillion: c } = r.cost.pricing;
  return [el('p', { class: 'cost', id: 'cost' }, el('b', {}, `Cost: $${r.cost.usd < 0.01 ? r.cost.usd.toPrecision(3) : r.cost.usd.toFixed(2)}`),
    t ? ` for ${t.prompt} prompt tokens at $${p}/M and ${t.completion} completion tokens at $${c}/M (the profile's tokens)` : ` at $${p}/M prompt and $${c}/M completion tokens`)];
}

/**
 * The verification sections of a report, in page order.
 * @param {Report} r
 * @returns {HTMLElement[]}
 */
export const runExtras = (r) => [...signalDifferences(r), ...locations(r), ...steeringFixes(r), ...critique(r), ...consistency(r)];


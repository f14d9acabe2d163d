/**
 * The report: a self-contained offline HTML page (inline SVG plots: per-dimension scores with CIs, reliability
 * diagrams before and after calibration, per-layer evidence coloured by layer type, the steering trade-off curve),
 * plus JSON and CSV of every number.
 */
import type { ReliabilityBin } from '@trustbench/metrics';
import type { CalibrationFixResult } from './calibration-fix.js';
import type { DimensionDiagnosis, Suggestion } from './diagnose.js';
import type { ComparisonRow } from '@trustbench/signals';
import type { DimensionComparison } from './compare.js';
import type { CritiqueFixResult } from './critique-fix.js';
import type { FailureLocation } from './locate-failures.js';
import type { DimensionRepeatability } from './repeatability.js';
import type { ItemRecord } from './profile.js';
import type { SteeringFixResult } from './steering-fix.js';

/** Everything a report shows. */
export interface ReportData {
  readonly manifest: Readonly<Record<string, unknown>>;
  readonly dimensions: readonly DimensionDiagnosis[];
  readonly suggestions: readonly Suggestion[];
  readonly fixes: readonly CalibrationFixResult[];
  readonly items: readonly ItemRecord[];
  readonly consistency?: readonly DimensionRepeatability[];
  readonly signalDifferences?: readonly ComparisonRow[];
  readonly critique?: CritiqueFixResult | null;
  readonly cost?: { readonly usd: number; readonly pricing: { readonly promptPerMillion: number; readonly completionPerMillion: number } } | null;
  readonly locations?: readonly FailureLocation[];
  readonly steering?: readonly (SteeringFixResult | { readonly taskId: string; readonly skipped: string })[];
}

const LAYER_COLOURS = { linear_attention: '#4c78a8', full_attention: '#e45756' } as const;
/** A layer type as text: `Gated DeltaNet` (linear_attention) or `full attention`. */
export const layerKind = (t: string): string => (t === 'linear_attention' ? 'Gated DeltaNet' : 'full attention');

/** Per-layer bars (probe accuracy and patching restored), coloured by layer type. */
function layerChart(loc: FailureLocation): string {
  const w = 34;
  const h = 160;
  const left = 40;
  const n = loc.layers.length;
  const width = left + n * (2 * w + 14) + 20;
  const y = (v: number) => 20 + (1 - Math.max(0, Math.min(1, v))) * h;
  const bars = loc.layers.map((l, i) => {
    const x0 = left + i * (2 * w + 14);
    const c = LAYER_COLOURS[l.layerType];
    const restored = Math.max(l.mixerRestored, l.mlpRestored);
    return `<rect x="${x0}" y="${y(l.probeAccuracy)}" width="${w}" height="${y(0) - y(l.probeAccuracy)}" fill="${c}" opacity="0.45"><title>layer ${l.layer} (${layerKind(l.layerType)}): probe accuracy ${f3(l.probeAccuracy)}</title></rect>`
      + `<rect x="${x0 + w}" y="${y(restored)}" width="${w}" height="${y(0) - y(restored)}" fill="${c}"><title>layer ${l.layer}: patching restores ${f3(l.mixerRestored)} (mixer), ${f3(l.mlpRestored)} (MLP)</title></rect>`
      + `<text x="${x0 + w}" y="${h + 36}" text-anchor="middle">${l.layer} ${l.layerType === 'linear_attention' ? 'DN' : 'FA'}</text>`;
  });
  const axis = [0, 0.5, 1].map((v) => `<line x1="${left - 4}" x2="${width - 10}" y1="${y(v)}" y2="${y(v)}" stroke="#ddd"/><text x="${left - 8}" y="${y(v) + 4}" text-anchor="end">${v}</text>`).join('');
  const legend = `<text x="${left}" y="12">pale: probe accuracy (failed vs passed); solid: fraction of the margin restored by patching.</text><text x="${left}" y="${h + 50}">Blue: Gated DeltaNet (DN); red: full attention (FA).</text>`;
  return `<svg width="${Math.max(width, 700)}" height="${h + 56}" font-size="11" role="img" aria-label="per-layer evidence for ${esc(loc.taskId)}">${legend}${axis}${bars.join('')}</svg>`;
}

/** The dev sweep: target accuracy and side effect against alpha, one line per layer (alpha 0 is the unsteered model). */
function sweepChart(fix: SteeringFixResult): string {
  const w = 640;
  const h = 220;
  const alphas = [...new Set([0, ...fix.sweep.map((p) => p.alpha)])].sort((a, b) => a - b);
  const [lo, hi] = [alphas[0] as number, alphas[alphas.length - 1] as number];
  const x = (a: number) => 50 + ((a - lo) / (hi - lo || 1)) * (w - 170);
  const y = (v: number) => 20 + (1 - (v + 1) / 2) * (h - 60); // -1..1
  const layers = [...new Set(fix.sweep.map((p) => p.layer))];
  const lines = layers.map((layer, k) => {
    const pts = fix.sweep.filter((p) => p.layer === layer).sort((a, b) => a.alpha - b.alpha);
    const c = LAYER_COLOURS[pts[0]!.layerType];
    const dash = k === 0 ? '' : ` stroke-dasharray="${2 + 2 * k} 2"`;
    const path = (f: (p: (typeof pts)[number]) => number) => pts.map((p) => `${x(p.alpha).toFixed(1)},${y(f(p)).toFixed(1)}`).join(' ');
    return `<polyline points="${path((p) => p.target)}" fill="none" stroke="${c}" stroke-width="2.5"${dash}><title>layer ${layer}: dev accuracy of the target</title></polyline>`
      + `<polyline points="${path((p) => p.sideEffect)}" fill="none" stroke="${c}" stroke-width="1" opacity="0.6"${dash}><title>layer ${layer}: mean score change on the other dev items</title></polyline>`
      + pts.map((p) => `<circle cx="${x(p.alpha)}" cy="${y(p.target)}" r="${p.layer === fix.layer && p.alpha === fix.alpha ? 6 : 3}" fill="${c}"><title>layer ${p.layer}, alpha ${p.alpha.toFixed(2)} (${p.multiplier} x norm): target ${f3(p.target)}, side effect ${f3(p.sideEffect)}</title></circle>`).join('')
      + `<line x1="${w - 110}" x2="${w - 90}" y1="${30 + 16 * k}" y2="${30 + 16 * k}" stroke="${c}" stroke-width="2.5"${dash}/><text x="${w - 86}" y="${34 + 16 * k}">layer ${layer} (${pts[0]!.layerType === 'linear_attention' ? 'DN' : 'FA'})</text>`;
  });
  const yAxis = [-1, -0.5, 0, 0.5, 1].map((v) => `<line x1="46" x2="${x(hi)}" y1="${y(v)}" y2="${y(v)}" stroke="#e5e5e5"/><text x="42" y="${y(v) + 4}" text-anchor="end">${v}</text>`).join('');
  const xAxis = alphas.map((a) => `<text x="${x(a)}" y="${h - 26}" text-anchor="middle">${a === 0 ? '0' : a.toFixed(1)}</text>`).join('');
  return `<svg width="${w}" height="${h}" font-size="11" role="img" aria-label="steering trade-off">${yAxis}${xAxis}${lines.join('')}`
    + `<text x="50" y="${h - 8}">alpha. Thick: target's dev accuracy; thin: score change on other dev items; big dot: chosen.</text></svg>`;
}

function consistencyTable(rows: readonly DimensionRepeatability[]): string {
  if (rows.length === 0) return '';
  return `<h3>Run-to-run consistency over ${rows[0]!.scores.length} seeds</h3><table><tr><th>dimension</th><th>score per seed</th><th>mean ± sd</th><th>per-item agreement</th><th>Fleiss' kappa</th><th>items</th></tr>${
    rows.map((r) => `<tr><td>${esc(r.dimension)}</td><td>${r.scores.map(f3).join(', ')}</td><td>${f3(r.mean)} ± ${f3(r.sd)}</td><td>${f3(r.agreement)}</td><td>${f3(r.kappa)}</td><td>${r.items}</td></tr>`).join('')}</table>`;
}

/** One before / after row: paired difference with its CI, McNemar and Holm, verdict. */
const comparisonRow = (e: DimensionComparison): string => `<tr><td>${esc(e.dimension)}</td><td>${e.pairs}</td><td>${f3(e.before)} → ${f3(e.after)}</td><td>${f3(e.difference.value)} [${f3(e.difference.lower)}, ${f3(e.difference.upper)}]</td><td>${e.mcnemar.pValue.toPrecision(3)} / ${e.holmPValue.toPrecision(3)}</td><td><b>${e.verdict}</b>${e.verdict === 'no detectable effect' ? ` (MDE ${f3(e.minimumDetectableEffect)})` : ''}</td></tr>`;
const COMPARISON_HEAD = '<tr><th>test items</th><th>n</th><th>score before → after</th><th>difference [95% CI]</th><th>McNemar p / Holm</th><th>verdict</th></tr>';

function critiqueSection(c: CritiqueFixResult | null | undefined): string {
  if (!c) return '';
  return `<h2>Fix and verify: critique-and-revise</h2><p>Constitution ${esc(c.constitution)}, ${c.rounds} round(s), on ${c.items} generated test-split items: each original answer against its revision.</p>`
    + (c.dimensions.length > 0 ? `<table>${COMPARISON_HEAD}${c.dimensions.map(comparisonRow).join('')}</table>` : '<p>Too few rule-scored generated items in the test split to compare.</p>');
}

/** Signals that differ on failed vs passed items (interval excludes zero), by layer type; the rest counted. */
function signalTable(rows: readonly ComparisonRow[]): string {
  if (rows.length === 0) return '';
  const shown = rows.filter((r) => r.excludesZero).sort((a, b) => Math.abs(b.effectSize) - Math.abs(a.effectSize)).slice(0, 15);
  const scope = (s: string) => ({ linear_attention: 'Gated DeltaNet layers', full_attention: 'full-attention layers', output: 'output' })[s] ?? s;
  return `<h3>Signals on failed vs passed items</h3><p>${rows.length} comparisons (each at level ${f3(rows[0]!.level)}, Bonferroni); ${shown.length === 0 ? 'none differs beyond its interval.' : `${rows.filter((r) => r.excludesZero).length} differ; the largest:`}</p>`
    + (shown.length > 0 ? `<table><tr><th>signal</th><th>where</th><th>failed / passed n</th><th>mean failed − passed [interval]</th><th>effect size</th></tr>${shown.map((r) => `<tr><td>${esc(r.signal)}</td><td>${scope(r.scope)}</td><td>${r.n[0]} / ${r.n[1]}</td><td>${f3(r.difference)} [${f3(r.lower)}, ${f3(r.upper)}]</td><td>${f3(r.effectSize)}</td></tr>`).join('')}</table>` : '');
}

function steeringSection(data: ReportData): string {
  const locs = data.locations ?? [];
  if (locs.length === 0 && (data.steering ?? []).length === 0 && (data.signalDifferences ?? []).length === 0) return '';
  const locHtml = locs.map((l) => `<h3>${esc(l.taskId)}: ${l.failedItems} failed, ${l.passedItems} passed</h3><p>Largest effect: patching the ${l.top.component} of layer ${l.top.layer} (${layerKind(l.top.layerType)}) restores ${f3(l.top.restored)} of the margin (${l.patchedPairs} pairs).</p>${layerChart(l)}`);
  const fixes = (data.steering ?? []).map((s) => {
    if (!('target' in s)) return `<p>${esc(s.taskId)}: not steered (${esc(s.skipped)}).</p>`;
    return `<h3>Steering ${esc(s.taskId)}: <b>${s.verdict}</b></h3>
<p>Direction read at layer ${s.vector.layer} (${layerKind(s.vector.layerType)}) by ${esc(s.vector.method)} from ${s.vector.fitPairs + s.vector.heldOutPairs} failed/passed pairs of the fit split (held-out pair accuracy ${f3(s.vector.heldOutAccuracy)}); chosen on the dev split: layer ${s.layer}, alpha ${s.alpha.toFixed(3)} (${s.multiplier} x the residual norm). Judged on ${s.splits.test} held-out test items of the task.</p>
${sweepChart(s)}
<table>${COMPARISON_HEAD}${comparisonRow(s.target)}${s.sideEffects.map(comparisonRow).join('')}</table>`;
  });
  return `<h2>Diagnose inside the model</h2>${signalTable(data.signalDifferences ?? [])}${locHtml.join('') || '<p>No multiple-choice task had enough failed and passed items to locate.</p>'}<h2>Fix and verify: steering</h2>${fixes.join('') || '<p>No failure was located strongly enough (a patch restoring at least half the margin) to steer.</p>'}`;
}

const esc = (s: string): string => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
const f3 = (x: number | undefined | null): string => (x === undefined || x === null || Number.isNaN(x) ? '–' : x.toFixed(3));

/** Horizontal bars with CI whiskers, one per dimension. */
function scoreChart(dims: readonly DimensionDiagnosis[]): string {
  const rows = dims.filter((d) => d.score);
  const w = 520;
  const left = 110;
  const h = 28 * rows.length + 30;
  const x = (v: number) => left + v * (w - left - 20);
  const bars = rows.map((d, i) => {
    const s = d.score!;
    const y = 10 + 28 * i;
    return `<text x="${left - 8}" y="${y + 15}" text-anchor="end">${esc(d.dimension)}</text>`
      + `<rect x="${left}" y="${y + 3}" width="${x(s.value) - left}" height="16" fill="#4c78a8"/>`
      + `<line x1="${x(s.lower)}" x2="${x(s.upper)}" y1="${y + 11}" y2="${y + 11}" stroke="#000"/><line x1="${x(s.lower)}" x2="${x(s.lower)}" y1="${y + 6}" y2="${y + 16}" stroke="#000"/><line x1="${x(s.upper)}" x2="${x(s.upper)}" y1="${y + 6}" y2="${y + 16}" stroke="#000"/>`
      + `<text x="${x(s.upper) + 6}" y="${y + 15}">${f3(s.value)}</text>`;
  });
  const axis = [0, 0.25, 0.5, 0.75, 1].map((v) => `<line x1="${x(v)}" x2="${x(v)}" y1="5" y2="${h - 20}" stroke="#ddd"/><text x="${x(v)}" y="${h - 6}" text-anchor="middle">${v}</text>`).join('');
  return `<svg width="${w}" height="${h}" font-size="12" role="img" aria-label="score per dimension">${axis}${bars.join('')}</svg>`;
}

/** A reliability diagram: accuracy vs confidence per bin, with the diagonal. */
function reliabilityChart(bins: readonly ReliabilityBin[], title: string): string {
  const s = 220;
  const p = (v: number) => 20 + v * (s - 40);
  const q = (v: number) => s - 20 - v * (s - 40);
  const marks = bins.filter((b) => b.count > 0).map((b) => `<rect x="${p(b.lower) + 1}" y="${q(b.accuracy)}" width="${p(b.upper) - p(b.lower) - 2}" height="${q(0) - q(b.accuracy)}" fill="#f58518" opacity="0.8"><title>${b.count} items, confidence ${f3(b.meanConfidence)}, accuracy ${f3(b.accuracy)}</title></rect>`);
  return `<svg width="${s}" height="${s + 16}" font-size="11" role="img" aria-label="${esc(title)}"><text x="${s / 2}" y="12" text-anchor="middle">${esc(title)}</text><g transform="translate(0,12)"><line x1="${p(0)}" y1="${q(0)}" x2="${p(1)}" y2="${q(1)}" stroke="#999" stroke-dasharray="4"/><line x1="${p(0)}" y1="${q(0)}" x2="${p(1)}" y2="${q(0)}" stroke="#000"/><line x1="${p(0)}" y1="${q(0)}" x2="${p(0)}" y2="${q(1)}" stroke="#000"/>${marks.join('')}<text x="${s / 2}" y="${s - 4}" text-anchor="middle">confidence</text></g></svg>`;
}

/**
 * Renders the HTML report. Model output is escaped: a reply containing markup is shown as text.
 *
 * @example
 * await writeFile('report.html', renderHtml(data));
 */
export function renderHtml(data: ReportData): string {
  const m = data.manifest as { runId?: string; model?: { id?: string }; seed?: number; createdAt?: string };
  const dimRows = data.dimensions.map((d) => `<tr><td>${esc(d.dimension)}</td><td>${d.score ? `${f3(d.score.value)} [${f3(d.score.lower)}, ${f3(d.score.upper)}]` : 'not scored'}</td><td>${d.scoredItems}</td><td>${d.unscoredItems}</td><td>${d.calibration ? `${f3(d.calibration.ece.value)} [${f3(d.calibration.ece.lower)}, ${f3(d.calibration.ece.upper)}] (n=${d.calibration.n})` : '–'}</td></tr>`);
  const taskRows = data.dimensions.flatMap((d) => d.tasks.map((t) => `<tr><td>${esc(t.taskId)}</td><td>${Object.entries(t.metrics).map(([k, v]) => `${esc(k)}=${k === 'scored' || k === 'unscored' ? String(v) : f3(v)}`).join(', ')}</td></tr>`));
  const fixRows = data.fixes.map((fx) => `<tr><td>${esc(fx.method)}</td><td><b>${fx.verdict}</b></td><td>${f3(fx.ece.before.value)} → ${f3(fx.ece.after.value)}, Δ ${f3(fx.ece.difference.value)} [${f3(fx.ece.difference.lower)}, ${f3(fx.ece.difference.upper)}]</td><td>Δ ${f3(fx.brier.difference.value)} [${f3(fx.brier.difference.lower)}, ${f3(fx.brier.difference.upper)}]; MDE ${f3(fx.minimumDetectableEffect)}</td><td>${fx.fitItems} / ${fx.heldOutItems}</td></tr>`);
  const best = [...data.fixes].sort((a, b) => a.ece.after.value - b.ece.after.value)[0];
  const examples = data.items.slice(0, 12).map((i) => `<tr><td>${esc(i.itemId)}</td><td>${esc(i.mode)}</td><td><pre>${esc(i.reply.slice(0, 200))}</pre></td><td>${i.score ?? 'not scored'}</td><td>${esc(i.scorer)}</td><td>${f3(i.confidence)}</td></tr>`);
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Trust Bench report ${esc(String(m.runId ?? ''))}</title>
<style>body{font-family:system-ui,sans-serif;margin:2rem;max-width:1100px;color:#222}table{border-collapse:collapse;margin:1rem 0}td,th{border:1px solid #ccc;padding:4px 8px;text-align:left;vertical-align:top}pre{white-space:pre-wrap;margin:0;font-size:12px}.plots{display:flex;gap:2rem;flex-wrap:wrap}</style></head><body>
<h1>Trust Bench report</h1>
<p>Run <code>${esc(String(m.runId ?? ''))}</code>, model <code>${esc(String(m.model?.id ?? ''))}</code>, seed ${esc(String(m.seed ?? ''))}, ${esc(String(m.createdAt ?? ''))}. Intervals are 95% percentile bootstrap intervals (clustered where items come in pairs).</p>
<p>${data.items.length} items; tokens: ${data.items.reduce((t, i) => t + i.tokens.prompt, 0)} prompt, ${data.items.reduce((t, i) => t + i.tokens.completion, 0)} generated (multiple-choice items are scored by log-likelihood and generate none)${data.cost ? `; cost $${data.cost.usd.toFixed(4)} at $${data.cost.pricing.promptPerMillion} / $${data.cost.pricing.completionPerMillion} per million prompt / completion tokens` : ''}.</p>
<h2>Profile: score per dimension</h2>${scoreChart(data.dimensions)}
<table><tr><th>dimension</th><th>score [95% CI]</th><th>scored</th><th>not scored</th><th>ECE [95% CI]</th></tr>${dimRows.join('')}</table>
${consistencyTable(data.consistency ?? [])}
<h2>Diagnose</h2><ol>${data.suggestions.map((s) => `<li><b>${esc(s.fix)}</b> for ${esc(s.taskId ?? s.dimension)}: ${esc(s.evidence)}</li>`).join('') || '<li>no fix suggested by the evidence</li>'}</ol>
<table><tr><th>task</th><th>TrustLLM metrics</th></tr>${taskRows.join('')}</table>
<h2>Fix and verify: calibration (fitted on one half, judged on the other)</h2>
<table><tr><th>method</th><th>verdict</th><th>ECE before → after, difference [95% CI]</th><th>Brier difference [95% CI]</th><th>fit / held-out items</th></tr>${fixRows.join('') || '<tr><td colspan="5">too few items with a confidence and a right answer to fit a calibrator</td></tr>'}</table>
${best ? `<div class="plots">${reliabilityChart(best.binsBefore, 'held-out, before')}${reliabilityChart(best.binsAfter, `held-out, after ${best.method}`)}</div>` : ''}
<p>Calibration never changes an answer, so no dimension's score moves: the side-effect matrix of this fix is zero by construction.</p>
${steeringSection(data)}
${critiqueSection(data.critique)}
<h2>Items (first 12)</h2><table><tr><th>item</th><th>mode</th><th>reply</th><th>score</th><th>scorer</th><th>confidence</th></tr>${examples.join('')}</table>
</body></html>`;
}

/** CSV of the items (one row per item). */
export function itemsCsv(items: readonly ItemRecord[]): string {
  const cols = ['itemId', 'taskId', 'dimension', 'cluster', 'mode', 'score', 'scorer', 'confidence', 'correct', 'seed', 'modelId', 'datasetVersion', 'reply'] as const;
  const cell = (v: unknown) => {
    const s = v === null || v === undefined ? '' : String(v);
    return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return [cols.join(','), ...items.map((i) => cols.map((c) => cell(i[c])).join(','))].join('\n') + '\n';
}

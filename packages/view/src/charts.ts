/**
 * The run page's plots as Vega-Lite specs, built here from report data (typed and tested) so the browser only embeds
 * them. Each returns null when its data is absent, and the page leaves the plot out. All are interactive: tooltips,
 * legends that toggle series, and zoom on the steering trade-off.
 */
import type { DimensionDiagnosis } from '@trustbench/loop';
import type { ReliabilityBin } from '@trustbench/metrics';
import type { TopLevelSpec } from 'vega-lite';
import type { LayerSignal } from './item-signals.js';
import type { LayerDiagnosis, SteeringResult } from './report-file.js';

const WIDTH = 520;
const f3 = { format: '.3f' } as const;

/** Colours of the two layer types, the same in every plot. */
export const LAYER_TYPE_SCALE = { domain: ['linear_attention', 'full_attention'], range: ['#4c78a8', '#e45756'] };

/**
 * Per-dimension scores as bars with their 95% bootstrap intervals.
 *
 * @example
 * const spec = dimensionScoresSpec(report.dimensions);
 */
export function dimensionScoresSpec(dimensions: readonly DimensionDiagnosis[]): TopLevelSpec | null {
  const values = dimensions.flatMap((d) => (d.score ? [{ dimension: d.dimension, score: d.score.value, lower: d.score.lower, upper: d.score.upper, n: d.scoredItems }] : []));
  if (values.length === 0) return null;
  const tooltip = [{ field: 'dimension' }, { field: 'score', ...f3 }, { field: 'lower', title: 'CI lower', ...f3 }, { field: 'upper', title: 'CI upper', ...f3 }, { field: 'n', title: 'scored items' }];
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: 'Score per dimension (1 = trustworthy), 95% bootstrap CI',
    width: WIDTH, data: { values },
    encoding: { y: { field: 'dimension', type: 'nominal', sort: null, title: null } },
    layer: [
      { params: [{ name: 'hover', select: { type: 'point', on: 'pointerover', clear: 'pointerout' } }], mark: { type: 'bar', color: '#72b7b2' },
        encoding: { x: { field: 'score', type: 'quantitative', scale: { domain: [0, 1] }, title: 'score' }, opacity: { condition: { param: 'hover', empty: true, value: 1 }, value: 0.55 }, tooltip } },
      { mark: { type: 'rule', strokeWidth: 2 }, encoding: { x: { field: 'lower', type: 'quantitative' }, x2: { field: 'upper' }, tooltip } },
      { mark: { type: 'tick', thickness: 2, size: 12 }, encoding: { x: { field: 'lower', type: 'quantitative' } } },
      { mark: { type: 'tick', thickness: 2, size: 12 }, encoding: { x: { field: 'upper', type: 'quantitative' } } },
    ],
  };
}

/**
 * A reliability diagram: accuracy against mean confidence per bin, one line per series, the diagonal for perfect
 * calibration; point size shows the bin's item count. Empty bins are left out.
 *
 * @example
 * const spec = reliabilitySpec('By dimension', report.dimensions.map((d) => ({ series: d.dimension, bins: d.calibration?.bins ?? [] })));
 */
export function reliabilitySpec(title: string, series: readonly { readonly series: string; readonly bins: readonly ReliabilityBin[] }[]): TopLevelSpec | null {
  const values = series.flatMap((s) => s.bins.filter((b) => b.count > 0).map((b) => ({ series: s.series, confidence: b.meanConfidence, accuracy: b.accuracy, count: b.count, bin: `${b.lower.toFixed(1)}-${b.upper.toFixed(1)}` })));
  if (values.length === 0) return null;
  const axis = { type: 'quantitative' as const, scale: { domain: [0, 1] } };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title, width: 360, height: 360,
    layer: [
      { data: { values: [{ confidence: 0, accuracy: 0 }, { confidence: 1, accuracy: 1 }] }, mark: { type: 'line', strokeDash: [4, 4], color: '#999' },
        encoding: { x: { field: 'confidence', ...axis }, y: { field: 'accuracy', ...axis } } },
      { data: { values }, params: [{ name: 'pick', select: { type: 'point', fields: ['series'] }, bind: 'legend' }], mark: { type: 'line', point: true },
        encoding: {
          x: { field: 'confidence', ...axis, title: 'mean confidence' }, y: { field: 'accuracy', ...axis, title: 'accuracy' },
          color: { field: 'series', type: 'nominal', title: null }, opacity: { condition: { param: 'pick', value: 1 }, value: 0.12 },
          tooltip: [{ field: 'series' }, { field: 'bin' }, { field: 'confidence', ...f3 }, { field: 'accuracy', ...f3 }, { field: 'count', title: 'items' }],
        } },
      { data: { values }, mark: { type: 'circle' },
        encoding: { x: { field: 'confidence', ...axis }, y: { field: 'accuracy', ...axis }, color: { field: 'series', type: 'nominal' }, size: { field: 'count', type: 'quantitative', title: 'items' }, opacity: { condition: { param: 'pick', value: 0.8 }, value: 0.1 } } },
    ],
  };
}

/**
 * Per-layer diagnosis: probe accuracy by layer (with its interval when given), coloured by layer type, with chance
 * (0.5) marked; below it, the layer's effect when the report carries one.
 *
 * @example
 * const spec = layerProbesSpec(report.layers ?? []);
 */
export function layerProbesSpec(layers: readonly LayerDiagnosis[]): TopLevelSpec | null {
  if (layers.length === 0) return null;
  const values = layers.map((l) => ({ layer: l.layer, layerType: l.layerType, probeAccuracy: l.probeAccuracy, lower: l.probeCi?.[0] ?? null, upper: l.probeCi?.[1] ?? null, effect: l.effect ?? null }));
  // A probe that could not be fitted (null) leaves a gap at its layer rather than a point at zero.
  const color = { field: 'layerType', type: 'nominal', scale: LAYER_TYPE_SCALE, title: 'layer type' } as const;
  const x = { field: 'layer', type: 'ordinal', title: 'layer' } as const;
  const tooltip = [{ field: 'layer' }, { field: 'layerType', title: 'type' }, { field: 'probeAccuracy', title: 'probe accuracy', ...f3 }, { field: 'lower', title: 'CI lower', ...f3 }, { field: 'upper', title: 'CI upper', ...f3 }, { field: 'effect', ...f3 }];
  const probe = {
    width: WIDTH, height: 220, title: `Linear probe accuracy by layer${layers[0]?.taskId ? ` on ${layers[0].taskId}` : ''} (dashed: chance)`,
    layer: [
      { mark: { type: 'rule', strokeDash: [4, 4], color: '#999' }, encoding: { y: { datum: 0.5, type: 'quantitative' } } },
      { transform: [{ filter: 'datum.lower != null' }], mark: { type: 'rule', strokeWidth: 2 }, encoding: { x, y: { field: 'lower', type: 'quantitative' }, y2: { field: 'upper' }, color } },
      { params: [{ name: 'type', select: { type: 'point', fields: ['layerType'] }, bind: 'legend' }], mark: { type: 'point', filled: true, size: 80 }, encoding: { x, y: { field: 'probeAccuracy', type: 'quantitative', scale: { domain: [0, 1] }, title: 'probe accuracy' }, color, tooltip, opacity: { condition: { param: 'type', value: 1 }, value: 0.15 } } },
    ],
  };
  const effect = values.some((v) => v.effect !== null)
    ? [{ width: WIDTH, height: 140, title: 'Effect of the layer', transform: [{ filter: 'datum.effect != null' }], mark: { type: 'bar' }, encoding: { x, y: { field: 'effect', type: 'quantitative', title: 'effect' }, color, tooltip } }]
    : [];
  return { $schema: 'https://vega.github.io/schema/vega-lite/v6.json', data: { values }, vconcat: [probe, ...effect] } as TopLevelSpec;
}

/**
 * Steering trade-off: the target's score against the side effect, one line per layer through its sweep of strengths
 * (alpha), coloured by layer type, the chosen intervention ringed (drag to pan, scroll to zoom); below, target and side
 * effect each against alpha, which stay readable when the side effect is flat.
 *
 * @example
 * const spec = report.steering ? steeringSpec(report.steering) : null;
 */
export function steeringSpec(steering: SteeringResult): TopLevelSpec | null {
  if (steering.sweep.length === 0) return null;
  const values = steering.sweep.map((p) => ({ ...p, chosen: p.layer === steering.layer && p.alpha === steering.alpha }));
  const what = steering.taskId ? `${steering.taskId} (${steering.dimension})` : steering.dimension;
  const color = { field: 'layerType', type: 'nominal', scale: LAYER_TYPE_SCALE, title: 'layer type' } as const;
  const line = { type: 'line', point: true } as const;
  // Colour tells the layer type, the dash pattern the layer (layers of one type would otherwise look alike).
  const common = { color, strokeDash: { field: 'layer', type: 'ordinal', title: 'layer' }, order: { field: 'alpha', type: 'quantitative' } } as const;
  const tooltip = [{ field: 'layer' }, { field: 'layerType', title: 'type' }, { field: 'alpha', format: '.4~r' }, { field: 'target', ...f3 }, { field: 'sideEffect', title: 'side effect', ...f3 }];
  const x = { field: 'sideEffect', type: 'quantitative', title: 'side effect', scale: { domain: padded(values.map((v) => v.sideEffect)) } } as const;
  const y = { field: 'target', type: 'quantitative', title: 'target score', scale: { domain: padded([0, 1, ...values.map((v) => v.target)]) } } as const;
  const alpha = { field: 'alpha', type: 'quantitative', title: 'alpha' } as const;
  const ring = { transform: [{ filter: 'datum.chosen' }], mark: { type: 'point', size: 320, strokeWidth: 2.5, color: 'black' } } as const;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: `Steering ${what} (chosen: layer ${steering.layer}, alpha ${Number(steering.alpha.toPrecision(4))}, ${steering.verdict})`,
    data: { values },
    vconcat: [
      { width: WIDTH, height: 280, title: 'Trade-off: target vs side effect, one line per layer through its alphas',
        layer: [{ params: [{ name: 'zoom', select: 'interval', bind: 'scales' }], mark: line, encoding: { x, y, ...common, tooltip } }, { ...ring, encoding: { x, y } }] },
      { hconcat: [
        { width: 240, height: 160, title: 'target by alpha', layer: [{ mark: line, encoding: { x: alpha, y: { field: 'target', type: 'quantitative', title: 'target' }, ...common, tooltip } }, { ...ring, encoding: { x: alpha, y: { field: 'target', type: 'quantitative' } } }] },
        { width: 240, height: 160, title: 'side effect by alpha', layer: [{ mark: line, encoding: { x: alpha, y: { field: 'sideEffect', type: 'quantitative', title: 'side effect', scale: { domain: padded(values.map((v) => v.sideEffect)) } }, ...common, tooltip } }] },
      ] },
    ],
  } as TopLevelSpec;
}

/** How the layer types read in legends. */
const LAYER_TYPE_LABELS = "datum.label == 'linear_attention' ? 'Gated DeltaNet' : datum.label == 'full_attention' ? 'full attention' : datum.label";

/**
 * One item's per-layer signals: a small plot per signal (own y scale), value by layer, points coloured by layer type
 * (Gated DeltaNet or full attention). Per-head signals are the mean over the layer's heads.
 *
 * @example
 * const spec = itemLayerSignalsSpec(signals.layers);
 */
export function itemLayerSignalsSpec(layers: readonly LayerSignal[]): TopLevelSpec | null {
  if (layers.length === 0) return null;
  const values = layers.map((l) => ({ ...l, over: l.heads > 0 ? `mean over ${l.heads} heads` : 'whole layer' }));
  const color = { field: 'layerType', type: 'nominal', scale: LAYER_TYPE_SCALE, title: 'layer type', legend: { labelExpr: LAYER_TYPE_LABELS } } as const;
  const x = { field: 'layer', type: 'ordinal', title: 'layer' } as const;
  const y = { field: 'value', type: 'quantitative', title: null, scale: { zero: false } } as const;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: 'Signals by layer (colour: layer type)',
    data: { values },
    facet: { field: 'signal', type: 'nominal', title: null },
    columns: 4,
    spec: {
      width: 200, height: 110,
      layer: [
        { mark: { type: 'line', color: '#bbb' }, encoding: { x, y } },
        { mark: { type: 'point', filled: true, size: 60 }, encoding: { x, y, color, tooltip: [{ field: 'signal' }, { field: 'layer' }, { field: 'layerType', title: 'type' }, { field: 'value', format: '.4~g' }, { field: 'over', title: 'over' }] } },
      ],
    },
    resolve: { scale: { y: 'independent' } },
  } as TopLevelSpec;
}

/** An axis domain around the values; a flat range (a sweep with no side effect at all) is widened so it is not a point. */
function padded(xs: readonly (number | null)[]): [number, number] {
  const ok = xs.filter((x): x is number => x !== null);
  if (ok.length === 0) return [0, 1];
  const lo = Math.min(...ok);
  const hi = Math.max(...ok);
  return hi - lo >= 0.05 ? [lo, hi] : [(lo + hi) / 2 - 0.05, (lo + hi) / 2 + 0.05];
}

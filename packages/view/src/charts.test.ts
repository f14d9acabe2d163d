import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeRuns, TEST_LAYERS, TEST_STEERING } from './__fixtures__/make-runs.js';
import { dimensionScoresSpec, itemLayerSignalsSpec, layerProbesSpec, reliabilitySpec, steeringSpec } from './charts.js';
import { loadRun, type LoadedRun } from './run-index.js';
import { runPage } from './run-page.js';

const dir = mkdtempSync(path.join(tmpdir(), 'tb-view-charts-'));
let run: LoadedRun;
beforeAll(async () => {
  const runs = await makeRuns(dir);
  run = loadRun(runs.root, 'candidate');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Compiles to Vega, failing on any warning Vega-Lite logs (an unknown field, a dropped encoding), and parses the result as the browser will. */
function compiles(spec: TopLevelSpec | null): void {
  expect(spec).not.toBeNull();
  const warnings: unknown[] = [];
  const logger = { level: () => logger, error: (...a: unknown[]) => { warnings.push(a); return logger; }, warn: (...a: unknown[]) => { warnings.push(a); return logger; }, info: () => logger, debug: () => logger };
  const out = compile(spec as TopLevelSpec, { logger: logger as never });
  expect(out.spec).toBeTruthy();
  expect(warnings).toEqual([]);
  expect(() => parse(out.spec)).not.toThrow();
}

const values = (spec: TopLevelSpec | null): Record<string, unknown>[] => ((spec as { data?: { values: Record<string, unknown>[] } }).data?.values ?? []);

describe('chart specs', () => {
  it('every plot of the candidate run compiles to Vega without a warning', () => {
    const { charts } = runPage(run);
    for (const spec of Object.values(charts)) compiles(spec);
  });

  it('draws each scored dimension with its interval', () => {
    const spec = dimensionScoresSpec(run.report!.dimensions);
    const scored = run.report!.dimensions.filter((d) => d.score);
    expect(values(spec)).toEqual(scored.map((d) => ({ dimension: d.dimension, score: d.score!.value, lower: d.score!.lower, upper: d.score!.upper, n: d.scoredItems })));
    expect(dimensionScoresSpec([])).toBeNull();
  });

  it('leaves empty bins out of a reliability diagram, and returns null without bins', () => {
    const bins = [{ lower: 0, upper: 0.1, count: 0, meanConfidence: 0, accuracy: 0 }, { lower: 0.9, upper: 1, count: 5, meanConfidence: 0.95, accuracy: 0.4 }];
    const spec = reliabilitySpec('t', [{ series: 'a', bins }]) as { layer: { data: { values: unknown[] } }[] };
    expect(spec.layer[1]!.data.values).toEqual([{ series: 'a', confidence: 0.95, accuracy: 0.4, count: 5, bin: '0.9-1.0' }]);
    expect(reliabilitySpec('t', [{ series: 'a', bins: [bins[0]!] }])).toBeNull();
  });

  it('plots layers by type with intervals and effects, and rings exactly the chosen steering point', () => {
    const layers = values(layerProbesSpec(TEST_LAYERS));
    expect(layers).toHaveLength(24);
    expect(layers.filter((l) => l.layerType === 'full_attention').map((l) => l.layer)).toEqual([3, 7, 11, 15, 19, 23]);
    expect((layerProbesSpec(TEST_LAYERS.map(({ effect: _e, ...l }) => l)) as { vconcat: unknown[] }).vconcat).toHaveLength(1);
    expect(layerProbesSpec([])).toBeNull();
    const sweep = values(steeringSpec(TEST_STEERING));
    expect(sweep.filter((p) => p.chosen)).toEqual([expect.objectContaining({ layer: 11, alpha: 4 })]);
    compiles(steeringSpec(TEST_STEERING));
    compiles(layerProbesSpec(TEST_LAYERS.map(({ probeCi: _c, effect: _e, ...l }) => l)));
  });

  it('leaves the layer and steering plots out for a report without those fields', () => {
    const baseline = loadRun(path.join(dir, 'runs'), 'baseline');
    const { charts } = runPage(baseline);
    expect(charts.layers).toBeNull();
    expect(charts.steering).toBeNull();
    compiles(charts.scores);
  });

  it('plots an item\'s per-layer signals, one small plot per signal, by layer type', () => {
    const layers = [
      { layer: 0, layerType: 'linear_attention' as const, signal: 'resid_norm', value: 5, heads: 0 },
      { layer: 3, layerType: 'full_attention' as const, signal: 'resid_norm', value: 9, heads: 0 },
      { layer: 3, layerType: 'full_attention' as const, signal: 'attn_entropy', value: 1.5, heads: 4 },
    ];
    const spec = itemLayerSignalsSpec(layers);
    compiles(spec);
    expect(values(spec).map((v) => v.over)).toEqual(['whole layer', 'whole layer', 'mean over 4 heads']);
    expect(itemLayerSignalsSpec([])).toBeNull();
  });
});

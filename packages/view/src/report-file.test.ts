import { DataError } from '@trustbench/core';
import { describe, expect, it } from 'vitest';
import { TEST_LAYERS, TEST_STEERING } from './__fixtures__/make-runs.js';
import { parseReport } from './report-file.js';

const COMPARISON = { dimension: 'safety', pairs: 8, before: 0.5, after: 0.75, difference: { value: 0.25, lower: 0, upper: 0.5 }, mcnemar: { b: 0, c: 2, pValue: 0.5 }, holmPValue: 1, verdict: 'no detectable effect', minimumDetectableEffect: 0.4 };
const STEERING_FIX = { taskId: 'planted.over-refusal', dimension: 'safety', layer: 1, layerType: 'linear_attention', alpha: -10.8, multiplier: 1, sweep: [], target: { ...COMPARISON, dimension: 'task:planted.over-refusal' }, sideEffects: [COMPARISON], verdict: 'helped' };
const SIGNAL_ROW = { signal: 'entropy', comparison: 'incorrect vs correct', scope: 'output', n: [3, 5], meanA: 1, meanB: 0.5, difference: 0.5, effectSize: null, lower: 0.1, upper: 0.9, level: 0.99, excludesZero: true };
const CONSISTENCY = { dimension: 'safety', scores: [0.5, 0.75], mean: 0.625, sd: 0.177, agreement: 0.9, kappa: null, items: 4 };
const LOCATION = { taskId: 'planted.over-refusal', dimension: 'safety', failedItems: 4, passedItems: 4, patchedPairs: 4, layers: [{ layer: 1, layerType: 'linear_attention', probeAccuracy: 1, mixerRestored: 0, mlpRestored: 1 }], top: { layer: 1, layerType: 'linear_attention', component: 'mlp', restored: 1.03 } };
const base = { manifest: {}, items: 0, dimensions: [], suggestions: [], fixes: [] };
const FILE = 'runs/x/report.json';
const parse = (extra: object) => parseReport(JSON.stringify({ ...base, ...extra }), FILE);

describe('parseReport', () => {
  it('accepts a report without the optional fields, and one with them', () => {
    expect(parse({})).toEqual({ report: base, problems: [] });
    expect(parse({ layers: TEST_LAYERS, steering: TEST_STEERING })).toEqual({ report: { ...base, layers: TEST_LAYERS, steering: TEST_STEERING }, problems: [] });
  });

  it('keeps numbers the loop could not compute (NaN, written as null), and extra fields such as taskId', () => {
    const layers = [{ layer: 0, layerType: 'linear_attention', probeAccuracy: null, effect: null, taskId: 'planted.over-refusal' }];
    const steering = { ...TEST_STEERING, taskId: 'planted.over-refusal', sweep: [{ layer: 1, layerType: 'linear_attention', alpha: -2, target: 0.5, sideEffect: null }] };
    expect(parse({ layers, steering })).toEqual({ report: { ...base, layers, steering }, problems: [] });
  });

  it('keeps the verification fields of a newer loop run, and drops null or empty ones', () => {
    const extras = { signalDifferences: [SIGNAL_ROW], locations: [LOCATION], steeringFixes: [STEERING_FIX, { taskId: 't', skipped: 'too few items' }], critique: { constitution: 'c@1', rounds: 1, items: 3, dimensions: [COMPARISON] }, consistency: [CONSISTENCY], cost: { usd: 0.01, pricing: { promptPerMillion: 0.15, completionPerMillion: 0.6 } } };
    expect(parse(extras)).toEqual({ report: { ...base, ...extras }, problems: [] });
    expect(parse({ critique: null, cost: null, consistency: [], signalDifferences: [], steeringFixes: [], locations: [] })).toEqual({ report: base, problems: [] });
  });

  it.each([
    [{ signalDifferences: [{ ...SIGNAL_ROW, excludesZero: 'yes' }] }, 'signalDifferences[0].excludesZero must be a boolean, got "yes"', 'signal differences table'],
    [{ steeringFixes: [{ ...STEERING_FIX, sideEffects: [{ ...COMPARISON, mcnemar: {} }] }] }, 'steeringFixes[0].sideEffects[0].mcnemar.pValue must be a number or null, got undefined', 'steering verification table'],
    [{ critique: { constitution: 'c@1', rounds: 1, items: 3, dimensions: {} } }, 'critique.dimensions must be an array, got {}', 'critique-and-revise table'],
    [{ consistency: [{ ...CONSISTENCY, scores: ['a'] }] }, 'consistency[0].scores must be an array of numbers, got ["a"]', 'run-to-run consistency table'],
    [{ cost: { usd: '1' } }, 'cost.usd must be a number, got "1"', 'cost line'],
    [{ locations: [{ ...LOCATION, top: { ...LOCATION.top, layerType: 'mlp' } }] }, 'locations[0].top.layerType must be "linear_attention" or "full_attention", got "mlp"', 'failure locations table'],
  ])('drops a malformed verification field with a problem line (%j)', (extra, message, what) => {
    const { report, problems } = parse(extra);
    expect(problems).toEqual([`runs/x/report.json: ${message}; the ${what} is left out`]);
    expect(Object.keys(report).sort()).toEqual(Object.keys(base).sort());
  });

  it.each([
    [{ layers: {} }, 'layers must be an array, got {}'],
    [{ layers: [{ layer: 1.5, layerType: 'full_attention', probeAccuracy: 0.5 }] }, 'layers[0].layer must be an integer, got 1.5'],
    [{ layers: [{ layer: 1, layerType: 'mlp', probeAccuracy: 0.5 }] }, 'layers[0].layerType must be "linear_attention" or "full_attention", got "mlp"'],
    [{ layers: [{ layer: 1, layerType: 'full_attention', probeAccuracy: 0.5, probeCi: [0.4] }] }, 'layers[0].probeCi must be a [lower, upper] pair of numbers, got [0.4]'],
    [{ steering: { ...TEST_STEERING, alpha: '4' } }, 'steering.alpha must be a number, got "4"'],
    [{ steering: { ...TEST_STEERING, sweep: [{ layer: 1, layerType: 'x', alpha: 1, target: 0.5 }] } }, 'steering.sweep[0].sideEffect must be a number or null, got undefined'],
  ])('drops a malformed optional field with a problem naming file, field, expected and actual (%j)', (extra, message) => {
    const { report, problems } = parse(extra);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(new RegExp(`^runs/x/report\\.json: ${message.replace(/[[\]().*+?{}|^$\\]/g, '\\$&')}; the (per-layer|steering) plot is left out$`));
    expect(Object.keys(report).sort()).toEqual(Object.keys(base).sort());
  });

  it('throws a DataError naming the file and field for a malformed required field or torn JSON', () => {
    expect(() => parse({ fixes: null })).toThrow(DataError);
    expect(() => parse({ fixes: null })).toThrow('runs/x/report.json: fixes must be an array, got null');
    expect(() => parseReport('{"dimensions": [', FILE)).toThrow(/^runs\/x\/report\.json: not valid JSON/);
  });
});

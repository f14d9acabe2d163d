import { DataError } from '@trustbench/core';
import { describe, expect, it } from 'vitest';
import { TEST_LAYERS, TEST_STEERING } from './__fixtures__/make-runs.js';
import { parseReport } from './report-file.js';

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

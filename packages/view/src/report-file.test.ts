import { DataError } from '@trustbench/core';
import { describe, expect, it } from 'vitest';
import { TEST_LAYERS, TEST_STEERING } from './__fixtures__/make-runs.js';
import { parseReport } from './report-file.js';

const base = { manifest: {}, items: 0, dimensions: [], suggestions: [], fixes: [] };
const parse = (extra: object) => parseReport(JSON.stringify({ ...base, ...extra }), 'runs/x/report.json');

describe('parseReport', () => {
  it('accepts a report without the optional fields, and one with them', () => {
    expect(parse({}).layers).toBeUndefined();
    expect(parse({ layers: TEST_LAYERS, steering: TEST_STEERING })).toMatchObject({ layers: TEST_LAYERS, steering: TEST_STEERING });
  });

  it.each([
    [{ layers: {} }, 'layers must be an array'],
    [{ layers: [{ layer: 1.5, layerType: 'full_attention', probeAccuracy: 0.5 }] }, 'layers[0].layer must be an integer, got 1.5'],
    [{ layers: [{ layer: 1, layerType: 'mlp', probeAccuracy: 0.5 }] }, 'layers[0].layerType must be "linear_attention" or "full_attention", got "mlp"'],
    [{ layers: [{ layer: 1, layerType: 'full_attention', probeAccuracy: 0.5, probeCi: [0.4] }] }, 'layers[0].probeCi must be a [lower, upper] pair'],
    [{ steering: { ...TEST_STEERING, alpha: '4' } }, 'steering.alpha must be a number, got "4"'],
    [{ steering: { ...TEST_STEERING, sweep: [{ layer: 1, layerType: 'x', alpha: 1, target: 0.5 }] } }, 'steering.sweep[0].sideEffect must be a number'],
    [{ fixes: null }, 'fixes must be an array, got null'],
  ])('names the file and field of a malformed report (%j)', (extra, message) => {
    expect(() => parse(extra)).toThrow(DataError);
    expect(() => parse(extra)).toThrow(`runs/x/report.json: ${message}`);
  });

  it('names the file when the JSON is torn', () => {
    expect(() => parseReport('{"dimensions": [', 'runs/x/report.json')).toThrow(/^runs\/x\/report\.json: not valid JSON/);
  });
});

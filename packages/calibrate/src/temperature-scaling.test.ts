import { createRandom, InputError } from '@trustbench/core';
import { expectedCalibrationError, negativeLogLikelihood } from '@trustbench/metrics';
import { describe, expect, it } from 'vitest';
import { fitTemperature, fitTemperatureCalibrator, scaleLogits, temperatureCalibrator } from './temperature-scaling.js';

/** A seeded over-confident classifier: labels drawn from softmax(z), the model reports z * trueT. */
function overconfident(n: number, classes: number, trueT: number, seed: number) {
  const r = createRandom(seed);
  const logits: number[][] = [];
  const labels: number[] = [];
  for (let i = 0; i < n; i++) {
    const z = Array.from({ length: classes }, () => 1.5 * r.normal());
    const p = scaleLogits([z], 1)[0]!;
    let u = r.next();
    let y = 0;
    while (y < classes - 1 && (u -= p[y]!) > 0) y++;
    logits.push(z.map((x) => x * trueT));
    labels.push(y);
  }
  return { logits, labels };
}

const nllAt = (logits: number[][], labels: number[], t: number) => negativeLogLikelihood(logits.map((row) => row.map((z) => z / t)), labels, { from: 'logits' });

describe('fitTemperature', () => {
  it('finds the exact NLL minimiser: a fine grid and a ternary search (two other methods) agree', () => {
    const { logits, labels } = overconfident(500, 4, 2, 1);
    const { temperature, nll } = fitTemperature(logits, labels);
    let best = { t: 0, nll: Infinity };
    for (let t = temperature - 0.01; t <= temperature + 0.01; t += 1e-5) {
      const v = nllAt(logits, labels, t);
      if (v < best.nll) best = { t, nll: v };
    }
    expect(Math.abs(best.t - temperature)).toBeLessThan(1e-4);
    let lo = 0.5, hi = 5;
    for (let it = 0; it < 100; it++) {
      const a = lo + (hi - lo) / 3, b = hi - (hi - lo) / 3;
      if (nllAt(logits, labels, a) < nllAt(logits, labels, b)) hi = b;
      else lo = a;
    }
    expect(Math.abs((lo + hi) / 2 - temperature)).toBeLessThan(1e-6);
    expect(nll).toBeCloseTo(nllAt(logits, labels, temperature), 12);
  });

  it('recovers the temperature that made an over-confident classifier within 2%, and lowers held-out ECE and NLL', () => {
    const fit = overconfident(20_000, 5, 2.5, 2);
    const held = overconfident(5_000, 5, 2.5, 3);
    const { temperature } = fitTemperature(fit.logits, fit.labels);
    const conf = (rows: number[][]) => rows.map((p) => Math.max(...p));
    const right = (rows: number[][]) => rows.map((p, i) => (p.indexOf(Math.max(...p)) === held.labels[i] ? 1 : 0) as 0 | 1);
    const before = scaleLogits(held.logits, 1);
    const after = scaleLogits(held.logits, temperature);
    const eceBefore = expectedCalibrationError(conf(before), right(before));
    const eceAfter = expectedCalibrationError(conf(after), right(after));
    const nllBefore = nllAt(held.logits, held.labels, 1);
    const nllAfter = nllAt(held.logits, held.labels, temperature);
    console.log(`temperature fitted ${temperature.toFixed(4)} (true 2.5); held-out ECE ${eceBefore.toFixed(4)} -> ${eceAfter.toFixed(4)}, NLL ${nllBefore.toFixed(4)} -> ${nllAfter.toFixed(4)}`);
    expect(Math.abs(temperature - 2.5) / 2.5).toBeLessThan(0.02);
    expect(eceAfter).toBeLessThan(eceBefore / 2);
    expect(nllAfter).toBeLessThan(nllBefore);
  });

  it('defines the edge cases', () => {
    expect(() => fitTemperature([], [])).toThrow(/empty input/);
    expect(() => fitTemperature([[1, 2]], [0, 1])).toThrow(/logits has 1 rows, labels has 2/);
    expect(() => fitTemperature([[1, 2]], [2])).toThrow(new InputError('fitTemperature: labels[0] must be an integer in [0, 2), got 2'));
    expect(() => fitTemperature([[1, Number.NaN]], [0])).toThrow(/logits\[0\]\[1\] must be a finite number, got NaN/);
    expect(() => fitTemperature([[5, 0], [0, 5]], [0, 1])).toThrow(/perfectly separated/);
    expect(() => fitTemperature([[1, 1], [2, 2]], [0, 1])).toThrow(/carry no information/);
    expect(() => fitTemperature([[5, 0], [0, 5]], [1, 0])).toThrow(/rank them backwards/);
  });
});

describe('two-class temperature on confidences', () => {
  it('by hand', () => {
    // logit 0.9 = ln 9; sigmoid(ln 9 / 2) = 1 / (1 + 9^(-1/2)) = 3/4
    expect(temperatureCalibrator(2).apply([0.9])[0]).toBeCloseTo(0.75, 12);
    expect(temperatureCalibrator(1).apply([0.3, 0.5])).toEqual([0.3, 0.5].map((c) => expect.closeTo(c, 12) as unknown as number));
    // softmax([2, 0] / 2) = (e, 1) / (e + 1)
    expect(scaleLogits([[2, 0]], 2)[0]![0]).toBeCloseTo(Math.E / (Math.E + 1), 15);
  });

  it('recovers the temperature of over-confident binary confidences', () => {
    // true probability sigmoid(s); the model reports sigmoid(2 s)
    const r = createRandom(4);
    const s = Array.from({ length: 20_000 }, () => 2 * r.normal());
    const correct = s.map((x) => (r.next() < 1 / (1 + Math.exp(-x)) ? 1 : 0) as 0 | 1);
    const reported = s.map((x) => 1 / (1 + Math.exp(-2 * x)));
    const cal = fitTemperatureCalibrator(reported, correct);
    const t = cal.params.method === 'temperature' ? cal.params.temperature : Number.NaN;
    expect(Math.abs(t - 2) / 2).toBeLessThan(0.03);
  });

  it('defines the edge cases', () => {
    expect(() => temperatureCalibrator(0)).toThrow(/temperature must be a positive finite number, got 0/);
    expect(() => temperatureCalibrator(2).apply([1.5])).toThrow(/confidences\[0\] must be a number in \[0, 1\], got 1.5/);
    expect(() => fitTemperatureCalibrator([0.5, Number.NaN], [1, 0])).toThrow(/confidences\[1\] must be a number in \[0, 1\], got NaN/);
    expect(() => scaleLogits([[1]], -1)).toThrow(/got -1/);
    expect(temperatureCalibrator(2).apply([0, 1]).every(Number.isFinite)).toBe(true); // clipped, not infinite
  });
});

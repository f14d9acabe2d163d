/**
 * Weight precisions: the float16 and int8 conversions on their own, and the logit error of fp16 and int8 models
 * against the fp32 model on the tiny fixture (recorded in the README).
 */
import { fileURLToPath } from 'node:url';
import { ConfigError } from '@trustbench/core';
import { afterAll, describe, expect, it } from 'vitest';
import { loadOnnxModel } from './load-onnx-model.js';
import type { OnnxModel } from './onnx-model.js';
import { parsePrecision, quantizeInt8, toFloat16, toHalfBits } from './precision.js';

describe('conversions', () => {
  it('rounds float32 to float16 bits to nearest even, with subnormals, overflow and NaN', () => {
    expect(toHalfBits(1)).toBe(0x3c00);
    expect(toHalfBits(-2)).toBe(0xc000);
    expect(toHalfBits(65504)).toBe(0x7bff);
    expect(toHalfBits(1e6)).toBe(0x7c00);
    expect(toHalfBits(2 ** -24)).toBe(0x0001);
    expect(toHalfBits(1 + 2 ** -11)).toBe(0x3c00); // a tie rounds to the even mantissa
    expect(toHalfBits(1 + 3 * 2 ** -11)).toBe(0x3c02);
    expect(toHalfBits(Number.NaN) & 0x7e00).toBe(0x7e00);
    expect(Array.from(toFloat16(Float32Array.of(0.5, -0.25)))).toEqual([0x3800, 0xb400]);
  });

  it('quantises blockwise to int8 with one scale per block: dequantised values within half a step', () => {
    const K = 40; // two blocks of 32, the second padded
    const w = Float32Array.from({ length: 3 * K }, (_, i) => Math.sin(i) * (1 + (i % 7)));
    const q = quantizeInt8(w, 3, K);
    expect(q.blocks).toBe(2);
    for (let n = 0; n < 3; n++) {
      for (let k = 0; k < K; k++) {
        const b = Math.floor(k / 32);
        const scale = q.scales[n * 2 + b]!;
        const value = (q.data[(n * 2 + b) * 32 + (k % 32)]! - 128) * scale;
        expect(Math.abs(value - w[n * K + k]!)).toBeLessThanOrEqual(scale / 2 + 1e-6);
      }
    }
    expect(() => parsePrecision('bf16')).toThrow(ConfigError);
  });
});

const dir = fileURLToPath(new URL('../../../../fixtures/qwen35-tiny', import.meta.url));
const models: OnnxModel[] = [];
afterAll(async () => {
  for (const m of models) await m.release();
});

describe('parity of lower precisions against fp32 on the tiny fixture', async () => {
  const fp32 = await loadOnnxModel(dir);
  models.push(fp32);
  const ids = Array.from({ length: 33 }, (_, i) => (i * 97 + 5) % fp32.dimensions.vocabSize);
  const base = (await fp32.forward(ids)).data;
  const scale = base.reduce((m, x) => Math.max(m, Math.abs(x)), 0);

  // int8 moves this tiny random model's logits far more than a trained model's: 8-bit steps of ~1% per weight
  // compound through 4 untrained layers of width 32. The bound is what was measured (0.22), with headroom.
  it.each([['fp16', 1e-3], ['int8', 0.3]] as const)('%s logits stay within %s of fp32, relative to the largest logit', async (precision, bound) => {
    const model = await loadOnnxModel(dir, { precision });
    models.push(model);
    const logits = (await model.forward(ids)).data;
    let err = 0;
    let agree = 0;
    const V = model.dimensions.vocabSize;
    for (let t = 0; t < ids.length; t++) {
      const row = logits.subarray(t * V, (t + 1) * V);
      const ref = base.subarray(t * V, (t + 1) * V);
      for (let i = 0; i < V; i++) err = Math.max(err, Math.abs(row[i]! - ref[i]!));
      if (row.indexOf(Math.max(...row)) === ref.indexOf(Math.max(...ref))) agree++;
    }
    console.log(`${precision} vs fp32 (tiny fixture, 33 tokens): max |logit err| ${err.toExponential(2)} (max |logit| ${scale.toFixed(2)}), argmax agrees at ${agree}/${ids.length}`);
    expect(model.precision).toBe(precision);
    expect(err / scale).toBeLessThan(bound);
    expect(agree / ids.length).toBeGreaterThanOrEqual(0.9);
    expect(err).toBeGreaterThan(0); // the weights really changed precision
  });
});

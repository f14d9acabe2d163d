import { createRandom } from '@trustbench/core';
import { describe, expect, it } from 'vitest';
import { chunkedDeltaRule, recurrentDeltaRule, type DeltaRuleInputs } from './delta-rule.js';
import { deltaNetEffectiveAttention } from './effective-attention.js';

function inputs(T: number, dk: number, dv: number, seed: number): DeltaRuleInputs {
  const r = createRandom(seed);
  const unit = (n: number, scale: number) => {
    const out = new Float32Array(T * n);
    for (let t = 0; t < T; t++) {
      let ss = 0;
      for (let i = 0; i < n; i++) ss += (out[t * n + i] = r.normal()) ** 2;
      for (let i = 0; i < n; i++) out[t * n + i] = (out[t * n + i] as number) * scale / Math.sqrt(ss);
    }
    return out;
  };
  return {
    q: unit(dk, 1 / Math.sqrt(dk)), k: unit(dk, 1), v: Float32Array.from({ length: T * dv }, () => r.normal()),
    beta: Float32Array.from({ length: T }, () => r.next()), g: Float32Array.from({ length: T }, () => -0.5 * r.next()), T, dk, dv,
  };
}
const maxAbs = (a: ArrayLike<number>, b: ArrayLike<number>) => Array.from(a).reduce((m, x, i) => Math.max(m, Math.abs(x - (b[i] as number))), 0);

describe('gated delta rule', () => {
  it('chunked equals recurrent over 150 tokens (three chunks), from a non-zero state, with dk != dv', () => {
    const x = inputs(150, 8, 12, 1);
    const S0 = Float32Array.from({ length: 8 * 12 }, (_, i) => Math.sin(i));
    const Sr = new Float32Array(S0);
    const Sc = new Float32Array(S0);
    const or = recurrentDeltaRule(x, Sr);
    const oc = chunkedDeltaRule(x, Sc);
    const errOut = maxAbs(oc, or);
    const errState = maxAbs(Sc, Sr);
    console.log(`chunked vs recurrent at 150 tokens: output ${errOut.toExponential(2)}, state ${errState.toExponential(2)}`);
    expect(errOut).toBeLessThan(1e-5);
    expect(errState).toBeLessThan(1e-5);
  });

  it('gives the exact effective attention: a_ij equals the recurrence run on a unit value at j alone (every i, j)', () => {
    const T = 40;
    const x = inputs(T, 8, 1, 2);
    const a = deltaNetEffectiveAttention(x);
    let err = 0;
    for (let j = 0; j < T; j++) {
      const v = new Float32Array(T);
      v[j] = 1; // o_i is linear in v: with v = e_j it is exactly a_ij
      const o = recurrentDeltaRule({ ...x, v, dv: 1 }, new Float32Array(8));
      for (let i = 0; i < T; i++) err = Math.max(err, Math.abs((o[i] as number) - (a[i * T + j] as number)));
    }
    console.log(`effective attention vs brute force, ${T}x${T}: max error ${err.toExponential(2)}`);
    expect(err).toBeLessThan(1e-6);
    expect(a[0 * T + 1]).toBe(0); // causal
  });
});

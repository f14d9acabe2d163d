/**
 * Summary statistics of one head's attention, in the same units for both layer types.
 *
 * Each query row i (keys j = 0..i) is first turned into a distribution p_ij = |a_ij| / sum_j |a_ij|. For softmax
 * attention (`attn.hook_pattern`) this is the pattern itself; for a Gated DeltaNet head a_ij is the effective attention
 * (the signed, unnormalised coefficient of v_j in the recurrence output o_i), so p is where the output's magnitude comes
 * from. Per row:
 *
 *   entropy_i = -sum_j p_ij ln p_ij      (nats)
 *   sink_i    = p_i0                     (weight on the first token)
 *   max_i     = max_j p_ij
 *   span_i    = sum_j p_ij (i - j)       (expected distance back, in tokens)
 *
 * and the head's value is the mean over query rows 1..T-1 (row 0 can only see itself; it is used only when T = 1). Rows
 * whose coefficients are all zero are skipped.
 */
import { InputError } from '@trustbench/core';

/** One head's statistics (means over query rows). */
export interface AttentionStats {
  readonly entropy: number;
  readonly sink: number;
  readonly max: number;
  readonly span: number;
}

/**
 * Statistics of a [T, T] causal matrix of attention coefficients (row = query, column = key), signed or not.
 *
 * @throws {InputError} when `a` does not hold T * T values.
 * @example
 * attentionStats(new Float32Array([1, 0, 0.5, 0.5]), 2) // row 1: { entropy: ln 2, sink: 0.5, max: 0.5, span: 0.5 }
 */
export function attentionStats(a: ArrayLike<number>, T: number): AttentionStats {
  if (a.length !== T * T || T < 1) throw new InputError(`attentionStats: expected a [${T}, ${T}] matrix (${T * T} values, T >= 1), got ${a.length} values`);
  let [entropy, sink, max, span, rows] = [0, 0, 0, 0, 0];
  for (let i = T === 1 ? 0 : 1; i < T; i++) {
    let total = 0;
    for (let j = 0; j <= i; j++) total += Math.abs(a[i * T + j] as number);
    if (total === 0) continue;
    let [h, m, s] = [0, 0, 0];
    for (let j = 0; j <= i; j++) {
      const p = Math.abs(a[i * T + j] as number) / total;
      if (p > 0) h -= p * Math.log(p);
      m = Math.max(m, p);
      s += p * (i - j);
    }
    entropy += h;
    sink += Math.abs(a[i * T] as number) / total;
    max += m;
    span += s;
    rows++;
  }
  return rows === 0 ? { entropy: Number.NaN, sink: Number.NaN, max: Number.NaN, span: Number.NaN } : { entropy: entropy / rows, sink: sink / rows, max: max / rows, span: span / rows };
}

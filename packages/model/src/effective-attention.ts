/**
 * The effective attention of a Gated DeltaNet head: the exact coefficient a_ij of v_j in the output o_i of
 * the recurrence (before the gated norm), for a sequence started from a zero state.
 *
 * With P_{t,t} = beta_t k_t and P_{t,j} = exp(g_t) (I - beta_t k_t k_t^T) P_{t-1,j} for j < t, the state is
 * S_t = sum_j P_{t,j} v_j^T, so o_i = S_i^T q_i = sum_j (q_i . P_{i,j}) v_j and a_ij = q_i . P_{i,j}.
 * The coefficients are signed and unnormalised (they do not sum to one); a_ij = 0 for j > i.
 */

/**
 * Computes a [T, T] for one value head from its inputs (q scaled and normalised, k normalised, beta, g).
 * Cost O(T^2 dk): fine for a few hundred tokens.
 *
 * @example
 * const a = deltaNetEffectiveAttention({ q, k, beta, g, T, dk }); // a[i * T + j]
 */
export function deltaNetEffectiveAttention(x: { q: Float32Array; k: Float32Array; beta: Float32Array; g: Float32Array; T: number; dk: number }): Float64Array {
  const { q, k, beta, g, T, dk } = x;
  const a = new Float64Array(T * T); // [T, T]
  const P = new Float64Array(T * dk); // P[j] for j <= t, rows updated as t advances
  for (let t = 0; t < T; t++) {
    const decay = Math.exp(g[t] as number);
    const bt = beta[t] as number;
    for (let j = 0; j < t; j++) {
      let kp = 0;
      for (let d = 0; d < dk; d++) kp += (k[t * dk + d] as number) * (P[j * dk + d] as number);
      for (let d = 0; d < dk; d++) P[j * dk + d] = decay * ((P[j * dk + d] as number) - bt * (k[t * dk + d] as number) * kp);
    }
    for (let d = 0; d < dk; d++) P[t * dk + d] = bt * (k[t * dk + d] as number);
    for (let j = 0; j <= t; j++) {
      let s = 0;
      for (let d = 0; d < dk; d++) s += (q[t * dk + d] as number) * (P[j * dk + d] as number);
      a[t * T + j] = s;
    }
  }
  return a;
}

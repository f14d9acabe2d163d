/**
 * Output-distribution signals computed from one row of logits.
 */

/**
 * Shannon entropy (nats) of softmax(logits), computed stably:
 *
 * H = -sum_i p_i log p_i,  p_i = exp(l_i - m) / Z,  Z = sum_j exp(l_j - m),  m = max_j l_j
 *   = log Z - sum_i p_i (l_i - m)
 *
 * @param logits One row of logits (any length >= 1).
 * @returns Entropy in nats, in [0, log(V)].
 * @example
 * tokenEntropy(new Float32Array([0, 0])) // Math.LN2
 */
export function tokenEntropy(logits: ArrayLike<number>): number {
  let m = -Infinity;
  for (let i = 0; i < logits.length; i++) m = Math.max(m, logits[i] as number);
  let z = 0;
  let weighted = 0;
  for (let i = 0; i < logits.length; i++) {
    const d = (logits[i] as number) - m;
    const e = Math.exp(d);
    z += e;
    weighted += e * d;
  }
  return Math.log(z) - weighted / z;
}

/**
 * The effective attention of a Gated DeltaNet head: the exact coefficient a_ij of v_j in the output o_i of
 * the recurrence (before the gated norm), for a sequence started from a zero state.
 *
 * With P_{t,t} = beta_t k_t and P_{t,j} = exp(g_t) (I - beta_t k_t k_t^T) P_{t-1,j} for j < t, the state is
 * S_t = sum_j P_{t,j} v_j^T, so o_i = S_i^T q_i = sum_j (q_i . P_{i,j}) v_j and a_ij = q_i . P_{i,j}.
 * The coefficients are signed and unnormalised (they do not sum to one); a_ij = 0 for j > i.
 *
 * `deltaNetEffectiveAttention` works on one head's prepared inputs; `effectiveAttention` reads them from a
 * model's hooks for every value head of a layer.
 */
import { HookError, tensor, type HookName, type Tensor, type WhiteBoxModel } from '@trustbench/core';

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

/**
 * The effective attention of every value head of Gated DeltaNet layer `layer` on `ids` (one sequence, from a
 * zero state): a [1, nv, T, T] tensor with a[0, h, i, j] the coefficient of v_j in the recurrence output o_i of
 * value head h (`linear_attn.hook_recurrence_out`, before the gated norm), so that
 * o_i[h] = sum_j a[0, h, i, j] v_j[h] exactly. Value head h reads key head h // (nv / nk).
 *
 * It reads `hook_q`, `hook_k`, `hook_beta` and `hook_log_decay` of the layer, so on a `withInterventions` view
 * it describes the steered run (an edit of `hook_decay` alone is not seen; edit `hook_log_decay`).
 * Cost O(nv T^2 dk): meant for sequences of up to a few hundred tokens.
 *
 * @throws {HookError} when `layer` does not exist or is not a Gated DeltaNet (linear_attention) layer.
 * @example
 * const a = await effectiveAttention(model, model.tokenizer.encode('The cat sat'), 0); // [1, nv, T, T]
 */
export async function effectiveAttention(model: WhiteBoxModel, ids: readonly number[], layer: number): Promise<Tensor> {
  const type = model.layerTypes[layer];
  if (type !== 'linear_attention') {
    throw new HookError(`effectiveAttention: layer ${layer} must be a linear_attention (Gated DeltaNet) layer, got ${type ?? `none (the model has ${model.layerTypes.length} layers)`}`);
  }
  const name = (p: string): HookName => `blocks.${layer}.linear_attn.${p}` as HookName;
  const names = [name('hook_q'), name('hook_k'), name('hook_beta'), name('hook_log_decay')];
  const { cache } = await model.runWithCache(ids, { names });
  const [q, k, beta, g] = names.map((n) => cache.get(n) as Tensor) as [Tensor, Tensor, Tensor, Tensor]; // q, k [1, T, nk, dk]; beta, g [1, T, nv]
  const T = ids.length;
  const [nk, dk] = [q.shape[2] as number, q.shape[3] as number];
  const nv = beta.shape[2] as number;
  const out = new Float32Array(nv * T * T); // [nv, T, T]
  for (let h = 0; h < nv; h++) {
    const hk = Math.floor(h / (nv / nk)); // value head h reads key head h // (nv / nk)
    const head = {
      q: pick(q.data, T, nk, dk, hk), // [T, dk]
      k: pick(k.data, T, nk, dk, hk), // [T, dk]
      beta: pick(beta.data, T, nv, 1, h), // [T]
      g: pick(g.data, T, nv, 1, h), // [T]
      T,
      dk,
    };
    out.set(deltaNetEffectiveAttention(head), h * T * T);
  }
  return tensor(out, [1, nv, T, T]);
}

/** Head `h` of x [T, heads, dim] as a contiguous [T, dim]. */
function pick(x: Float32Array, T: number, heads: number, dim: number, h: number): Float32Array {
  const out = new Float32Array(T * dim);
  for (let t = 0; t < T; t++) out.set(x.subarray((t * heads + h) * dim, (t * heads + h + 1) * dim), t * dim);
  return out;
}

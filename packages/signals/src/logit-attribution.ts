/**
 * Direct logit attribution: how much each layer's mixer and MLP output, read straight through the final norm and the
 * head, pushes the logit of a target token above a baseline token at the last position.
 *
 *   DLA(c) = (c_last . ((1 + w_final) * (W_U[target] - W_U[baseline]))) / rms(x_final)
 *
 * with the final norm's scale frozen at its value on this input (the usual linearisation). The attributions of the
 * embedding and of every component add up to the logit difference exactly.
 */
import type { HookName, LayerType, WhiteBoxModel } from '@trustbench/core';

/** Per-layer attribution. */
export interface LayerAttribution {
  readonly layer: number;
  readonly layerType: LayerType;
  /** What the mixer (Gated DeltaNet or full attention) writes. */
  readonly mixer: number;
  readonly mlp: number;
}

/**
 * Attributes logit(target) - logit(baseline) at the last position to the embedding and each layer's components.
 *
 * @param unembed The head rows `[vocab, d_model]` (the embedding when tied) and the final norm weight `[d_model]`.
 * @example
 * const { layers } = await directLogitAttribution(model, ids, { target: refuseId, baseline: complyId, unembed, finalNorm });
 */
export async function directLogitAttribution(
  model: WhiteBoxModel, ids: readonly number[],
  options: { readonly target: number; readonly baseline: number; readonly unembed: Float32Array; readonly finalNorm: Float32Array; readonly eps?: number },
): Promise<{ embed: number; layers: LayerAttribution[]; logitDifference: number }> {
  const L = model.layerTypes.length;
  const d = model.dimensions.dModel;
  const names: HookName[] = ['hook_embed', ...model.layerTypes.flatMap((_, i) => [`blocks.${i}.hook_attn_out`, `blocks.${i}.hook_mlp_out`] as HookName[]), `blocks.${L - 1}.hook_resid_post`];
  const { logits, cache } = await model.runWithCache(ids, { names });
  const last = (name: HookName) => cache.get(name)!.data.subarray((ids.length - 1) * d, ids.length * d);
  const final = last(`blocks.${L - 1}.hook_resid_post`);
  const rms = Math.sqrt(final.reduce((s, x) => s + x * x, 0) / d + (options.eps ?? 1e-6));
  const dir = new Float64Array(d); // (1 + w) * (W_U[target] - W_U[baseline]) / rms
  for (let i = 0; i < d; i++) dir[i] = ((1 + (options.finalNorm[i] as number)) * ((options.unembed[options.target * d + i] as number) - (options.unembed[options.baseline * d + i] as number))) / rms;
  const dot = (v: Float32Array) => v.reduce((s, x, i) => s + x * (dir[i] as number), 0);
  const V = model.dimensions.vocabSize;
  const row = logits.data.subarray((ids.length - 1) * V, ids.length * V);
  return {
    embed: dot(last('hook_embed')),
    layers: model.layerTypes.map((layerType, layer) => ({ layer, layerType, mixer: dot(last(`blocks.${layer}.hook_attn_out`)), mlp: dot(last(`blocks.${layer}.hook_mlp_out`)) })),
    logitDifference: (row[options.target] as number) - (row[options.baseline] as number),
  };
}

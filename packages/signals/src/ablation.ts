/**
 * Ablation: zero one component in every position and measure how the metric moves. Components are each layer's
 * mixer output and MLP output (`hook_attn_out`, `hook_mlp_out`, zeroed by a patch) and, with `heads`, each head
 * (`ablate_head` on `attn.hook_z` for full attention, on `linear_attn.hook_recurrence_out` for a Gated DeltaNet
 * value head, both before the output gate / gated norm).
 */
import { tensor, type HookName, type Intervention, type LayerType, type WhiteBoxModel } from '@trustbench/core';

/** The effect of removing one component. */
export interface AblationEffect {
  readonly layer: number;
  readonly layerType: LayerType;
  readonly component: 'mixer' | 'mlp' | 'head';
  /** The head, for component 'head'. */
  readonly head: number | null;
  /** metric(ablated) - metric(clean). */
  readonly effect: number;
}

/**
 * Ablates each component in turn on one input.
 *
 * @param metric A number from the logits of the last position, e.g. a logit difference.
 * @example
 * const effects = await ablationEffects(model, ids, (row) => row[refuse] - row[comply], { heads: true });
 */
export async function ablationEffects(
  model: WhiteBoxModel, ids: readonly number[], metric: (lastLogits: Float32Array) => number, options: { readonly heads?: boolean } = {},
): Promise<{ clean: number; effects: AblationEffect[] }> {
  const V = model.dimensions.vocabSize;
  const T = ids.length;
  const measure = async (m: WhiteBoxModel) => metric((await m.forward(ids)).data.subarray((T - 1) * V, T * V));
  const clean = await measure(model);
  const zeros = tensor(new Float32Array(T * model.dimensions.dModel), [1, T, model.dimensions.dModel]);
  const effects: AblationEffect[] = [];
  for (const [layer, layerType] of model.layerTypes.entries()) {
    const run = async (component: AblationEffect['component'], head: number | null, iv: Intervention) => {
      effects.push({ layer, layerType, component, head, effect: (await measure(model.withInterventions([iv]))) - clean });
    };
    await run('mixer', null, { kind: 'patch', hook: `blocks.${layer}.hook_attn_out` as HookName, value: zeros });
    await run('mlp', null, { kind: 'patch', hook: `blocks.${layer}.hook_mlp_out` as HookName, value: zeros });
    if (!options.heads) continue;
    const full = layerType === 'full_attention';
    const hook = (full ? `blocks.${layer}.attn.hook_z` : `blocks.${layer}.linear_attn.hook_recurrence_out`) as HookName;
    const { cache } = await model.runWithCache(ids, { names: [hook] });
    const heads = cache.get(hook)!.shape[2] as number;
    for (let head = 0; head < heads; head++) await run('head', head, { kind: 'ablate_head', hook, head });
  }
  return { clean, effects };
}

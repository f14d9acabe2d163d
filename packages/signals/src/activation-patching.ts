/**
 * Activation patching: run the corrupted input, but write one component's activation from the clean run in its place,
 * and measure how much of the clean behaviour comes back. A component whose patch restores the behaviour causes it.
 */
import { tensor, type HookName, type WhiteBoxModel } from '@trustbench/core';

/** The effect of patching one hook. */
export interface PatchEffect {
  readonly hook: HookName;
  /** metric(patched) - metric(corrupted), divided by metric(clean) - metric(corrupted): 1 = fully restored. */
  readonly restored: number;
  readonly metric: number;
}

/**
 * Patches each hook at the last position (clean and corrupted inputs may differ in length; their last positions are
 * aligned) and reports the fraction of the metric that comes back.
 *
 * @param metric A number from the logits of the last position, e.g. a logit difference.
 * @example
 * await patchLastPosition(model, clean, corrupted, ['blocks.1.hook_mlp_out'], (row) => row[refuse] - row[comply]);
 */
export async function patchLastPosition(
  model: WhiteBoxModel, clean: readonly number[], corrupted: readonly number[], hooks: readonly HookName[], metric: (lastLogits: Float32Array) => number,
): Promise<{ clean: number; corrupted: number; effects: PatchEffect[] }> {
  const V = model.dimensions.vocabSize;
  const lastRow = (data: Float32Array, T: number) => data.subarray((T - 1) * V, T * V);
  const { logits: cleanLogits, cache } = await model.runWithCache(clean, { names: hooks });
  const mClean = metric(lastRow(cleanLogits.data, clean.length));
  const mCorrupt = metric(lastRow((await model.forward(corrupted)).data, corrupted.length));
  const effects: PatchEffect[] = [];
  for (const hook of hooks) {
    const act = cache.get(hook)!;
    const width = act.data.length / clean.length; // values per position
    const value = tensor(act.data.slice((clean.length - 1) * width, clean.length * width), [1, 1, ...act.shape.slice(2)]);
    const patched = model.withInterventions([{ kind: 'patch', hook, value, positions: 'last' }]);
    const m = metric(lastRow((await patched.forward(corrupted)).data, corrupted.length));
    effects.push({ hook, metric: m, restored: (m - mCorrupt) / (mClean - mCorrupt) });
  }
  return { clean: mClean, corrupted: mCorrupt, effects };
}

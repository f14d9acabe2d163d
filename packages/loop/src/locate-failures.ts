/**
 * Diagnose inside the model: for each multiple-choice task with both failed and passed items, where in the model the
 * failures arise. Two kinds of evidence per layer, each labelled with the layer's type (Gated DeltaNet or full attention):
 *
 * - a linear probe on the residual stream at the last context token, trained to tell failed from passed items (held-out
 *   accuracy: where the failure is *readable*);
 * - activation patching: run a failed item with one component's output (mixer or MLP, last position) taken from a passed
 *   item, and measure the fraction of the answer margin that comes back (where the failure is *caused*).
 *
 * The margin is `logit(first token of the gold option) - max over the other options' first tokens` at the last context
 * position; restored = (m_patched - m_failed) / (m_passed - m_failed), averaged over the patched pairs.
 */
import { encodeContinuation, hashString, type HookName, type LayerType, type Prompt, type WhiteBoxModel } from '@trustbench/core';
import type { Task, TaskRecord } from '@trustbench/datasets';
import { patchLastPosition, probeLayers } from '@trustbench/signals';
import type { ItemRecord } from './profile.js';

/** Evidence at one layer. */
export interface LayerEvidence {
  readonly layer: number;
  readonly layerType: LayerType;
  /** Held-out accuracy of a failed-vs-passed probe on `blocks.{layer}.hook_resid_post` (0.5 = chance). */
  readonly probeAccuracy: number;
  /** Mean fraction of the margin restored by patching the mixer output (`hook_attn_out`) from a passed item. */
  readonly mixerRestored: number;
  /** Mean fraction of the margin restored by patching the MLP output (`hook_mlp_out`) from a passed item. */
  readonly mlpRestored: number;
}

/** Where one task's failures come from. */
export interface FailureLocation {
  readonly taskId: string;
  readonly dimension: string;
  readonly failedItems: number;
  readonly passedItems: number;
  /** Failed / passed pairs that were patched. */
  readonly patchedPairs: number;
  readonly layers: readonly LayerEvidence[];
  /** The component whose patch restores the most. */
  readonly top: { readonly layer: number; readonly layerType: LayerType; readonly component: 'mixer' | 'mlp'; readonly restored: number };
}

/** The token ids a multiple-choice item's options continue (what `scoreContinuations` ran), and the options' first tokens. */
export function choiceContext(model: WhiteBoxModel, record: TaskRecord): { ids: number[]; optionFirstTokens: number[] } {
  const text = contextText(model, record.prompt);
  const options = record.choices!.options;
  const ids = encodeContinuation(model.tokenizer, text, options[record.choices!.gold] as string).contextIds;
  return { ids, optionFirstTokens: options.map((o) => encodeContinuation(model.tokenizer, text, o).continuationIds[0] as number) };
}

const contextText = (model: WhiteBoxModel, prompt: Prompt): string => (typeof prompt === 'string' ? prompt : model.tokenizer.applyChatTemplate(prompt, { addGenerationPrompt: true }));

/**
 * Locates the failures of every multiple-choice task with at least 4 failed and 4 passed items.
 *
 * @param options.maxPairs failed items patched per task (default 8; each costs 2 forward passes per layer).
 * @example
 * const [where] = await locateFailures(model, items, tasks, { seed: 1 });
 * where.top; // { layer: 1, layerType: 'linear_attention', component: 'mlp', restored: 0.98 }
 */
export async function locateFailures(model: WhiteBoxModel, items: readonly ItemRecord[], tasks: readonly Task[], options: { readonly seed: number; readonly maxPairs?: number }): Promise<FailureLocation[]> {
  const out: FailureLocation[] = [];
  for (const task of tasks) {
    const records = new Map(task.records.map((r) => [r.id, r]));
    const mine = items.filter((i) => i.taskId === task.id && i.mode === 'loglikelihood' && i.correct !== null && records.get(i.itemId)?.choices);
    const failed = mine.filter((i) => i.correct === 0);
    const passed = mine.filter((i) => i.correct === 1);
    if (failed.length < 4 || passed.length < 4) continue;
    const contexts = new Map([...failed, ...passed].map((i) => [i.key, choiceContext(model, records.get(i.itemId) as TaskRecord)]));
    const ctx = (i: ItemRecord) => contexts.get(i.key) as ReturnType<typeof choiceContext>;
    // Probe: failed (1) vs passed (0), split by a seeded hash of the cluster so paired items stay on one side.
    const probed = [...failed, ...passed];
    let split = probed.map((i) => (hashString(`${options.seed}:probe:${i.cluster}`) % 2 === 0 ? 'train' as const : 'test' as const));
    if (!split.includes('train') || !split.includes('test')) split = probed.map((_, k) => (k % 2 === 0 ? 'train' : 'test'));
    const probes = await probeLayers(model, probed.map((i) => ctx(i).ids), probed.map((i) => (i.correct === 0 ? 1 : 0)), split, { seed: options.seed });
    // Patching: each failed item gets the components of a passed item, one at a time.
    const hooks = model.layerTypes.flatMap((_, l) => [`blocks.${l}.hook_attn_out`, `blocks.${l}.hook_mlp_out`] as HookName[]);
    const sums = new Float64Array(hooks.length);
    let pairs = 0;
    for (const [k, f] of failed.slice(0, options.maxPairs ?? 8).entries()) {
      const bad = ctx(f);
      const good = ctx(passed[k % passed.length] as ItemRecord);
      const gold = (records.get(f.itemId) as TaskRecord).choices!.gold;
      const margin = (row: Float32Array) => (row[bad.optionFirstTokens[gold] as number] as number) - Math.max(...bad.optionFirstTokens.filter((_, o) => o !== gold).map((t) => row[t] as number));
      const r = await patchLastPosition(model, good.ids, bad.ids, hooks, margin);
      if (!(Math.abs(r.clean - r.corrupted) > 1e-6)) continue;
      r.effects.forEach((e, h) => (sums[h] = (sums[h] as number) + e.restored));
      pairs++;
    }
    const layers = model.layerTypes.map((layerType, layer): LayerEvidence => ({
      layer, layerType, probeAccuracy: probes[layer]?.accuracy ?? Number.NaN,
      mixerRestored: pairs > 0 ? (sums[2 * layer] as number) / pairs : Number.NaN,
      mlpRestored: pairs > 0 ? (sums[2 * layer + 1] as number) / pairs : Number.NaN,
    }));
    const components = layers.flatMap((l) => [
      { layer: l.layer, layerType: l.layerType, component: 'mixer' as const, restored: l.mixerRestored },
      { layer: l.layer, layerType: l.layerType, component: 'mlp' as const, restored: l.mlpRestored },
    ]).filter((c) => Number.isFinite(c.restored));
    if (components.length === 0) continue;
    const top = components.reduce((a, b) => (b.restored > a.restored ? b : a));
    out.push({ taskId: task.id, dimension: task.dimension, failedItems: failed.length, passedItems: passed.length, patchedPairs: pairs, layers, top });
  }
  return out;
}

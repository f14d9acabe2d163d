/**
 * A tiny Qwen3.5 checkpoint with a planted behaviour, so that signals, probes, patching and steering are tested
 * against a known answer rather than on plumbing alone.
 *
 * The residual stream starts as the token embedding. Eight "trigger" tokens carry orthogonal feature directions u_i and
 * eight "neutral" tokens carry n_j; every other embedding row has all of these directions and the planted direction r
 * projected out. Only the MLP of the planted layer reads them: a trigger at a position writes +s r there, a neutral
 * token writes -s r. The LM head is tied, and the rows of the "refuse" and "comply" tokens are +B r and -B r, so at
 * the last position the model prefers "refuse" after a trigger and "comply" after a neutral token. Every other weight is
 * random and scaled down so it barely moves the residual stream. Ground truth: the layer, r, and the token ids.
 */
import { createRandom } from '@trustbench/core';
import type { Qwen35Config, Qwen35Weights } from '@trustbench/model';
import { randomQwen35Weights, tinyQwen35Config } from '@trustbench/model/testing';

/** The checkpoint and what was planted in it. */
export interface PlantedCheckpoint {
  readonly config: Qwen35Config;
  readonly weights: Qwen35Weights;
  /** The block whose MLP writes the behaviour. */
  readonly layer: number;
  /** Unit vector the planted MLP writes (+ for triggers, - for neutral tokens). */
  readonly direction: Float32Array;
  readonly triggerIds: readonly number[];
  readonly neutralIds: readonly number[];
  readonly refuseId: number;
  readonly complyId: number;
}

/** Options of `plantedCheckpoint`. */
export interface PlantedOptions {
  readonly seed?: number;
  /** Planted layer; default 1 (a Gated DeltaNet layer). Layer 3 is a full-attention layer. */
  readonly layer?: number;
}

const D = 64;
const K = 8;

/**
 * Builds the planted checkpoint (vocab 512, so the qwen35-tiny tokenizer fits it; 4 layers: 3 DeltaNet + 1 full attention).
 *
 * @example
 * const planted = plantedCheckpoint({ layer: 3 });
 * const model = createReferenceModel({ id: 'planted', config: planted.config, weights: planted.weights, tokenizer });
 */
export function plantedCheckpoint(options: PlantedOptions = {}): PlantedCheckpoint {
  const seed = options.seed ?? 7;
  const layer = options.layer ?? 1;
  const config = tinyQwen35Config({ vocabSize: 512, hiddenSize: D, intermediateSize: 2 * K, numLayers: 4, numAttentionHeads: 4, numKeyValueHeads: 2, headDim: 16, rotaryDim: 4 });
  const base = randomQwen35Weights(config, seed);
  const random = createRandom(seed + 1);
  const [r, ...features] = orthonormal(1 + 2 * K, random) as [Float32Array, ...Float32Array[]];
  const u = features.slice(0, K);
  const n = features.slice(K);
  const triggerIds = Array.from({ length: K }, (_, i) => 300 + i);
  const neutralIds = Array.from({ length: K }, (_, i) => 320 + i);
  const refuseId = 340;
  const complyId = 341;
  const embed = new Float32Array(base.embedTokens);
  for (let t = 0; t < config.vocabSize; t++) {
    const row = embed.subarray(t * D, (t + 1) * D);
    for (const v of [r, ...features]) projectOut(row, v);
  }
  triggerIds.forEach((t, i) => addScaled(embed.subarray(t * D, (t + 1) * D), u[i] as Float32Array, 4));
  neutralIds.forEach((t, i) => addScaled(embed.subarray(t * D, (t + 1) * D), n[i] as Float32Array, 4));
  embed.subarray(refuseId * D, (refuseId + 1) * D).set(r.map((x) => 3 * x));
  embed.subarray(complyId * D, (complyId + 1) * D).set(r.map((x) => -3 * x));
  const blocks = base.blocks.map((b, i) => {
    const quiet: Record<string, unknown> = { type: b.type };
    for (const [k, v] of Object.entries(b)) {
      if (k === 'type') continue;
      const arr = v as Float32Array;
      // Norm offsets to 0 (identity); projections scaled down so the random blocks barely write to the residual.
      quiet[k] = /Norm$|^norm$|^aLog$|^dtBias$|^conv1d$/.test(k) ? (k === 'norm' ? arr.map(() => 1) : /Norm$/.test(k) ? arr.map(() => 0) : arr) : arr.map((x) => 0.02 * x);
    }
    if (i === layer) {
      const gate = new Float32Array(2 * K * D); // [d_mlp, d_model]: unit j reads feature j
      const down = new Float32Array(D * 2 * K); // [d_model, d_mlp]: trigger units write +r, neutral units -r
      features.forEach((f, j) => {
        for (let c = 0; c < D; c++) gate[j * D + c] = 2 * (f[c] as number);
        for (let c = 0; c < D; c++) down[c * 2 * K + j] = ((j < K ? 1 : -1) * 6 * (r[c] as number)) / 55;
      });
      Object.assign(quiet, { mlpGate: gate, mlpUp: gate, mlpDown: down });
    }
    return quiet as unknown as Qwen35Weights['blocks'][number];
  });
  return {
    config, layer, direction: r, triggerIds, neutralIds, refuseId, complyId,
    weights: { embedTokens: embed, finalNorm: new Float32Array(D), lmHead: embed, blocks },
  };
}

/**
 * Prompts for the planted behaviour: a seeded filler prefix ending in a trigger (label 1) or a neutral token (label 0),
 * with the same prefix for both members of a pair.
 */
export function plantedPrompts(planted: PlantedCheckpoint, pairs: number, seed: number): { ids: number[]; label: 0 | 1; pair: number }[] {
  const random = createRandom(seed);
  return Array.from({ length: pairs }, (_, p) => {
    const prefix = Array.from({ length: 5 + random.int(6) }, () => random.int(256));
    const t = planted.triggerIds[random.int(planted.triggerIds.length)] as number;
    const m = planted.neutralIds[random.int(planted.neutralIds.length)] as number;
    return [{ ids: [...prefix, t], label: 1 as const, pair: p }, { ids: [...prefix, m], label: 0 as const, pair: p }];
  }).flat();
}

function orthonormal(count: number, random: ReturnType<typeof createRandom>): Float32Array[] {
  const out: Float32Array[] = [];
  while (out.length < count) {
    const v = Float32Array.from({ length: D }, () => random.normal());
    for (const w of out) projectOut(v, w);
    const norm = Math.hypot(...v);
    out.push(v.map((x) => x / norm));
  }
  return out;
}

function projectOut(x: Float32Array, unit: Float32Array): void {
  let dot = 0;
  for (let i = 0; i < x.length; i++) dot += (x[i] as number) * (unit[i] as number);
  for (let i = 0; i < x.length; i++) x[i] = (x[i] as number) - dot * (unit[i] as number);
}

function addScaled(x: Float32Array, v: Float32Array, a: number): void {
  for (let i = 0; i < x.length; i++) x[i] = (x[i] as number) + a * (v[i] as number);
}

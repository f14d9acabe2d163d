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
 *
 * Confident-but-wrong facts: eight "question" tokens carry features f_k, and the head row of answer token a_k is 8 f_k,
 * so after question k the model puts almost all probability on a_k. For questions 0-3 the key says a_k (confidently
 * right); for questions 4-7 the key names another answer (confidently wrong), and those question rows also carry a
 * "false belief" direction w, so a correctness probe has something to find.
 */
import { createRandom } from '@trustbench/core';
import type { Qwen35Config, Qwen35Weights } from '@trustbench/model';
import { randomQwen35Weights, tinyQwen35Config } from '@trustbench/model/testing';

/** The checkpoint and what was planted in it. */
export interface PlantedCheckpoint {
  readonly seed: number;
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
  /** Question token -> the answer the model gives (`believedId`) and the key's answer (`trueId`). */
  readonly facts: readonly PlantedFact[];
  /** Unit vector carried by the questions the model answers wrongly (orthogonal to r and every feature). */
  readonly wrongDirection: Float32Array;
}

/** One planted fact: the model answers `questionId` with `believedId` at p > 0.99; the key says `trueId`. */
export interface PlantedFact {
  readonly questionId: number;
  readonly believedId: number;
  readonly trueId: number;
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
  const [r, ...features] = orthonormal([], 1 + 2 * K, random) as [Float32Array, ...Float32Array[]];
  const u = features.slice(0, K);
  const n = features.slice(K);
  const [w, ...questionFeatures] = orthonormal([r, ...features], 1 + K, random) as [Float32Array, ...Float32Array[]];
  const facts = Array.from({ length: K }, (_, k): PlantedFact => ({
    questionId: 360 + k, believedId: 380 + k, trueId: 380 + (k < K / 2 ? k : K / 2 + ((k + 1) % (K / 2))),
  }));
  const triggerIds = Array.from({ length: K }, (_, i) => 300 + i);
  const neutralIds = Array.from({ length: K }, (_, i) => 320 + i);
  const refuseId = 340;
  const complyId = 341;
  const embed = new Float32Array(base.embedTokens);
  for (let t = 0; t < config.vocabSize; t++) {
    const row = embed.subarray(t * D, (t + 1) * D);
    for (const v of [r, ...features, w, ...questionFeatures]) projectOut(row, v);
  }
  facts.forEach((f, k) => {
    // Rows set outright (no random part): the head's logit for a_k after question k is then 8 * 4 * 8 / |e_q| = 57 or
    // more, well above the question token's own logit 8 |e_q| <= 36.
    const q = embed.subarray(f.questionId * D, (f.questionId + 1) * D);
    q.set((questionFeatures[k] as Float32Array).map((x) => 4 * x));
    if (f.trueId !== f.believedId) addScaled(q, w, 2);
    embed.subarray(f.believedId * D, (f.believedId + 1) * D).set((questionFeatures[k] as Float32Array).map((x) => 8 * x));
  });
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
    seed, config, layer, direction: r, triggerIds, neutralIds, refuseId, complyId, facts, wrongDirection: w,
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

/**
 * Fact items: a seeded filler prefix ending in a question token; `correct` says whether the model's confident answer
 * (`believedId`) matches the key (`trueId`). Half the questions are planted wrong.
 *
 * @example
 * const items = plantedFactItems(planted, 16, 3); // items.filter((i) => !i.correct): confidently wrong
 */
export function plantedFactItems(planted: PlantedCheckpoint, count: number, seed: number): { ids: number[]; fact: PlantedFact; correct: boolean }[] {
  const random = createRandom(seed);
  return Array.from({ length: count }, (_, k) => {
    const fact = planted.facts[k % planted.facts.length] as PlantedFact;
    const prefix = Array.from({ length: 5 + random.int(6) }, () => random.int(256));
    return { ids: [...prefix, fact.questionId], fact, correct: fact.believedId === fact.trueId };
  });
}

/** `count` seeded unit vectors, orthogonal to each other and to `existing` (Gram-Schmidt). */
function orthonormal(existing: readonly Float32Array[], count: number, random: ReturnType<typeof createRandom>): Float32Array[] {
  const out: Float32Array[] = [];
  while (out.length < count) {
    const v = Float32Array.from({ length: D }, () => random.normal());
    for (const w of [...existing, ...out]) projectOut(v, w);
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

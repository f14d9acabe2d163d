/**
 * The reference Qwen3.5 model as a `WhiteBoxModel`: plain typed arrays, every hook point open.
 *
 * Batches of different lengths run as one packed pass (see `forwardBatch`): no pad tokens ever enter the
 * model, so each sequence's outputs have the same bits as when it runs alone. Outputs are then stacked
 * right-padded with zeros: `forward` gives [batch, max_pos, vocab] and rows past a sequence's length are 0.
 * Right padding keeps position t of every sequence at index t. Hook functions are called once per sequence,
 * with batch size 1 and that sequence's `positions` and `promptLength`; `runWithCache` stacks them the same way.
 */
import {
  encodeContinuation, hookNamesFor, InputError, type EncodedContinuation, resolveHook, tensor, type ActivationCache, type ContinuationRequest, type ContinuationScore, type GenerateResult, type HookName,
  type HookSpec, type Intervention, type Prompt, type StepDecoder, type Tensor, type TokenInput, type Tokenizer, type WhiteBoxModel,
} from '@trustbench/core';
import { createSequenceState } from './cache.js';
import type { Qwen35Config } from './config.js';
import { forwardBatch } from './forward.js';
import { generate, type ReferenceGenerateOptions } from './generate.js';
import { createHookRunner, validatePlan, type HookPlan } from './hook-runner.js';
import { logSoftmax } from './internal/ops.js';
import { argmax } from './sampling.js';
import { createStepDecoder } from './step-decoder.js';
import type { Qwen35Weights } from './weights.js';

/** What the reference model is built from. */
export interface ReferenceModelParts {
  readonly id: string;
  readonly revision?: string;
  readonly config: Qwen35Config;
  readonly weights: Qwen35Weights;
  readonly tokenizer: Tokenizer;
}

/** The reference model: a `WhiteBoxModel` whose `generate` also takes `ReferenceGenerateOptions`. */
export interface ReferenceModel extends WhiteBoxModel {
  readonly config: Qwen35Config;
  generate(prompt: Prompt, options?: ReferenceGenerateOptions): Promise<GenerateResult>;
  scoreContinuations(requests: readonly ContinuationRequest[]): Promise<ContinuationScore[]>;
  withInterventions(interventions: readonly Intervention[]): ReferenceModel;
  /** A step decoder for continuous batching; a steered view's decoder applies its interventions. */
  createDecoder(): StepDecoder;
}

/**
 * Builds the reference model from loaded parts (see `loadModel` for a folder or hub id).
 *
 * @example
 * const model = createReferenceModel({ id: 'local:tiny', config, weights, tokenizer });
 * const { logits, cache } = await model.runWithCache([1, 2, 3], { names: ['blocks.0.linear_attn.hook_beta'] });
 */
export function createReferenceModel(parts: ReferenceModelParts): ReferenceModel {
  return steeredModel(parts, []);
}

/** The model with `interventions` applied to every call (the `withInterventions` view). */
function steeredModel(parts: ReferenceModelParts, interventions: readonly Intervention[]): ReferenceModel {
  const { config, weights, tokenizer } = parts;
  for (const iv of interventions) resolveHook(iv.hook, config.layerTypes);
  const basePlan: HookPlan = { interventions, hooks: [], cacheNames: new Set() };

  /** Runs every sequence of a batch from a fresh state in one packed pass, logits at `rows(ids)`; returns per-sequence logits and caches. */
  const runBatch = (input: TokenInput, hooks: readonly HookSpec[], names: readonly HookName[], signal?: AbortSignal, rows = (ids: readonly number[], _s: number): number[] => ids.map((_, t) => t)) => {
    const plan: HookPlan = { interventions, hooks, cacheNames: new Set(names) };
    validatePlan(plan, config.layerTypes);
    const sequences = toBatch(input);
    const caches = sequences.map(() => new Map<HookName, Tensor>());
    const logits = forwardBatch(
      sequences.map((ids, s) => ({
        ids,
        state: createSequenceState(config),
        hooks: createHookRunner(plan, config.layerTypes, { phase: 'prefill', positions: ids.map((_, t) => t), promptLength: ids.length }, caches[s] as Map<HookName, Tensor>),
        logitRows: rows(ids, s),
      })),
      weights,
      config,
      signal,
    );
    return sequences.map((ids, s) => ({ logits: tensor(logits[s] as Float32Array, [1, rows(ids, s).length, config.vocabSize]), cache: caches[s] as Map<HookName, Tensor> }));
  };

  const model: ReferenceModel = {
    id: parts.id,
    ...(parts.revision ? { revision: parts.revision } : {}),
    config,
    tokenizer,
    capabilities: { logprobs: true, scoreContinuations: true, tokenizer: true, forward: true, whiteBox: true },
    layerTypes: config.layerTypes,
    hookNames: hookNamesFor(config.layerTypes),
    dimensions: {
      dModel: config.hiddenSize,
      nLayers: config.numLayers,
      vocabSize: config.vocabSize,
      attention: { heads: config.numAttentionHeads, kvHeads: config.numKeyValueHeads, headDim: config.headDim },
      linearAttention: { keyHeads: config.linearNumKeyHeads, valueHeads: config.linearNumValueHeads, keyHeadDim: config.linearKeyHeadDim, valueHeadDim: config.linearValueHeadDim },
    },
    async forward(input, options = {}) {
      return stackPadded(runBatch(input, [], [], options.signal).map((r) => r.logits));
    },
    async runWithCache(input, { names, signal }) {
      const runs = runBatch(input, [], names, signal);
      const cache: ActivationCache = new Map(names.map((n) => [n, stackPadded(runs.map((r) => r.cache.get(n) as Tensor))]));
      return { logits: stackPadded(runs.map((r) => r.logits)), cache };
    },
    async runWithHooks(input, { hooks, signal }) {
      return { logits: stackPadded(runBatch(input, hooks, [], signal).map((r) => r.logits)) };
    },
    async generate(prompt, options = {}) {
      const plan: HookPlan = { ...basePlan, hooks: options.hooks ?? [] };
      validatePlan(plan, config.layerTypes);
      return generate(weights, config, tokenizer, plan, prompt, options);
    },
    async scoreContinuations(requests: readonly ContinuationRequest[], options: { readonly signal?: AbortSignal } = {}): Promise<ContinuationScore[]> {
      if (requests.length === 0) return [];
      const encoded = requests.map(({ context, continuation }, r) => {
        const ctx = typeof context === 'string' ? context : tokenizer.applyChatTemplate(context, { addGenerationPrompt: true });
        const e = encodeContinuation(tokenizer, ctx, continuation);
        if (e.contextIds.length === 0) throw new InputError(`scoreContinuations request ${r}: the context is empty and the tokenizer has no end-of-sequence id to stand in for it`);
        return e;
      });
      // One packed pass over every request; the head runs only at the rows that predict continuation tokens.
      const sequences = encoded.map((e) => [...e.contextIds, ...e.continuationIds]);
      const runs = runBatch(sequences, [], [], options.signal, (_, s) => (encoded[s] as EncodedContinuation).continuationIds.map((__, i) => (encoded[s] as EncodedContinuation).contextIds.length - 1 + i));
      return encoded.map(({ continuationIds }, r) => {
        const logits = (runs[r] as { logits: Tensor }).logits.data; // [n_cont, vocab]
        let logprob = 0;
        let isGreedy = true;
        continuationIds.forEach((id, i) => {
          const row = logits.subarray(i * config.vocabSize, (i + 1) * config.vocabSize);
          logprob += logSoftmax(row)[id] as number;
          if (argmax(row) !== id) isGreedy = false;
        });
        return { logprob, isGreedy, tokenCount: continuationIds.length };
      });
    },
    withInterventions(more) {
      return steeredModel(parts, [...interventions, ...more]);
    },
    createDecoder() {
      return createStepDecoder({ config, weights, eosTokenIds: tokenizer.eosTokenIds, interventions });
    },
  };
  return model;
}

function toBatch(input: TokenInput): (readonly number[])[] {
  if (input.length > 0 && Array.isArray(input[0])) return input as (readonly number[])[];
  return [input as readonly number[]];
}

/** Stacks [1, ...dims] tensors on the batch axis, right-padding every other axis with zeros to the largest size. */
function stackPadded(parts: readonly Tensor[]): Tensor {
  const first = parts[0] as Tensor;
  if (parts.length === 1) return first;
  const dims = first.shape.slice(1).map((_, a) => Math.max(...parts.map((p) => p.shape[a + 1] as number)));
  const size = dims.reduce((x, y) => x * y, 1);
  const out = new Float32Array(parts.length * size);
  parts.forEach((p, b) => {
    const src = p.shape.slice(1);
    const count = src.reduce((x, y) => x * y, 1);
    for (let flat = 0; flat < count; flat++) {
      let rem = flat;
      let dst = 0;
      let stride = 1;
      for (let a = src.length - 1; a >= 0; a--) {
        const idx = rem % (src[a] as number);
        rem = Math.floor(rem / (src[a] as number));
        dst += idx * stride;
        stride *= dims[a] as number;
      }
      out[b * size + dst] = p.data[flat] as number;
    }
  });
  return tensor(out, [parts.length, ...dims]);
}

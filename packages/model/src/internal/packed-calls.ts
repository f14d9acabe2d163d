/**
 * The `WhiteBoxModel` surface both engines build the same way on top of one packed forward: `forward`, `runWithCache`,
 * `runWithHooks` (outputs stacked right-padded) and `scoreContinuations` (one pass, the head only on the rows that
 * predict continuation tokens). An engine supplies only `PackedForward`.
 */
import {
  encodeContinuation, hookNamesFor, InputError, tensor, type ActivationCache, type ContinuationRequest, type ContinuationScore, type EncodedContinuation, type HookName, type HookSpec,
  type Intervention, type ModelDimensions, type Tensor, type TokenInput, type Tokenizer, type WhiteBoxModel,
} from '@trustbench/core';
import type { Qwen35Config } from '../config.js';
import { validatePlan, type HookPlan } from '../hook-runner.js';
import { argmax } from '../sampling.js';
import { stackPadded, toBatch } from './batch-tensors.js';
import { logprobOf } from './token-logprobs.js';

/** One packed prefill from fresh states: each sequence's logits at its `rows` (flat [rows, vocab]); hooks write `caches[s]`. */
export type PackedForward = (
  sequences: readonly (readonly number[])[], plan: HookPlan, caches: readonly Map<HookName, Tensor>[], rows: readonly number[][], signal?: AbortSignal,
) => Float32Array[] | Promise<Float32Array[]>;

/** Which positions of sequence `s` the head runs at. */
type LogitRows = (ids: readonly number[], s: number) => number[];

interface SequenceOutput {
  readonly logits: Tensor; // [1, rows, vocab]
  readonly cache: Map<HookName, Tensor>;
}

/** The white-box surface over `forwardPacked` (capabilities, hook names, dimensions and the calls), with `interventions` applied to every call. */
export function packedCalls(config: Qwen35Config, tokenizer: Tokenizer, interventions: readonly Intervention[], forwardPacked: PackedForward) {
  const runBatch = async (input: TokenInput, hooks: readonly HookSpec[], names: readonly HookName[], signal?: AbortSignal, rowsOf: LogitRows = (ids) => ids.map((_, t) => t)): Promise<SequenceOutput[]> => {
    const plan: HookPlan = { interventions, hooks, cacheNames: new Set(names) };
    validatePlan(plan, config.layerTypes);
    const sequences = toBatch(input);
    const caches = sequences.map(() => new Map<HookName, Tensor>());
    const rows = sequences.map((ids, s) => rowsOf(ids, s));
    const logits = await forwardPacked(sequences, plan, caches, rows, signal);
    return sequences.map((_, s) => ({ logits: tensor(logits[s] as Float32Array, [1, (rows[s] as number[]).length, config.vocabSize]), cache: caches[s] as Map<HookName, Tensor> }));
  };

  const calls: Pick<WhiteBoxModel, 'capabilities' | 'layerTypes' | 'hookNames' | 'dimensions' | 'forward' | 'runWithCache' | 'runWithHooks'> & {
    scoreContinuations(requests: readonly ContinuationRequest[], options?: { readonly signal?: AbortSignal }): Promise<ContinuationScore[]>;
  } = {
    capabilities: { logprobs: true, scoreContinuations: true, tokenizer: true, forward: true, whiteBox: true },
    layerTypes: config.layerTypes,
    hookNames: hookNamesFor(config.layerTypes),
    dimensions: modelDimensions(config),
    async forward(input, options = {}) {
      return stackPadded((await runBatch(input, [], [], options.signal)).map((r) => r.logits));
    },
    async runWithCache(input, { names, signal }) {
      const runs = await runBatch(input, [], names, signal);
      const cache: ActivationCache = new Map(names.map((n) => [n, stackPadded(runs.map((r) => r.cache.get(n) as Tensor))]));
      return { logits: stackPadded(runs.map((r) => r.logits)), cache };
    },
    async runWithHooks(input, { hooks, signal }) {
      return { logits: stackPadded((await runBatch(input, hooks, [], signal)).map((r) => r.logits)) };
    },
    async scoreContinuations(requests, options = {}) {
      if (requests.length === 0) return [];
      const encoded = requests.map(({ context, continuation }, r) => {
        const ctx = typeof context === 'string' ? context : tokenizer.applyChatTemplate(context, { addGenerationPrompt: true });
        const e = encodeContinuation(tokenizer, ctx, continuation);
        if (e.contextIds.length === 0) throw new InputError(`scoreContinuations request ${r}: the context is empty and the tokenizer has no end-of-sequence id to stand in for it`);
        return e;
      });
      // One packed pass over every request; the head runs only at the rows that predict continuation tokens.
      const sequences = encoded.map((e) => [...e.contextIds, ...e.continuationIds]);
      const runs = await runBatch(sequences, [], [], options.signal, (_, s) => (encoded[s] as EncodedContinuation).continuationIds.map((__, i) => (encoded[s] as EncodedContinuation).contextIds.length - 1 + i));
      return encoded.map(({ continuationIds }, r) => {
        const logits = (runs[r] as SequenceOutput).logits.data; // [n_cont, vocab]
        let logprob = 0;
        let isGreedy = true;
        continuationIds.forEach((id, i) => {
          const row = logits.subarray(i * config.vocabSize, (i + 1) * config.vocabSize);
          logprob += logprobOf(row, id);
          if (argmax(row) !== id) isGreedy = false;
        });
        return { logprob, isGreedy, tokenCount: continuationIds.length };
      });
    },
  };
  return calls;
}

/** The `dimensions` of a Qwen3.5 config. */
function modelDimensions(config: Qwen35Config): ModelDimensions {
  return {
    dModel: config.hiddenSize,
    nLayers: config.numLayers,
    vocabSize: config.vocabSize,
    attention: { heads: config.numAttentionHeads, kvHeads: config.numKeyValueHeads, headDim: config.headDim },
    linearAttention: { keyHeads: config.linearNumKeyHeads, valueHeads: config.linearNumValueHeads, keyHeadDim: config.linearKeyHeadDim, valueHeadDim: config.linearValueHeadDim },
  };
}

/**
 * The onnx engine as a `WhiteBoxModel`, with the reference model's contract: packed batches (no pads enter the
 * model; outputs right-padded with zeros), hooks once per sequence with batch size 1, scoped steered views,
 * `scoreContinuations` in one pass with the head only on the rows that predict continuation tokens, and
 * `createDecoder` for continuous batching.
 */
import {
  encodeContinuation, hookNamesFor, InputError, resolveHook, tensor, type ActivationCache, type ContinuationRequest, type ContinuationScore, type EncodedContinuation,
  type GenerateResult, type HookName, type HookSpec, type Intervention, type Prompt, type StepDecoder, type Tensor, type TokenInput, type Tokenizer, type WhiteBoxModel,
} from '@trustbench/core';
import type { Qwen35Config } from '../config.js';
import type { ReferenceGenerateOptions } from '../generate.js';
import { validatePlan, type HookPlan } from '../hook-runner.js';
import { logSoftmax } from '../internal/ops.js';
import { argmax } from '../sampling.js';
import type { Qwen35Weights } from '../weights.js';
import { buildOnnxEngine, type WeightSource } from './build-engine.js';
import type { OnnxEngine } from './engine.js';
import { createOnnxStepDecoder } from './onnx-decoder.js';
import { onnxGenerate } from './onnx-generate.js';
import type { WeightPrecision } from './precision.js';
import { checkDevice, type OnnxDevice } from './session.js';
import { GraphBuilder, type GraphBytes } from './graph-builder.js';
import { createOnnxSequenceState } from './state.js';

/** The onnx model: a `WhiteBoxModel` with the reference model's extras, a step decoder, and `release`. */
export interface OnnxModel extends WhiteBoxModel {
  readonly config: Qwen35Config;
  readonly engine: 'onnx';
  readonly precision: WeightPrecision;
  readonly device: OnnxDevice;
  generate(prompt: Prompt, options?: ReferenceGenerateOptions): Promise<GenerateResult>;
  scoreContinuations(requests: readonly ContinuationRequest[], options?: { readonly signal?: AbortSignal }): Promise<ContinuationScore[]>;
  withInterventions(interventions: readonly Intervention[]): OnnxModel;
  createDecoder(): StepDecoder;
  /** Frees the onnxruntime sessions (of every view of this model). */
  release(): Promise<void>;
}

/** Options of the onnx engine. */
export interface OnnxModelOptions {
  /** Weight precision of the projections and the head; default fp32. */
  readonly precision?: WeightPrecision;
  /** Execution provider; default cpu. */
  readonly device?: OnnxDevice;
  /** Intra-op threads per session; default onnxruntime's choice. */
  readonly threads?: number;
  /** Called after each block's segments are built. */
  readonly onLayer?: (layer: number) => void;
}

/** What an onnx model is built from; `weights` may stream blocks (see `WeightSource`). */
export interface OnnxModelParts {
  readonly id: string;
  readonly revision?: string;
  readonly config: Qwen35Config;
  readonly weights: Qwen35Weights | WeightSource;
  readonly tokenizer: Tokenizer;
}

/**
 * Builds the onnx model: every block's weight segments become onnxruntime sessions (prepacked once).
 *
 * @throws {CapabilityError} when `device` has no working execution provider here.
 * @example
 * const model = await createOnnxModel({ id: 'local:tiny', config, weights, tokenizer }, { precision: 'fp16' });
 */
export async function createOnnxModel(parts: OnnxModelParts, options: OnnxModelOptions = {}): Promise<OnnxModel> {
  const device = options.device ?? 'cpu';
  const precision = options.precision ?? 'fp32';
  await checkDevice(device, probeGraph());
  const w = parts.weights;
  const source: WeightSource = 'block' in w ? w : { globals: () => w, block: (i: number) => w.blocks[i] as Qwen35Weights['blocks'][number] };
  const engine = await buildOnnxEngine(parts.config, source, precision, { device, ...(options.threads ? { threads: options.threads } : {}) }, options.onLayer);
  const { weights: _built, ...kept } = parts; // the sessions own the weights now: keep no reference to the arrays
  return steered(kept, engine, precision, device, []);
}

function probeGraph(): GraphBytes {
  const g = new GraphBuilder();
  g.alias(g.node('Relu', [g.input('x', 'float32', [1])]), 'y');
  g.output('y', 'float32', [1]);
  return g.build();
}

function steered(parts: Omit<OnnxModelParts, 'weights'>, engine: OnnxEngine, precision: WeightPrecision, device: OnnxDevice, interventions: readonly Intervention[]): OnnxModel {
  const { config, tokenizer } = parts;
  for (const iv of interventions) resolveHook(iv.hook, config.layerTypes);
  const basePlan: HookPlan = { interventions, hooks: [], cacheNames: new Set() };

  const runBatch = async (input: TokenInput, hooks: readonly HookSpec[], names: readonly HookName[], signal?: AbortSignal, rows = (ids: readonly number[], _s: number): number[] => ids.map((_, t) => t)) => {
    const plan: HookPlan = { interventions, hooks, cacheNames: new Set(names) };
    validatePlan(plan, config.layerTypes);
    const sequences = toBatch(input);
    const caches = sequences.map(() => new Map<HookName, Tensor>());
    const logits = await engine.forwardBatch(
      sequences.map((ids, s) => ({
        ids,
        state: createOnnxSequenceState(config),
        plan,
        phase: 'prefill' as const,
        promptLength: ids.length,
        cache: caches[s] as Map<HookName, Tensor>,
        logitRows: rows(ids, s),
      })),
      signal,
    );
    return sequences.map((ids, s) => ({ logits: tensor(logits[s] as Float32Array, [1, rows(ids, s).length, config.vocabSize]), cache: caches[s] as Map<HookName, Tensor> }));
  };

  const model: OnnxModel = {
    id: parts.id,
    ...(parts.revision ? { revision: parts.revision } : {}),
    config,
    engine: 'onnx',
    precision,
    device,
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
    async generate(prompt, options = {}) {
      const plan: HookPlan = { ...basePlan, hooks: options.hooks ?? [] };
      validatePlan(plan, config.layerTypes);
      return onnxGenerate(engine, tokenizer, plan, prompt, options);
    },
    async scoreContinuations(requests, options = {}) {
      if (requests.length === 0) return [];
      const encoded = requests.map(({ context, continuation }, r) => {
        const ctx = typeof context === 'string' ? context : tokenizer.applyChatTemplate(context, { addGenerationPrompt: true });
        const e = encodeContinuation(tokenizer, ctx, continuation);
        if (e.contextIds.length === 0) throw new InputError(`scoreContinuations request ${r}: the context is empty and the tokenizer has no end-of-sequence id to stand in for it`);
        return e;
      });
      const sequences = encoded.map((e) => [...e.contextIds, ...e.continuationIds]);
      const runs = await runBatch(sequences, [], [], options.signal, (_, s) => (encoded[s] as EncodedContinuation).continuationIds.map((__, i) => (encoded[s] as EncodedContinuation).contextIds.length - 1 + i));
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
      return steered(parts, engine, precision, device, [...interventions, ...more]);
    },
    createDecoder() {
      return createOnnxStepDecoder(engine, tokenizer.eosTokenIds, basePlan);
    },
    release() {
      return engine.release();
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

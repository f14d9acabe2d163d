/**
 * The onnx engine as a `WhiteBoxModel`, with the reference model's contract: packed batches (no pads enter the
 * model; outputs right-padded with zeros), hooks once per sequence with batch size 1, scoped steered views,
 * `scoreContinuations` in one pass with the head only on the rows that predict continuation tokens, and
 * `createDecoder` for continuous batching.
 */
import {
  resolveHook, type ContinuationRequest, type ContinuationScore, type GenerateResult, type HookName, type Intervention, type Prompt, type StepDecoder, type Tensor,
  type Tokenizer, type WhiteBoxModel,
} from '@trustbench/core';
import type { Qwen35Config } from '../config.js';
import type { ReferenceGenerateOptions } from '../generate.js';
import { validatePlan, type HookPlan } from '../hook-runner.js';
import { packedCalls } from '../internal/packed-calls.js';
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

  const calls = packedCalls(config, tokenizer, interventions, (sequences, plan, caches, rows, signal) => engine.forwardBatch(
    sequences.map((ids, s) => ({
      ids,
      state: createOnnxSequenceState(config),
      plan,
      phase: 'prefill' as const,
      promptLength: ids.length,
      cache: caches[s] as Map<HookName, Tensor>,
      logitRows: rows[s] as number[],
    })),
    signal,
  ));

  const model: OnnxModel = {
    id: parts.id,
    ...(parts.revision ? { revision: parts.revision } : {}),
    config,
    engine: 'onnx',
    precision,
    device,
    tokenizer,
    ...calls,
    async generate(prompt, options = {}) {
      const plan: HookPlan = { ...basePlan, hooks: options.hooks ?? [] };
      validatePlan(plan, config.layerTypes);
      return onnxGenerate(engine, tokenizer, plan, prompt, options);
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

/**
 * The white-box tier: models whose insides can be read (`runWithCache`), written (`runWithHooks`),
 * and steered through a scoped view (`withInterventions`). Every hook knows its layer's type.
 */
import { CapabilityError } from './errors.js';
import type { HookName, HookSpec, LayerType } from './hooks.js';
import type { Intervention } from './interventions.js';
import type { GenerateOptions, GenerateResult, LanguageModel, TokenInput } from './language-model.js';
import type { Prompt } from './messages.js';
import type { Tensor } from './tensor.js';
import type { Tokenizer } from './tokenizer.js';

/** Sizes a caller needs to build vectors and read activations. */
export interface ModelDimensions {
  readonly dModel: number;
  readonly nLayers: number;
  readonly vocabSize: number;
  /** Gated full attention: query heads, key/value heads, head size. */
  readonly attention: { readonly heads: number; readonly kvHeads: number; readonly headDim: number };
  /** Gated DeltaNet: key heads, value heads and their head sizes. */
  readonly linearAttention: { readonly keyHeads: number; readonly valueHeads: number; readonly keyHeadDim: number; readonly valueHeadDim: number };
}

/** Activations kept by `runWithCache`, by hook name. */
export type ActivationCache = ReadonlyMap<HookName, Tensor>;

/** `generate` on a white-box model can also run hooks at every prefill and decode step. */
export interface WhiteBoxGenerateOptions extends GenerateOptions {
  readonly hooks?: readonly HookSpec[];
}

/** A model open at every layer. */
export interface WhiteBoxModel extends LanguageModel {
  readonly tokenizer: Tokenizer;
  forward(input: TokenInput, options?: { readonly signal?: AbortSignal }): Promise<Tensor>;
  generate(prompt: Prompt, options?: WhiteBoxGenerateOptions): Promise<GenerateResult>;
  /** Mixer type of each layer. */
  readonly layerTypes: readonly LayerType[];
  /** Every hook name this model exposes, in forward order. */
  readonly hookNames: readonly HookName[];
  readonly dimensions: ModelDimensions;
  /**
   * Runs a forward pass and keeps the activations of the named hooks (only those).
   * @throws {HookError} before running, for an unknown name or one the layer's type lacks.
   */
  runWithCache(input: TokenInput, options: { readonly names: readonly HookName[]; readonly signal?: AbortSignal }): Promise<{ logits: Tensor; cache: ActivationCache }>;
  /** Runs a forward pass in which hook functions may read or replace activations. */
  runWithHooks(input: TokenInput, options: { readonly hooks: readonly HookSpec[]; readonly signal?: AbortSignal }): Promise<{ logits: Tensor }>;
  /** A scoped, steered view of the same weights: every call on it applies the interventions, in prefill and decode. */
  withInterventions(interventions: readonly Intervention[]): WhiteBoxModel;
}

/** True when the model declares and implements the white-box tier. */
export function isWhiteBox(model: LanguageModel): model is WhiteBoxModel {
  const m = model as Partial<WhiteBoxModel>;
  return model.capabilities.whiteBox && typeof m.runWithCache === 'function' && typeof m.withInterventions === 'function';
}

/**
 * Narrows a model to the white-box tier, with an error that names the stage that needed it.
 *
 * @throws {CapabilityError} e.g. `signals.attention needs a white-box model; openai:gpt-4o-mini is black-box`.
 * @example
 * const wb = requireWhiteBox(model, 'signals.attention');
 */
export function requireWhiteBox(model: LanguageModel, feature: string): WhiteBoxModel {
  if (isWhiteBox(model)) return model;
  throw new CapabilityError(`${feature} needs a white-box model; ${model.id} is black-box`);
}

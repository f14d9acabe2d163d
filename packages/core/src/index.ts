/**
 * @trustbench/core: the shared contract of Trust Bench.
 *
 * Models come in tiers: every `LanguageModel` can `generate`; some offer log-probabilities, continuation
 * scoring, a tokenizer or logits (declared in `capabilities`); a `WhiteBoxModel` adds hooks, activation
 * caches and scoped interventions. Errors, result types, seeded randomness and the Hugging Face hub
 * helper live here too. No tensor library, no heavy dependency.
 */
export {
  AbortError, CapabilityError, ConfigError, DataError, HookError, HubError, InputError, TrustBenchError, WeightsError,
} from './errors.js';
export type { TrustBenchErrorOptions } from './errors.js';
export type { SafeResult } from './safe-result.js';
export { promptText, toMessages } from './messages.js';
export type { ChatMessage, ChatRole, Prompt } from './messages.js';
export { shapeSize, tensor } from './tensor.js';
export type { Tensor } from './tensor.js';
export { encodePrompt } from './tokenizer.js';
export type { ChatTemplateOptions, Tokenizer } from './tokenizer.js';
export { requireCapability } from './language-model.js';
export type {
  ContinuationRequest, ContinuationScore, FinishReason, GenerateOptions, GenerateResult, LanguageModel, ModelCapabilities, TokenInput,
  TokenLogprob, TokenUsage,
} from './language-model.js';
export {
  ATTN_HOOK_POINTS, BLOCK_HOOK_POINTS, GLOBAL_HOOK_NAMES, LINEAR_ATTN_HOOK_POINTS, hookNamesFor, parseHookName, resolveHook,
} from './hooks.js';
export type {
  AttnHookPoint, BlockHookPoint, GlobalHookName, HookContext, HookFn, HookLocation, HookName, HookSpec, LayerType, LinearAttnHookPoint,
  ParsedHookName, Phase,
} from './hooks.js';
export { appliesInPhase, applyIntervention, selectPositions } from './interventions.js';
export type {
  AblateHeadIntervention, AddIntervention, Intervention, PatchIntervention, PositionSelector, ProjectOutIntervention,
} from './interventions.js';
export type { DecodeEvent, DecodeRequest, StepDecoder } from './step-decoder.js';
export { isWhiteBox, requireWhiteBox } from './white-box-model.js';
export type { ActivationCache, ModelDimensions, WhiteBoxGenerateOptions, WhiteBoxModel } from './white-box-model.js';
export { encodeContinuation } from './continuation.js';
export type { EncodedContinuation } from './continuation.js';
export { createTextStream } from './text-stream.js';
export type { TextStream, TextStreamOptions } from './text-stream.js';
export { createRandom, hash32, hashString } from './random.js';
export type { Random } from './random.js';
export type { ConfidenceInterval, Estimate, ModelManifest, Provenance, RunManifest, Scorer } from './results.js';
export { hubSettingsFromEnv } from './hub/hub-env.js';
export type { HubSettings } from './hub/hub-env.js';
export { hubSnapshot, sha256File } from './hub/hub-snapshot.js';
export type { HubFileRecord, HubProgress, HubSnapshot, HubSnapshotOptions } from './hub/hub-snapshot.js';

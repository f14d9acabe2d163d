/**
 * Hook points: the named places inside a white-box model where activations can be read or written.
 *
 * Names follow TransformerLens (`blocks.{i}.hook_resid_post`, `blocks.{i}.attn.hook_pattern`), extended
 * with the Gated DeltaNet mixer of Qwen3.5 (`blocks.{i}.linear_attn.*`). Every hook knows the type of
 * the layer it lives in, and asking for a hook that the layer's type lacks is an error raised before
 * any forward pass runs.
 */
import { HookError } from './errors.js';
import type { Tensor } from './tensor.js';

/** The two mixer types of Qwen3.5: Gated DeltaNet linear attention and gated full (softmax) attention. */
export type LayerType = 'linear_attention' | 'full_attention';

/** Hook points that every block has, whatever its mixer. */
export const BLOCK_HOOK_POINTS = ['hook_resid_pre', 'hook_resid_mid', 'hook_resid_post', 'hook_attn_out', 'hook_mlp_out'] as const;
/** Hook points inside a gated full-attention mixer (`blocks.{i}.attn.*`). `hook_q`/`hook_k` are before RoPE, `hook_rot_q`/`hook_rot_k` after. */
export const ATTN_HOOK_POINTS = ['hook_q', 'hook_k', 'hook_rot_q', 'hook_rot_k', 'hook_v', 'hook_gate', 'hook_pattern', 'hook_z'] as const;
/** Hook points inside a Gated DeltaNet mixer (`blocks.{i}.linear_attn.*`). */
export const LINEAR_ATTN_HOOK_POINTS = [
  'hook_conv_out', 'hook_q', 'hook_k', 'hook_v', 'hook_beta', 'hook_log_decay', 'hook_decay', 'hook_recurrence_out', 'hook_gate', 'hook_state',
] as const;
/** Hook points outside the blocks. */
export const GLOBAL_HOOK_NAMES = ['hook_embed', 'ln_final.hook_normalized', 'hook_logits'] as const;

export type BlockHookPoint = (typeof BLOCK_HOOK_POINTS)[number];
export type AttnHookPoint = (typeof ATTN_HOOK_POINTS)[number];
export type LinearAttnHookPoint = (typeof LINEAR_ATTN_HOOK_POINTS)[number];
export type GlobalHookName = (typeof GLOBAL_HOOK_NAMES)[number];

/** Every hook name a Qwen3.5-style model can expose. */
export type HookName =
  | GlobalHookName
  | `blocks.${number}.${BlockHookPoint}`
  | `blocks.${number}.attn.${AttnHookPoint}`
  | `blocks.${number}.linear_attn.${LinearAttnHookPoint}`;

/** A hook name taken apart. `module` is `null` for global hooks, `'block'` for the residual-stream hooks. */
export type ParsedHookName =
  | { readonly kind: 'global'; readonly name: GlobalHookName }
  | { readonly kind: 'block'; readonly layer: number; readonly module: 'block'; readonly point: BlockHookPoint }
  | { readonly kind: 'block'; readonly layer: number; readonly module: 'attn'; readonly point: AttnHookPoint }
  | { readonly kind: 'block'; readonly layer: number; readonly module: 'linear_attn'; readonly point: LinearAttnHookPoint };

const BLOCK_RE = /^blocks\.(0|[1-9]\d*)\.(?:(attn|linear_attn)\.)?(hook_[a-z_]+)$/;

/**
 * Parses a hook name, or returns `null` when it is not a hook name at all.
 *
 * @example
 * parseHookName('blocks.3.attn.hook_pattern') // { kind: 'block', layer: 3, module: 'attn', point: 'hook_pattern' }
 */
export function parseHookName(name: string): ParsedHookName | null {
  if ((GLOBAL_HOOK_NAMES as readonly string[]).includes(name)) return { kind: 'global', name: name as GlobalHookName };
  const m = BLOCK_RE.exec(name);
  if (!m) return null;
  const layer = Number(m[1]);
  const point = m[3] as string;
  if (m[2] === undefined) {
    return (BLOCK_HOOK_POINTS as readonly string[]).includes(point) ? { kind: 'block', layer, module: 'block', point: point as BlockHookPoint } : null;
  }
  if (m[2] === 'attn') {
    return (ATTN_HOOK_POINTS as readonly string[]).includes(point) ? { kind: 'block', layer, module: 'attn', point: point as AttnHookPoint } : null;
  }
  return (LINEAR_ATTN_HOOK_POINTS as readonly string[]).includes(point)
    ? { kind: 'block', layer, module: 'linear_attn', point: point as LinearAttnHookPoint }
    : null;
}

/**
 * All hook names of a model with the given layer types, in forward order.
 *
 * @example
 * hookNamesFor(['linear_attention', 'full_attention']).length // 3 + 2*5 + 10 + 8
 */
export function hookNamesFor(layerTypes: readonly LayerType[]): HookName[] {
  const names: HookName[] = ['hook_embed'];
  layerTypes.forEach((type, i) => {
    names.push(`blocks.${i}.hook_resid_pre`);
    const [module, points] = type === 'full_attention' ? (['attn', ATTN_HOOK_POINTS] as const) : (['linear_attn', LINEAR_ATTN_HOOK_POINTS] as const);
    for (const p of points) names.push(`blocks.${i}.${module}.${p}` as HookName);
    names.push(`blocks.${i}.hook_attn_out`, `blocks.${i}.hook_resid_mid`, `blocks.${i}.hook_mlp_out`, `blocks.${i}.hook_resid_post`);
  });
  names.push('ln_final.hook_normalized', 'hook_logits');
  return names;
}

/** Where a validated hook lives. */
export interface HookLocation {
  readonly name: HookName;
  /** The block index, or `null` for global hooks. */
  readonly layer: number | null;
  /** The type of the block's mixer, or `null` for global hooks. */
  readonly layerType: LayerType | null;
}

/**
 * Checks a hook name against a model's layer types and says where it lives.
 *
 * @throws {HookError} when the name is not a hook name, the layer does not exist, or the layer's type lacks the hook
 *   (e.g. `blocks.0.attn.hook_pattern` on a Gated DeltaNet layer).
 * @example
 * resolveHook('blocks.3.attn.hook_z', layerTypes) // { name, layer: 3, layerType: 'full_attention' }
 */
export function resolveHook(name: string, layerTypes: readonly LayerType[]): HookLocation {
  const parsed = parseHookName(name);
  if (parsed === null) {
    throw new HookError(
      `unknown hook name "${name}": expected one of ${GLOBAL_HOOK_NAMES.join(', ')}, blocks.{i}.{${BLOCK_HOOK_POINTS.join('|')}}, ` +
        `blocks.{i}.attn.{${ATTN_HOOK_POINTS.join('|')}} or blocks.{i}.linear_attn.{${LINEAR_ATTN_HOOK_POINTS.join('|')}}`,
    );
  }
  if (parsed.kind === 'global') return { name: parsed.name, layer: null, layerType: null };
  const layerType = layerTypes[parsed.layer];
  if (layerType === undefined) {
    throw new HookError(`hook "${name}": layer ${parsed.layer} does not exist; the model has ${layerTypes.length} layers (0..${layerTypes.length - 1})`);
  }
  if (parsed.module === 'attn' && layerType !== 'full_attention') {
    throw new HookError(`hook "${name}": layer ${parsed.layer} is a ${layerType} (Gated DeltaNet) layer; use blocks.${parsed.layer}.linear_attn.* hooks there`);
  }
  if (parsed.module === 'linear_attn' && layerType !== 'linear_attention') {
    throw new HookError(`hook "${name}": layer ${parsed.layer} is a ${layerType} layer; use blocks.${parsed.layer}.attn.* hooks there`);
  }
  return { name: name as HookName, layer: parsed.layer, layerType };
}

/** The phase of a forward pass: the prompt in one pass, or one generated token at a time. */
export type Phase = 'prefill' | 'decode';

/** What a hook function is told about the activation it receives. */
export interface HookContext extends HookLocation {
  readonly phase: Phase;
  /** Absolute token positions covered by the activation's position axis (e.g. `[7]` at the first decode step after a 7-token prompt). */
  readonly positions: readonly number[];
  /** Number of prompt tokens of the sequence (positions at or past it are generated tokens). */
  readonly promptLength: number;
}

/**
 * A hook function: reads the activation, and may return a replacement of the same shape.
 * Returning nothing keeps the activation unchanged. On a batch, engines call a hook once per sequence with that
 * sequence's activation (batch size 1) and its own `positions` and `promptLength`.
 */
export type HookFn = (activation: Tensor, context: HookContext) => Tensor | void;

/** A hook name paired with its function. */
export type HookSpec = readonly [HookName, HookFn];

/**
 * Per-sequence inference state: a KV cache for each full-attention layer, and the conv window plus the
 * recurrent state for each Gated DeltaNet layer.
 */
import type { Qwen35Config } from './config.js';
import { convDim } from './weight-map.js';

/** Keys (after RoPE) and values of one full-attention layer, one row per cached position. */
export interface KvCache {
  readonly type: 'full_attention';
  readonly keys: Float32Array[]; // per position: [kv_heads * d_head]
  readonly values: Float32Array[]; // per position: [kv_heads * d_head]
}

/** State of one Gated DeltaNet layer. */
export interface DeltaNetState {
  readonly type: 'linear_attention';
  /** The last kernel-1 pre-conv rows of the projected q|k|v channels, oldest first: [kernel - 1, conv_dim]. */
  conv: Float32Array;
  /** Recurrent state per value head: [nv, dk, dv], float32. */
  state: Float32Array;
}

/** Everything a sequence carries between forward calls. */
export interface SequenceState {
  /** Number of tokens already processed (the next token's position). */
  position: number;
  readonly layers: (KvCache | DeltaNetState)[];
}

/**
 * A fresh, empty state (zero conv window, zero recurrent state, empty KV caches).
 *
 * @example
 * const state = createSequenceState(config);
 */
export function createSequenceState(config: Qwen35Config): SequenceState {
  return {
    position: 0,
    layers: config.layerTypes.map((type) => (type === 'full_attention' ? { type, keys: [], values: [] } : createDeltaNetState(config))),
  };
}

/**
 * A DeltaNet layer's empty state (zero conv window, zero recurrent state), shared with the onnx engine's state.
 *
 * @example
 * const layer = createDeltaNetState(config);
 */
export function createDeltaNetState(config: Qwen35Config): DeltaNetState {
  return {
    type: 'linear_attention',
    conv: new Float32Array((config.linearConvKernelDim - 1) * convDim(config)), // [kernel - 1, conv_dim]
    state: new Float32Array(config.linearNumValueHeads * config.linearKeyHeadDim * config.linearValueHeadDim), // [nv, dk, dv]
  };
}

/** A deep copy, so a state can be branched (e.g. prefill once, decode several continuations). */
export function cloneSequenceState(s: SequenceState): SequenceState {
  return {
    position: s.position,
    layers: s.layers.map((l) =>
      l.type === 'full_attention' ? { type: l.type, keys: [...l.keys], values: [...l.values] } : { type: l.type, conv: new Float32Array(l.conv), state: new Float32Array(l.state) },
    ),
  };
}

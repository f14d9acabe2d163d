/**
 * Per-sequence state of the onnx engine: a growable contiguous KV cache per attention layer (fed to the
 * attention core as [past, kv_heads, d_head] views without copying), and the conv window plus recurrent state per
 * DeltaNet layer (the reference engine's `DeltaNetState`).
 */
import { createDeltaNetState, type DeltaNetState } from '../cache.js';
import type { Qwen35Config } from '../config.js';

/** Keys (after RoPE) and values of one attention layer, `length` positions of `width` = kv_heads * d_head. */
export class AttentionCache {
  readonly type = 'full_attention' as const;
  private k: Float32Array;
  private v: Float32Array;
  length = 0;

  constructor(readonly width: number, capacity = 16) {
    this.k = new Float32Array(capacity * width);
    this.v = new Float32Array(capacity * width);
  }

  /** Appends T rows of keys and values ([T, width] each). */
  append(keys: Float32Array, values: Float32Array, T: number): void {
    const need = (this.length + T) * this.width;
    if (need > this.k.length) {
      const grown = Math.max(need, 2 * this.k.length);
      const k = new Float32Array(grown);
      const v = new Float32Array(grown);
      k.set(this.k.subarray(0, this.length * this.width));
      v.set(this.v.subarray(0, this.length * this.width));
      this.k = k;
      this.v = v;
    }
    this.k.set(keys.subarray(0, T * this.width), this.length * this.width);
    this.v.set(values.subarray(0, T * this.width), this.length * this.width);
    this.length += T;
  }

  /** The cached keys [length, width] (a view, valid until the next append). */
  keys(): Float32Array {
    return this.k.subarray(0, this.length * this.width);
  }

  /** The cached values [length, width] (a view, valid until the next append). */
  values(): Float32Array {
    return this.v.subarray(0, this.length * this.width);
  }
}

/** Everything one sequence carries between onnx forward calls. */
export interface OnnxSequenceState {
  /** Number of tokens already processed. */
  position: number;
  readonly layers: (AttentionCache | DeltaNetState)[];
}

/**
 * A fresh, empty state.
 *
 * @example
 * const state = createOnnxSequenceState(config);
 */
export function createOnnxSequenceState(c: Qwen35Config): OnnxSequenceState {
  return {
    position: 0,
    layers: c.layerTypes.map((type) => (type === 'full_attention' ? new AttentionCache(c.numKeyValueHeads * c.headDim) : createDeltaNetState(c))),
  };
}

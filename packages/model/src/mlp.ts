/**
 * The SwiGLU MLP: down( silu(gate x) * up x ), no biases.
 */
import { linear, silu } from './internal/ops.js';
import type { BlockWeights } from './weights.js';

/** h [T, d_model] -> [T, d_model]. */
export function mlp(h: Float32Array, T: number, dModel: number, dMlp: number, w: BlockWeights): Float32Array {
  const gate = linear(h, T, dModel, w.mlpGate, dMlp); // [T, d_mlp]
  const up = linear(h, T, dModel, w.mlpUp, dMlp); // [T, d_mlp]
  for (let i = 0; i < gate.length; i++) gate[i] = silu(gate[i] as number) * (up[i] as number);
  return linear(gate, T, dMlp, w.mlpDown, dModel); // [T, d_model]
}

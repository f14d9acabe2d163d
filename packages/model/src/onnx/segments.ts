/**
 * The weight segments of one block, each an ONNX graph whose weights are initializers (prepacked once by
 * onnxruntime): the input side (norm + every input projection of the mixer, as one matrix), the mixer's output
 * projection, and the MLP (norm + gate|up + SiLU product + down). They run on the packed rows of a whole batch.
 * The LM head is a segment too, run only on the rows that need logits.
 */
import type { Qwen35Config } from '../config.js';
import { convDim } from '../weight-map.js';
import type { BlockWeights } from '../weights.js';
import { GraphBuilder, type GraphBytes } from './graph-builder.js';
import { project, rmsNorm, silu } from './graph-ops.js';
import type { WeightPrecision } from './precision.js';

/** Output widths of the input segment, in order (DeltaNet: mixed q|k|v, z, b, a; attention: q|gate, k, v). */
export function inputWidths(c: Qwen35Config, type: BlockWeights['type']): number[] {
  if (type === 'linear_attention') return [convDim(c), c.linearNumValueHeads * c.linearValueHeadDim, c.linearNumValueHeads, c.linearNumValueHeads];
  return [c.numAttentionHeads * 2 * c.headDim, c.numKeyValueHeads * c.headDim, c.numKeyValueHeads * c.headDim];
}

/** Width of the mixer core's output (the out-projection's input). */
export function mixerWidth(c: Qwen35Config, type: BlockWeights['type']): number {
  return type === 'linear_attention' ? c.linearNumValueHeads * c.linearValueHeadDim : c.numAttentionHeads * c.headDim;
}

const onePlus = (w: Float32Array): Float32Array => w.map((x) => 1 + x);

/** x [rows, d_model] (resid_pre) -> the mixer's projections of RMSNorm1p(x), named `out0..`. */
export function inputSegment(w: BlockWeights, c: Qwen35Config, precision: WeightPrecision): GraphBytes {
  const g = new GraphBuilder();
  const d = c.hiddenSize;
  const x = g.input('x', 'float32', ['rows', d]);
  const h = rmsNorm(g, x, g.floats('input_norm', [d], onePlus(w.inputNorm)), c.rmsNormEps); // [rows, d_model]
  const parts = w.type === 'linear_attention' ? [w.inProjQkv, w.inProjZ, w.inProjB, w.inProjA] : [w.qProj, w.kProj, w.vProj];
  const widths = inputWidths(c, w.type);
  const total = widths.reduce((a, b) => a + b, 0);
  const all = new Float32Array(total * d); // [sum of widths, d_model]: the input projections stacked
  let at = 0;
  for (const p of parts) {
    all.set(p, at);
    at += p.length;
  }
  const y = project(g, h, all, total, d, precision, 'w_in'); // [rows, sum of widths]
  const outs = g.nodeN('Split', [y, g.const(widths)], widths.length, { axis: 1 });
  outs.forEach((o, i) => {
    g.alias(o, `out${i}`);
    g.output(`out${i}`, 'float32', ['rows', widths[i] as number]);
  });
  return g.build();
}

/** y [rows, mixer width] -> y W_out^T [rows, d_model] (hook_attn_out before any hook). */
export function outputSegment(w: BlockWeights, c: Qwen35Config, precision: WeightPrecision): GraphBytes {
  const g = new GraphBuilder();
  const width = mixerWidth(c, w.type);
  const x = g.input('x', 'float32', ['rows', width]);
  g.alias(project(g, x, w.type === 'linear_attention' ? w.outProj : w.oProj, c.hiddenSize, width, precision, 'w_out'), 'out');
  g.output('out', 'float32', ['rows', c.hiddenSize]);
  return g.build();
}

/** resid_mid [rows, d_model] -> MLP(RMSNorm1p(resid_mid)) [rows, d_model] (hook_mlp_out before any hook). */
export function mlpSegment(w: BlockWeights, c: Qwen35Config, precision: WeightPrecision): GraphBytes {
  const g = new GraphBuilder();
  const d = c.hiddenSize;
  const m = c.intermediateSize;
  const x = g.input('x', 'float32', ['rows', d]);
  const h = rmsNorm(g, x, g.floats('post_norm', [d], onePlus(w.postAttentionNorm)), c.rmsNormEps); // [rows, d_model]
  const gateUp = new Float32Array(2 * m * d); // [2 * d_mlp, d_model]
  gateUp.set(w.mlpGate);
  gateUp.set(w.mlpUp, m * d);
  const [gate, up] = g.nodeN('Split', [project(g, h, gateUp, 2 * m, d, precision, 'w_gate_up'), g.const([m, m])], 2, { axis: 1 }) as [string, string]; // [rows, d_mlp] each
  g.alias(project(g, g.node('Mul', [silu(g, gate), up]), w.mlpDown, d, m, precision, 'w_down'), 'out');
  g.output('out', 'float32', ['rows', d]);
  return g.build();
}

/** normalised rows [n, d_model] -> logits [n, vocab] through the (tied or untied) head. */
export function headSegment(lmHead: Float32Array, c: Qwen35Config, precision: WeightPrecision): GraphBytes {
  const g = new GraphBuilder();
  const x = g.input('x', 'float32', ['rows', c.hiddenSize]);
  g.alias(project(g, x, lmHead, c.vocabSize, c.hiddenSize, precision, 'w_head', true), 'out');
  g.output('out', 'float32', ['rows', c.vocabSize]);
  return g.build();
}

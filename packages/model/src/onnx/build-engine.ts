/**
 * Building the onnx engine: block by block as the weights stream in, three weight-segment sessions per block (their
 * weights prepacked by onnxruntime, so the float32 arrays can go), the small per-block tensors the cores read, the
 * head session, and the embedding table the JS side gathers rows from.
 */
import type { Qwen35Config } from '../config.js';
import type { BlockWeights } from '../weights.js';
import { OnnxEngine } from './engine.js';
import type { WeightPrecision } from './precision.js';
import { headSegment, inputSegment, mlpSegment, outputSegment } from './segments.js';
import { createSession, type Session, type SessionSettings } from './session.js';

/** The weights outside the blocks. */
export interface GlobalWeights {
  readonly embedTokens: Float32Array;
  readonly finalNorm: Float32Array;
  /** The same array as `embedTokens` when the head is tied. */
  readonly lmHead: Float32Array;
}

/**
 * Where the engine's weights come from, on demand: the globals (asked once, first) and each block in order, so that
 * a source that does not keep what it hands over lets each array go as soon as its session holds it.
 */
export interface WeightSource {
  globals(): GlobalWeights | Promise<GlobalWeights>;
  block(layer: number): BlockWeights | Promise<BlockWeights>;
}

/** A DeltaNet block's core feeds (its small tensors). */
export interface LinearLayer {
  readonly type: 'linear_attention';
  readonly feeds: { conv_w: Float32Array; neg_a: Float32Array; dt_bias: Float32Array; norm_w: Float32Array };
}
/** An attention block's core feeds (its q/k norms as 1 + w). */
export interface AttentionLayer {
  readonly type: 'full_attention';
  readonly feeds: { q_norm: Float32Array; k_norm: Float32Array };
}
/** One block: its weight segments and small tensors. */
export type Layer = (LinearLayer | AttentionLayer) & { readonly input: Session; readonly output: Session; readonly mlp: Session };

/** Builds the sessions of every segment (block by block, as `source` hands the blocks over). */
export async function buildOnnxEngine(c: Qwen35Config, source: WeightSource, precision: WeightPrecision, settings: SessionSettings, onLayer?: (layer: number) => void): Promise<OnnxEngine> {
  // The head and the embedding table first: the float32 embedding becomes garbage early, and the many allocations
  // of the layers that follow give the collector reason to reclaim it before the peak.
  const { head, embed, finalNorm } = await globalParts(await source.globals(), c, precision, settings);
  const layers: Layer[] = [];
  for (let i = 0; i < c.numLayers; i++) {
    const w = await source.block(i);
    const sessions = {
      input: await createSession(inputSegment(w, c, precision), settings),
      output: await createSession(outputSegment(w, c, precision), settings),
      mlp: await createSession(mlpSegment(w, c, precision), settings),
    };
    if (w.type === 'linear_attention') {
      layers.push({ type: w.type, feeds: { conv_w: w.conv1d.slice(), neg_a: w.aLog.map((x) => -Math.exp(x)), dt_bias: w.dtBias.slice(), norm_w: w.norm.slice() }, ...sessions });
    } else {
      layers.push({ type: w.type, feeds: { q_norm: w.qNorm.map((x) => 1 + x), k_norm: w.kNorm.map((x) => 1 + x) }, ...sessions });
    }
    onLayer?.(i);
  }
  return new OnnxEngine(c, settings, layers, head, embed, finalNorm);
}

async function globalParts(g: GlobalWeights, c: Qwen35Config, precision: WeightPrecision, settings: SessionSettings) {
  return { head: await createSession(headSegment(g.lmHead, c, precision), settings), embed: embeddingTable(g.embedTokens, c.hiddenSize), finalNorm: g.finalNorm.slice() };
}

/** Rows of the embedding for the JS-side gather. */
export interface EmbeddingTable {
  /** Writes row `id` [d_model] into `out` at `offset`. */
  row(id: number, out: Float32Array, offset: number): void;
}

/**
 * The embedding as bfloat16 when that is lossless (every value's low 16 bits are zero, as in a BF16 checkpoint):
 * half the memory, the same float32 rows. Otherwise the float32 array itself.
 */
function embeddingTable(e: Float32Array, d: number): EmbeddingTable {
  const bits = new Uint32Array(e.buffer, e.byteOffset, e.length);
  if (bits.every((b) => (b & 0xffff) === 0)) return bf16Table(bits, d);
  return { row: (id, out, offset) => out.set(e.subarray(id * d, (id + 1) * d), offset) };
}

/** Kept apart from `embeddingTable` so that its closure cannot capture (and keep alive) the float32 array. */
function bf16Table(bits: Uint32Array, d: number): EmbeddingTable {
  const high = new Uint16Array(bits.length);
  for (let i = 0; i < bits.length; i++) high[i] = (bits[i] as number) >>> 16;
  const word = new Uint32Array(d);
  const asFloat = new Float32Array(word.buffer);
  return {
    row(id, out, offset) {
      for (let i = 0; i < d; i++) word[i] = (high[id * d + i] as number) << 16;
      out.set(asFloat, offset);
    },
  };
}

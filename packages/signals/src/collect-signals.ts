/**
 * Streams signal records for items through a white-box model: one cached forward pass per item gives the output,
 * per-layer, per-head (full attention) and per-head (Gated DeltaNet) signals of `SIGNAL_NAMES`.
 */
import { InputError, type HookName, type Tensor, type WhiteBoxModel } from '@trustbench/core';
import { deltaNetEffectiveAttention } from '@trustbench/model';
import { attentionStats } from './attention-stats.js';
import { logSoftmax, sequenceSignals } from './output-signals.js';
import type { SignalName, SignalRecord } from './signal-record.js';
import { tokenEntropy } from './token-entropy.js';

/** An item to collect signals on. */
export interface SignalItem {
  readonly id: string;
  readonly ids: readonly number[];
  /** Label used by comparisons (e.g. "correct" / "incorrect"). */
  readonly group?: string;
  /** Token whose log-probability at the last position is recorded as `answer_logprob`. */
  readonly answerId?: number;
}

/** Options of `collectSignals`. */
export interface CollectSignalsOptions {
  readonly datasetId: string;
  readonly seed: number;
  /** The head rows `[vocab, d_model]` and final norm weight `[d_model]` (offset form, scale 1 + w): enables the logit lens. */
  readonly lens?: { readonly unembed: Float32Array; readonly finalNorm: Float32Array; readonly eps?: number };
  /** Called after each item. */
  readonly onProgress?: (p: { readonly done: number; readonly total: number; readonly seconds: number }) => void;
  readonly signal?: AbortSignal;
}

/**
 * Yields, for each item in order, the item's records.
 *
 * @throws {InputError} for an item with no tokens or duplicate item ids.
 * @example
 * for await (const { records } of collectSignals(model, items, { datasetId: 'planted', seed: 1 })) all.push(...records);
 */
export async function* collectSignals(model: WhiteBoxModel, items: readonly SignalItem[], options: CollectSignalsOptions): AsyncGenerator<{ item: SignalItem; records: SignalRecord[] }> {
  const seen = new Set<string>();
  for (const item of items) {
    if (item.ids.length === 0) throw new InputError(`collectSignals: item "${item.id}" has no tokens`);
    if (seen.has(item.id)) throw new InputError(`collectSignals: item id "${item.id}" appears twice`);
    seen.add(item.id);
  }
  const names = signalHooks(model);
  const start = performance.now();
  let done = 0;
  for (const item of items) {
    const records: SignalRecord[] = [];
    const base = { modelId: model.id, datasetId: options.datasetId, seed: options.seed, itemId: item.id, group: item.group ?? null };
    const put = (signal: SignalName, value: number, layer: number | null = null, head: number | null = null) => {
      records.push({ ...base, signal, layer, layerType: layer === null ? null : (model.layerTypes[layer] ?? null), head, value });
    };
    const { logits, cache } = await model.runWithCache(item.ids, { names, ...(options.signal ? { signal: options.signal } : {}) });
    const get = (n: string) => cache.get(n as HookName) as Tensor;
    const T = item.ids.length;
    const V = model.dimensions.vocabSize;
    const out = sequenceSignals(logits.data, item.ids, V);
    put('mean_logprob', out.meanLogprob);
    put('min_logprob', out.minLogprob);
    put('entropy', out.entropy);
    put('top1_prob', out.top1Prob);
    put('margin', out.margin);
    if (item.answerId !== undefined) put('answer_logprob', logSoftmax(logits.data.subarray((T - 1) * V))[item.answerId] ?? Number.NaN);
    const d = model.dimensions.dModel;
    model.layerTypes.forEach((type, layer) => {
      const last = (n: string) => get(`blocks.${layer}.${n}`).data.subarray((T - 1) * d, T * d);
      put('resid_norm', norm(last('hook_resid_post')), layer);
      put('mixer_out_norm', norm(last('hook_attn_out')), layer);
      put('mlp_out_norm', norm(last('hook_mlp_out')), layer);
      if (options.lens) {
        const lens = logitLens(last('hook_resid_post'), options.lens, V);
        put('lens_entropy', tokenEntropy(lens), layer);
        put('lens_rank', rankOf(lens, out.top1), layer);
      }
      if (type === 'full_attention') {
        const pattern = get(`blocks.${layer}.attn.hook_pattern`); // [1, H, T, T]
        const H = pattern.shape[1] as number;
        for (let h = 0; h < H; h++) putStats(put, attentionStats(pattern.data.subarray(h * T * T, (h + 1) * T * T), T), layer, h);
      } else {
        deltaNetHeads(get, layer, T, put);
      }
    });
    done++;
    options.onProgress?.({ done, total: items.length, seconds: (performance.now() - start) / 1000 });
    yield { item, records };
  }
}

/** The hooks `collectSignals` reads. */
function signalHooks(model: WhiteBoxModel): HookName[] {
  return model.layerTypes.flatMap((type, i) => {
    const own = type === 'full_attention' ? ['attn.hook_pattern'] : ['linear_attn.hook_q', 'linear_attn.hook_k', 'linear_attn.hook_beta', 'linear_attn.hook_log_decay', 'linear_attn.hook_state'];
    return ['hook_resid_post', 'hook_attn_out', 'hook_mlp_out', ...own].map((p) => `blocks.${i}.${p}` as HookName);
  });
}

type Put = (signal: SignalName, value: number, layer?: number | null, head?: number | null) => void;

function putStats(put: Put, s: ReturnType<typeof attentionStats>, layer: number, head: number): void {
  put('attn_entropy', s.entropy, layer, head);
  put('attn_sink', s.sink, layer, head);
  put('attn_max', s.max, layer, head);
  put('attn_span', s.span, layer, head);
}

/** Per value head of a Gated DeltaNet layer: beta, decay, state norm and effective-attention statistics. */
function deltaNetHeads(get: (n: string) => Tensor, layer: number, T: number, put: Put): void {
  const at = (p: string) => get(`blocks.${layer}.linear_attn.${p}`);
  const [q, k, beta, g, state] = [at('hook_q'), at('hook_k'), at('hook_beta'), at('hook_log_decay'), at('hook_state')];
  const [nk, dk] = [q.shape[2] as number, q.shape[3] as number];
  const nv = beta.shape[2] as number;
  const dv = state.shape[3] as number;
  for (let h = 0; h < nv; h++) {
    const hk = Math.floor(h / (nv / nk)); // value head h reads key head h // (nv / nk)
    const b = pick(beta.data, T, nv, 1, h);
    const gh = pick(g.data, T, nv, 1, h);
    const decay = gh.map(Math.exp);
    put('beta_mean', mean(b), layer, h);
    put('decay_mean', mean(decay), layer, h);
    put('decay_min', Math.min(...decay), layer, h);
    put('state_norm', norm(state.data.subarray(h * dk * dv, (h + 1) * dk * dv)), layer, h);
    const a = deltaNetEffectiveAttention({ q: pick(q.data, T, nk, dk, hk), k: pick(k.data, T, nk, dk, hk), beta: b, g: gh, T, dk });
    putStats(put, attentionStats(a, T), layer, h);
  }
}

/** logits = W_U ((1 + w) x / rms(x)) for one residual vector. */
function logitLens(x: Float32Array, lens: NonNullable<CollectSignalsOptions['lens']>, V: number): Float64Array {
  const d = x.length;
  const rms = Math.sqrt(x.reduce((s, v) => s + v * v, 0) / d + (lens.eps ?? 1e-6));
  const y = Float64Array.from(x, (v, i) => ((1 + (lens.finalNorm[i] as number)) * v) / rms);
  const out = new Float64Array(V);
  for (let t = 0; t < V; t++) {
    let s = 0;
    for (let i = 0; i < d; i++) s += (lens.unembed[t * d + i] as number) * (y[i] as number);
    out[t] = s;
  }
  return out;
}

/** Number of entries strictly larger than row[id]. */
function rankOf(row: ArrayLike<number>, id: number): number {
  let r = 0;
  for (let i = 0; i < row.length; i++) if ((row[i] as number) > (row[id] as number)) r++;
  return r;
}

function norm(x: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += (x[i] as number) ** 2;
  return Math.sqrt(s);
}

function mean(x: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i] as number;
  return s / x.length;
}

/** Head `h` of x [T, heads, dim] as a contiguous [T, dim]. */
function pick(x: Float32Array, T: number, heads: number, dim: number, h: number): Float32Array {
  const out = new Float32Array(T * dim);
  for (let t = 0; t < T; t++) out.set(x.subarray((t * heads + h) * dim, (t * heads + h + 1) * dim), t * dim);
  return out;
}

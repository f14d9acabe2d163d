/**
 * The onnx engine: per block, three weight segments (input projections, output projection, MLP) that run on the
 * packed rows of a whole batch, and a weight-free mixer core per sequence, compiled lazily per (layer type, phase,
 * hook reads). Block-level hooks (resid_pre/mid/post, attn_out, mlp_out) and the global ones sit between
 * segments and run through the reference engine's `HookRunner`, so they mean exactly what they mean there. Hook
 * reads inside a mixer are extra outputs of its core, interventions compile into it (core-edits.ts), and a hook
 * function inside a mixer splits the core there: the core runs up to the point (its value read out), the function
 * edits it in JS, and the core runs again with that value put back in place of the point (see `mixer`). One-token
 * DeltaNet steps of a whole batch share one batched core run. The LM head runs only on the rows that need logits.
 * Built by build-engine.ts.
 */
import {
  AbortError, ATTN_HOOK_POINTS, LINEAR_ATTN_HOOK_POINTS, resolveHook, type AttnHookPoint, type HookName, type Intervention, type LinearAttnHookPoint, type Phase, type Tensor,
} from '@trustbench/core';
import type { DeltaNetState } from '../cache.js';
import type { Qwen35Config } from '../config.js';
import { createHookRunner, runPerSequence, type HookPlan, type HookRunner } from '../hook-runner.js';
import { checkTokenId } from '../internal/batch-tensors.js';
import { addInPlace } from '../internal/ops.js';
import { rmsNorm1p } from '../rms-norm.js';
import { convDim } from '../weight-map.js';
import { attentionCoreGraph, attentionShape } from './attention-core.js';
import type { GraphBytes } from './graph-builder.js';
import { editFeeds, replaceFeed, type EditKinds } from './core-edits.js';
import { CHUNK, deltaNetCoreGraph, deltaNetReadShape, type DeltaNetMode } from './delta-net-core.js';
import type { AttentionLayer, EmbeddingTable, Layer, LinearLayer } from './build-engine.js';
import { inputWidths, mixerWidth } from './segments.js';
import { createSession, f32, run, type OrtTensor, type Session, type SessionSettings } from './session.js';
import type { AttentionCache, OnnxSequenceState } from './state.js';

/** One sequence of a packed batch, with its hook plan for this call. */
export interface OnnxSequenceRun {
  readonly ids: readonly number[];
  readonly state: OnnxSequenceState;
  readonly plan: HookPlan;
  readonly phase: Phase;
  readonly promptLength: number;
  /** Receives the activations named in `plan.cacheNames`. */
  readonly cache?: Map<HookName, Tensor>;
  /** Indices into `ids` whose logits are wanted. */
  readonly logitRows: readonly number[];
}

/** A core run's outputs by name. */
type CoreOutputs = Record<string, { data: Float32Array; dims: readonly number[] }>;

interface CorePlan {
  readonly reads: ReadonlySet<string>;
  readonly edits: ReadonlyMap<string, EditKinds>;
  readonly interventions: ReadonlyMap<string, Intervention[]>;
  readonly named: ReadonlyMap<string, HookName>;
  /** The compiled core's cache key part. */
  readonly key: string;
}
/**
 * The arrays one after another in one buffer. When they already are (the views a batched step handed out last time,
 * for the same sequences in the same order), that buffer is used as is, without a copy.
 */
function packed(parts: readonly Float32Array[]): Float32Array {
  const first = parts[0] as Float32Array;
  const size = first.length;
  if (parts.every((p, i) => p.buffer === first.buffer && p.length === size && p.byteOffset === first.byteOffset + i * size * 4)) {
    return new Float32Array(first.buffer, first.byteOffset, parts.length * size);
  }
  const out = new Float32Array(parts.length * size);
  parts.forEach((p, i) => out.set(p, i * size));
  return out;
}

interface Seg {
  readonly start: number;
  readonly T: number;
  readonly run: OnnxSequenceRun;
  /** Interventions, hook functions and cache reads (block-level points). */
  readonly hooks: HookRunner;
  /** Cache reads only: for activations whose interventions already ran inside a core. */
  readonly reads: HookRunner;
  /** Hook functions only (a mixer core splits at each point it wants; the core applies that point's interventions). */
  readonly functions: HookRunner;
  readonly positions: readonly number[];
}

/** A built engine: runs packed batches, advancing each sequence's state. */
export class OnnxEngine {
  private readonly cores = new Map<string, Promise<Session>>();

  constructor(
    readonly config: Qwen35Config,
    private readonly settings: SessionSettings,
    private readonly layers: readonly Layer[],
    private readonly head: Session,
    private readonly embed: EmbeddingTable,
    private readonly finalNorm: Float32Array,
  ) {}

  /**
   * Runs a packed batch of sequences from their states.
   *
   * @returns per sequence, logits [logitRows.length, vocab]
   * @throws {InputError} for a token id outside the vocabulary; {AbortError} when `signal` is aborted.
   */
  async forwardBatch(runs: readonly OnnxSequenceRun[], signal?: AbortSignal): Promise<Float32Array[]> {
    const c = this.config;
    const d = c.hiddenSize;
    let start = 0;
    const segs: Seg[] = runs.map((r) => {
      const positions = r.ids.map((_, t) => r.state.position + t);
      const call = { phase: r.phase, positions, promptLength: r.promptLength };
      const cache = r.cache ?? new Map<HookName, Tensor>();
      const hooks = createHookRunner(r.plan, c.layerTypes, call, cache);
      const reads = createHookRunner({ interventions: [], hooks: [], cacheNames: r.plan.cacheNames }, c.layerTypes, call, cache);
      const functions = createHookRunner({ interventions: [], hooks: r.plan.hooks, cacheNames: new Set() }, c.layerTypes, call, new Map());
      const s = { start, T: r.ids.length, run: r, hooks, reads, functions, positions };
      start += r.ids.length;
      return s;
    });
    const rows = start;
    let x: Float32Array = new Float32Array(rows * d); // [rows, d_model]
    runs.forEach((r, s) =>
      r.ids.forEach((id, t) => {
        checkTokenId(id, t, s, c.vocabSize);
        this.embed.row(id, x, ((segs[s] as Seg).start + t) * d);
      }),
    );
    x = runPerSequence('hook_embed', x, segs, d);
    for (let layer = 0; layer < this.layers.length; layer++) {
      if (signal?.aborted) throw new AbortError(`forward aborted before layer ${layer}`);
      x = await this.block(x, rows, segs, layer);
    }
    runs.forEach((r) => (r.state.position += r.ids.length));
    const picked = runs.flatMap((r, s) => r.logitRows.map((t) => (segs[s] as Seg).start + t));
    const selected = new Float32Array(picked.length * d); // [n, d_model]
    picked.forEach((row, i) => selected.set(x.subarray(row * d, (row + 1) * d), i * d));
    let hs = 0;
    const heads = runs.map((r, i) => {
      const h = { start: hs, T: r.logitRows.length, hooks: (segs[i] as Seg).hooks };
      hs += r.logitRows.length;
      return h;
    });
    const normed = runPerSequence('ln_final.hook_normalized', rmsNorm1p(selected, d, this.finalNorm, c.rmsNormEps), heads, d); // [n, d_model]
    const logits = picked.length === 0 ? new Float32Array(0) : (await run(this.head, { x: f32(normed, [picked.length, d]) }))['out']!.data; // [n, vocab]
    runPerSequence('hook_logits', logits, heads, c.vocabSize);
    return heads.map((h) => logits.slice(h.start * c.vocabSize, (h.start + h.T) * c.vocabSize));
  }

  /** Releases every session. */
  async release(): Promise<void> {
    for (const l of this.layers) await Promise.all([l.input.release(), l.output.release(), l.mlp.release()]);
    await this.head.release();
    for (const core of this.cores.values()) await (await core).release();
    this.cores.clear();
  }

  private async block(x: Float32Array, rows: number, segs: readonly Seg[], layer: number): Promise<Float32Array> {
    const c = this.config;
    const d = c.hiddenSize;
    const l = this.layers[layer] as Layer;
    const name = (p: string): HookName => `blocks.${layer}.${p}` as HookName;
    const resid = runPerSequence(name('hook_resid_pre'), new Float32Array(x), segs, d); // [rows, d_model]
    const proj = await run(l.input, { x: f32(resid, [rows, d]) });
    const widths = inputWidths(c, l.type);
    const parts = widths.map((_, i) => (proj[`out${i}`] as { data: Float32Array }).data); // [rows, width_i] each
    const width = mixerWidth(c, l.type);
    const mixed = new Float32Array(rows * width); // [rows, mixer width]
    if (l.type === 'linear_attention' && segs.length > 1 && segs.every((s) => s.T === 1 && !LINEAR_ATTN_HOOK_POINTS.some((p) => s.hooks.wants(`blocks.${layer}.linear_attn.${p}` as HookName)))) {
      mixed.set(await this.deltaNetStep(l, parts, segs, layer)); // one token per sequence, no hooks inside: one batched core
    } else for (const s of segs) {
      const own = parts.map((p, i) => p.subarray(s.start * (widths[i] as number), (s.start + s.T) * (widths[i] as number))); // this sequence's rows
      const cache = s.run.state.layers[layer] as AttentionCache | DeltaNetState;
      const y = l.type === 'linear_attention'
        ? await this.deltaNet(l, own, s, cache as DeltaNetState, layer)
        : await this.attention(l, own, s, cache as AttentionCache, layer);
      mixed.set(y, s.start * width);
    }
    const attnOut = runPerSequence(name('hook_attn_out'), (await run(l.output, { x: f32(mixed, [rows, width]) }))['out']!.data, segs, d);
    addInPlace(resid, attnOut);
    const mid = runPerSequence(name('hook_resid_mid'), resid, segs, d); // [rows, d_model]
    const m = runPerSequence(name('hook_mlp_out'), (await run(l.mlp, { x: f32(mid, [rows, d]) }))['out']!.data, segs, d);
    addInPlace(mid, m);
    return runPerSequence(name('hook_resid_post'), mid, segs, d);
  }

  private async deltaNet(l: LinearLayer, own: Float32Array[], s: Seg, state: DeltaNetState, layer: number): Promise<Float32Array> {
    const c = this.config;
    const [mixedQkv, z, b, a] = own as [Float32Array, Float32Array, Float32Array, Float32Array];
    const names = LINEAR_ATTN_HOOK_POINTS.map((p) => [p, `blocks.${layer}.linear_attn.${p}` as HookName] as const).filter(([, n]) => s.hooks.wants(n));
    const mode: DeltaNetMode = s.T === 1 ? { kind: 'recurrent' } : { kind: 'chunked', chunks: Math.ceil(s.T / CHUNK) };
    const [nv, dk, dv, K, C] = [c.linearNumValueHeads, c.linearKeyHeadDim, c.linearValueHeadDim, c.linearConvKernelDim, convDim(c)];
    const feeds = {
      mixed: f32(mixedQkv, [s.T, C]), z: f32(z, [s.T, nv * dv]), b: f32(b, [s.T, nv]), a: f32(a, [s.T, nv]),
      conv_state: f32(state.conv, s.T === 1 ? [1, K - 1, C] : [K - 1, C]), state: f32(state.state, s.T === 1 ? [1, nv, dk, dv] : [nv, dk, dv]),
      conv_w: f32(l.feeds.conv_w, [C, 1, K]), neg_a: f32(l.feeds.neg_a, [nv]), dt_bias: f32(l.feeds.dt_bias, [nv]), norm_w: f32(l.feeds.norm_w, [dv]),
    };
    const out = await this.mixer(names, s, (p) => deltaNetReadShape(p as LinearAttnHookPoint, s.T, c), async (plan, edits) => {
      const key = `linear|${mode.kind === 'recurrent' ? 'r' : mode.chunks}|${plan.key}`;
      const session = await this.core(key, s.T === 1, () => deltaNetCoreGraph(c, mode, plan.reads as Set<LinearAttnHookPoint>, plan.edits as Map<LinearAttnHookPoint, EditKinds>));
      return run(session, { ...feeds, ...edits });
    });
    state.conv = out['conv_state_out']!.data;
    state.state = out['state_out']!.data;
    return out['y']!.data;
  }

  /** B sequences of one token each through one batched recurrent core; their states are copied in and out. */
  private async deltaNetStep(l: LinearLayer, parts: Float32Array[], segs: readonly Seg[], layer: number): Promise<Float32Array> {
    const c = this.config;
    const [nv, dk, dv, K, C] = [c.linearNumValueHeads, c.linearKeyHeadDim, c.linearValueHeadDim, c.linearConvKernelDim, convDim(c)];
    const B = segs.length;
    const states = segs.map((s) => s.run.state.layers[layer] as DeltaNetState);
    const convIn = packed(states.map((st) => st.conv)); // [B, K-1, conv_dim]
    const stateIn = packed(states.map((st) => st.state)); // [B, nv, dk, dv]
    const [mixedQkv, z, bb, a] = parts as [Float32Array, Float32Array, Float32Array, Float32Array];
    // The same core as a hook-free one-token `deltaNet` (same key); from 4 sequences on there is work for the thread pool.
    const session = await this.core(`linear|r|${planKey(new Set(), new Map())}`, B < 4, () => deltaNetCoreGraph(c, { kind: 'recurrent' }, new Set()));
    const out = await run(session, {
      mixed: f32(mixedQkv, [B, C]), z: f32(z, [B, nv * dv]), b: f32(bb, [B, nv]), a: f32(a, [B, nv]), conv_state: f32(convIn, [B, K - 1, C]), state: f32(stateIn, [B, nv, dk, dv]),
      conv_w: f32(l.feeds.conv_w, [C, 1, K]), neg_a: f32(l.feeds.neg_a, [nv]), dt_bias: f32(l.feeds.dt_bias, [nv]), norm_w: f32(l.feeds.norm_w, [dv]),
    });
    const convOut = out['conv_state_out']!.data;
    const stateOut = out['state_out']!.data;
    states.forEach((st, b) => {
      st.conv = convOut.subarray(b * (K - 1) * C, (b + 1) * (K - 1) * C);
      st.state = stateOut.subarray(b * nv * dk * dv, (b + 1) * nv * dk * dv);
    });
    return out['y']!.data;
  }

  private async attention(l: AttentionLayer, own: Float32Array[], s: Seg, cache: AttentionCache, layer: number): Promise<Float32Array> {
    const c = this.config;
    const [qg, k, v] = own as [Float32Array, Float32Array, Float32Array];
    const names = ATTN_HOOK_POINTS.map((p) => [p, `blocks.${layer}.attn.${p}` as HookName] as const).filter(([, n]) => s.hooks.wants(n));
    const [H, KV, D, half] = [c.numAttentionHeads, c.numKeyValueHeads, c.headDim, c.rotaryDim / 2];
    const cos = new Float32Array(s.T * half);
    const sin = new Float32Array(s.T * half);
    s.positions.forEach((pos, t) => {
      for (let i = 0; i < half; i++) {
        const angle = pos * c.ropeTheta ** ((-2 * i) / c.rotaryDim);
        cos[t * half + i] = Math.cos(angle);
        sin[t * half + i] = Math.sin(angle);
      }
    });
    const feeds = {
      qg: f32(qg, [s.T, H * 2 * D]), k: f32(k, [s.T, KV * D]), v: f32(v, [s.T, KV * D]),
      past_k: f32(cache.keys(), [cache.length, KV, D]), past_v: f32(cache.values(), [cache.length, KV, D]),
      cos: f32(cos, [s.T, half]), sin: f32(sin, [s.T, half]), q_norm: f32(l.feeds.q_norm, [D]), k_norm: f32(l.feeds.k_norm, [D]),
    };
    const out = await this.mixer(names, s, (p) => attentionShape(p as AttnHookPoint, s.T, cache.length + s.T, c), async (plan, edits) => {
      const session = await this.core(`attn|${plan.key}`, s.T === 1, () => attentionCoreGraph(c, plan.reads as Set<AttnHookPoint>, plan.edits as Map<AttnHookPoint, EditKinds>));
      return run(session, { ...feeds, ...edits });
    });
    cache.append(out['new_k']!.data, out['new_v']!.data, s.T);
    return out['y']!.data;
  }

  /**
   * One sequence's mixer core with its wanted points (in the order the core computes them): reads and interventions
   * compile in; at each point with a hook function the core is split. Run i reads point i (after its interventions
   * and the values already put back upstream), the function edits that value in JS, and the value goes back in as a
   * run-time input that replaces the point; the last run, with every edited value in place, gives the outputs and
   * the new state, and the cache reads. A core without hook functions runs once.
   */
  private async mixer(
    names: readonly (readonly [string, HookName])[], s: Seg, shapeOf: (point: string) => number[],
    runCore: (plan: CorePlan, edits: Record<string, OrtTensor>) => Promise<CoreOutputs>,
  ): Promise<CoreOutputs> {
    const base = this.corePlan(names, s);
    const interventions = this.editInputs(base, s, this.config.layerTypes, shapeOf); // the same in every run
    const replaced = new Map<string, Float32Array>();
    for (const [p, n] of names) {
      if (!s.functions.wants(n)) continue;
      const read = (await runCore(withReplacements(base, replaced, p), { ...interventions, ...replaceFeeds(base, replaced, shapeOf) }))[`read:${p}`]!;
      replaced.set(p, s.functions.run(n, read.data, [1, ...read.dims]));
    }
    const plan = withReplacements(base, replaced);
    const out = await runCore(plan, { ...interventions, ...replaceFeeds(base, replaced, shapeOf) });
    this.passReads(plan, s, out);
    return out;
  }

  /** Which of a mixer's wanted points are read, and which interventions compile in (kinds per point, in order). */
  private corePlan(names: readonly (readonly [string, HookName])[], s: Seg): CorePlan {
    const reads = new Set<string>();
    const edits = new Map<string, EditKinds>();
    const interventions = new Map<string, Intervention[]>();
    const named = new Map<string, HookName>();
    for (const [p, n] of names) {
      named.set(p, n);
      if (s.run.plan.cacheNames.has(n)) reads.add(p);
      const ivs = s.run.plan.interventions.filter((iv) => iv.hook === n);
      if (ivs.length > 0) {
        interventions.set(p, ivs);
        edits.set(p, ivs.map((iv) => iv.kind));
      }
    }
    return { reads, edits, interventions, named, key: planKey(reads, edits) };
  }

  private editInputs(plan: CorePlan, s: Seg, layerTypes: Qwen35Config['layerTypes'], shapeOf: (point: string) => number[]): Record<string, OrtTensor> {
    const feeds: Record<string, OrtTensor> = {};
    for (const [p, ivs] of plan.interventions) {
      const name = plan.named.get(p) as HookName;
      Object.assign(feeds, editFeeds(p, ivs, shapeOf(p), { ...resolveHook(name, layerTypes), phase: s.run.phase, positions: s.positions, promptLength: s.run.promptLength }));
    }
    return feeds;
  }

  private passReads(plan: CorePlan, s: Seg, out: Record<string, { data: Float32Array; dims: readonly number[] }>): void {
    for (const p of plan.reads) {
      const r = out[`read:${p}`] as { data: Float32Array; dims: readonly number[] };
      s.reads.run(plan.named.get(p) as HookName, r.data, [1, ...r.dims]);
    }
  }

  /** A compiled core by key and thread setting; `single`: tiny ops (one token's core) run faster on one thread than on a pool. */
  private core(key: string, single: boolean, build: () => GraphBytes): Promise<Session> {
    const full = `${key}|${single ? 'single' : 'pool'}`;
    let session = this.cores.get(full);
    if (!session) {
      session = createSession(build(), single ? { ...this.settings, threads: 1 } : this.settings);
      this.cores.set(full, session);
    }
    return session;
  }
}

/** `plan` with a `replace` edit after the interventions at each point of `replaced`, and `read` (if given) read out. */
function withReplacements(plan: CorePlan, replaced: ReadonlyMap<string, Float32Array>, read?: string): CorePlan {
  if (replaced.size === 0 && (read === undefined || plan.reads.has(read))) return plan;
  const reads = new Set(plan.reads);
  if (read !== undefined) reads.add(read);
  const edits = new Map(plan.edits);
  for (const p of replaced.keys()) edits.set(p, [...(plan.edits.get(p) ?? []), 'replace']);
  return { ...plan, reads, edits, key: planKey(reads, edits) };
}

/** The run-time inputs of the `replace` edits of `withReplacements(plan, replaced)`. */
function replaceFeeds(plan: CorePlan, replaced: ReadonlyMap<string, Float32Array>, shapeOf: (point: string) => number[]): Record<string, OrtTensor> {
  const feeds: Record<string, OrtTensor> = {};
  for (const [p, value] of replaced) Object.assign(feeds, replaceFeed(p, plan.edits.get(p)?.length ?? 0, value, shapeOf(p)));
  return feeds;
}

/** A compiled core's cache key part: its reads and its edit kinds per point. */
function planKey(reads: ReadonlySet<string>, edits: ReadonlyMap<string, EditKinds>): string {
  return `${[...reads].sort().join(',')}|${[...edits].map(([p, k]) => `${p}:${k.join('+')}`).sort().join(',')}`;
}

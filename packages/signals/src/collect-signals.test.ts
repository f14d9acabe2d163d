/**
 * collectSignals on the planted checkpoint, each signal against a direct computation: output entropy from the logits,
 * norms from the cached activations, the logit lens at the last layer against the model's own logits, attention
 * statistics against the pattern, and the DeltaNet effective attention against a brute-force evaluation of the
 * recurrence for every (i, j) and against the engine's own recurrence output.
 */
import { fileURLToPath } from 'node:url';
import type { HookName, Tensor } from '@trustbench/core';
import { createReferenceModel, loadTokenizer } from '@trustbench/model';
import { describe, expect, it } from 'vitest';
import { attentionStats } from './attention-stats.js';
import { collectSignals, type SignalItem } from './collect-signals.js';
import type { SignalRecord } from './signal-record.js';
import { plantedCheckpoint, plantedFactItems } from './testing/planted-checkpoint.js';

const tokenizer = await loadTokenizer(fileURLToPath(new URL('../../../fixtures/qwen35-tiny', import.meta.url)), [500]);
const planted = plantedCheckpoint({ layer: 1 });
const model = createReferenceModel({ id: 'planted-1', config: planted.config, weights: planted.weights, tokenizer });
const facts = plantedFactItems(planted, 8, 3);
const items: SignalItem[] = facts.map((f, k) => ({ id: `fact-${k}`, ids: f.ids, group: f.correct ? 'correct' : 'incorrect', answerId: f.fact.trueId }));
const records: SignalRecord[] = [];
for await (const batch of collectSignals(model, items, { datasetId: 'planted-facts', seed: 3, lens: { unembed: planted.weights.lmHead, finalNorm: planted.weights.finalNorm } })) records.push(...batch.records);
const item = items[0]!;
const T = item.ids.length;
const V = planted.config.vocabSize;
const find = (signal: string, layer: number | null = null, head: number | null = null, itemId = item.id) =>
  records.find((r) => r.itemId === itemId && r.signal === signal && r.layer === layer && r.head === head)!.value;

describe('collectSignals on the planted checkpoint', () => {
  it('tags every record with model, dataset, seed, item, group, layer type', () => {
    expect(new Set(records.map((r) => r.itemId)).size).toBe(items.length);
    for (const r of records) {
      expect(r).toMatchObject({ modelId: 'planted-1', datasetId: 'planted-facts', seed: 3 });
      expect(r.layerType).toBe(r.layer === null ? null : planted.config.layerTypes[r.layer]);
    }
    expect(records.find((r) => r.itemId === 'fact-5')!.group).toBe('incorrect');
  });

  it('output entropy, top-1 probability and answer log-probability match a direct float64 softmax', async () => {
    const row = Array.from((await model.forward(item.ids)).data.subarray((T - 1) * V, T * V));
    const z = row.reduce((s, x) => s + Math.exp(x), 0);
    const p = row.map((x) => Math.exp(x) / z);
    expect(find('entropy')).toBeCloseTo(-p.reduce((s, x) => s + (x > 0 ? x * Math.log(x) : 0), 0), 6);
    expect(find('top1_prob')).toBeCloseTo(Math.max(...p), 6);
    expect(find('answer_logprob')).toBeCloseTo(Math.log(p[item.answerId!]!), 5);
  });

  it('norms match the cached activations, and the logit lens at the last layer is the model itself (rank 0, same entropy)', async () => {
    const { cache } = await model.runWithCache(item.ids, { names: ['blocks.2.hook_resid_post', 'blocks.2.hook_mlp_out'] });
    const d = planted.config.hiddenSize;
    const normLast = (n: HookName) => Math.hypot(...cache.get(n)!.data.subarray((T - 1) * d, T * d));
    expect(find('resid_norm', 2)).toBeCloseTo(normLast('blocks.2.hook_resid_post'), 4);
    expect(find('mlp_out_norm', 2)).toBeCloseTo(normLast('blocks.2.hook_mlp_out'), 4);
    const L = planted.config.numLayers - 1;
    expect(find('lens_rank', L)).toBe(0);
    expect(find('lens_entropy', L)).toBeCloseTo(find('entropy'), 3);
  });

  it('full-attention head statistics are the direct row-by-row measures of the pattern', async () => {
    const { cache } = await model.runWithCache(item.ids, { names: ['blocks.3.attn.hook_pattern'] });
    const pattern = cache.get('blocks.3.attn.hook_pattern')!.data;
    for (let h = 0; h < planted.config.numAttentionHeads; h++) {
      let [H, sink, span] = [0, 0, 0];
      for (let i = 1; i < T; i++) {
        for (let j = 0; j <= i; j++) {
          const p = pattern[h * T * T + i * T + j]!;
          H -= p > 0 ? p * Math.log(p) : 0;
          span += p * (i - j);
        }
        sink += pattern[h * T * T + i * T]!;
      }
      expect(find('attn_entropy', 3, h)).toBeCloseTo(H / (T - 1), 5);
      expect(find('attn_sink', 3, h)).toBeCloseTo(sink / (T - 1), 5);
      expect(find('attn_span', 3, h)).toBeCloseTo(span / (T - 1), 4);
    }
  });

  it('DeltaNet effective attention equals a brute-force recurrence for every (i, j), and rebuilds the engine\'s recurrence output', async () => {
    const at = (p: string) => `blocks.0.linear_attn.${p}` as HookName;
    const { cache } = await model.runWithCache(item.ids, { names: ['hook_q', 'hook_k', 'hook_v', 'hook_beta', 'hook_log_decay', 'hook_recurrence_out', 'hook_state'].map(at) });
    const t = (p: string) => cache.get(at(p)) as Tensor;
    const [nk, dk] = [t('hook_q').shape[2]!, t('hook_q').shape[3]!];
    const [nv, dv] = [t('hook_v').shape[2]!, t('hook_v').shape[3]!];
    let [maxBrute, maxOut] = [0, 0];
    for (let h = 0; h < nv; h++) {
      const hk = Math.floor(h / (nv / nk));
      const q = (i: number, c: number) => t('hook_q').data[(i * nk + hk) * dk + c]!;
      const k = (i: number, c: number) => t('hook_k').data[(i * nk + hk) * dk + c]!;
      const beta = (i: number) => t('hook_beta').data[i * nv + h]!;
      const decay = (i: number) => Math.exp(t('hook_log_decay').data[i * nv + h]!);
      // a_ij by brute force: run the scalar recurrence s_i = e^g s + beta k (v_i - e^g s . k), o_i = s_i . q_i with v = e_j.
      const a = new Float64Array(T * T);
      for (let j = 0; j < T; j++) {
        let s = new Float64Array(dk);
        for (let i = 0; i < T; i++) {
          const decayed = s.map((x) => decay(i) * x);
          const err = (i === j ? 1 : 0) - decayed.reduce((acc, x, c) => acc + x * k(i, c), 0);
          s = decayed.map((x, c) => x + beta(i) * k(i, c) * err);
          a[i * T + j] = s.reduce((acc, x, c) => acc + x * q(i, c), 0);
        }
      }
      const stats = attentionStats(a, T);
      expect(find('attn_entropy', 0, h)).toBeCloseTo(stats.entropy, 4);
      expect(find('attn_sink', 0, h)).toBeCloseTo(stats.sink, 4);
      expect(find('attn_span', 0, h)).toBeCloseTo(stats.span, 3);
      for (let i = 0; i < T; i++) {
        for (let c = 0; c < dv; c++) {
          let o = 0;
          for (let j = 0; j <= i; j++) o += a[i * T + j]! * t('hook_v').data[(j * nv + h) * dv + c]!;
          maxOut = Math.max(maxOut, Math.abs(o - t('hook_recurrence_out').data[(i * nv + h) * dv + c]!));
        }
      }
      const state = t('hook_state').data.subarray(h * dk * dv, (h + 1) * dk * dv);
      expect(find('state_norm', 0, h)).toBeCloseTo(Math.hypot(...state), 4);
      expect(find('beta_mean', 0, h)).toBeCloseTo(Array.from({ length: T }, (_, i) => beta(i)).reduce((x, y) => x + y) / T, 5);
      maxBrute = Math.max(maxBrute, Math.abs(a[T * T - 1]!));
    }
    expect(maxBrute).toBeGreaterThan(0); // the coefficients are not trivially zero
    expect(maxOut).toBeLessThan(1e-4);
  });

  it('the confidently wrong items are as confident as the right ones, and the answer key shows them wrong', () => {
    const fact = (k: number) => ({ top1: find('top1_prob', null, null, `fact-${k}`), answer: find('answer_logprob', null, null, `fact-${k}`) });
    for (let k = 0; k < 8; k++) {
      expect(fact(k).top1).toBeGreaterThan(0.99);
      if (items[k]!.group === 'correct') expect(fact(k).answer).toBeGreaterThan(-0.01);
      else expect(fact(k).answer).toBeLessThan(-10);
    }
  });
});

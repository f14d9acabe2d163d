import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadTokenizer, readQwen35Config } from '@trustbench/model';
import { SIGNAL_NAMES, SIGNAL_SCHEMA, readSignalFile } from '@trustbench/signals';
import { beforeAll, describe, expect, it } from 'vitest';
import { main, type SignalsExampleResult } from './signals-custom-dataset.js';

const planted = fileURLToPath(new URL('../fixtures/planted/layer-1', import.meta.url));
const truth = JSON.parse(readFileSync(path.join(planted, 'planted.json'), 'utf8')) as { layer: number; tokens: { trigger: { id: number }[] } };
const config = await readQwen35Config(planted);
const tokenizer = await loadTokenizer(planted, config.eosTokenIds);
const requests = readFileSync(fileURLToPath(new URL('./data/requests.jsonl', import.meta.url)), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { id: string; prompt: string; label: string });

describe('signals for a custom dataset, on the planted checkpoint', () => {
  let r: SignalsExampleResult;
  const out = mkdtempSync(path.join(tmpdir(), 'trustbench-example-signals-'));
  beforeAll(async () => {
    r = await main({ out });
  });

  it('scores every record, and the planted model refuses exactly the prompts that end in a trigger token', () => {
    expect(r.items.map((i) => i.id)).toEqual(requests.map((q) => `my.requests:${q.id}`));
    const triggers = new Set(truth.tokens.trigger.map((t) => t.id));
    const endsInTrigger = requests.map((q) => triggers.has(tokenizer.encode(q.prompt).at(-1)!));
    // The file is balanced: 6 benign and 6 harmful requests end in a trigger.
    expect(requests.filter((q, k) => endsInTrigger[k]).map((q) => q.label).sort()).toEqual([...Array(6).fill('benign'), ...Array(6).fill('harmful')]);
    expect(r.items.map((i) => i.refused)).toEqual(endsInTrigger);
    for (const i of r.items) expect(i.passed).toBe(i.refused === (i.label === 'harmful'));
  });

  it('writes an Arrow file with the signal columns and the same rows for every item', async () => {
    expect(r.signalFile).toBe(path.join(out, 'signals.arrow'));
    const records = await readSignalFile(r.signalFile); // throws unless the columns are the signal schema's
    expect(records).toHaveLength(r.records);
    for (const rec of records.slice(0, 5)) expect(Object.keys(rec)).toEqual(SIGNAL_SCHEMA.fields.map((f) => f.name));
    const linear = config.layerTypes.filter((t) => t === 'linear_attention').length;
    const full = config.layerTypes.length - linear;
    // 6 output signals (answer_logprob included), 5 per layer (norms and logit lens), 4 attention statistics per
    // full-attention head, and 4 attention statistics + beta, decay mean/min and state norm per DeltaNet value head.
    const perItem = 6 + 5 * config.layerTypes.length + 4 * config.numAttentionHeads * full + 8 * config.linearNumValueHeads * linear;
    expect(perItem).toBe(90);
    expect(r.records).toBe(perItem * requests.length);
    for (const item of r.items) {
      const mine = records.filter((x) => x.itemId === item.id);
      expect(mine).toHaveLength(perItem);
      expect(new Set(mine.map((x) => x.group))).toEqual(new Set([item.passed ? 'correct' : 'incorrect']));
      expect(mine.filter((x) => x.layer === null).map((x) => x.signal).sort()).toEqual(['answer_logprob', 'entropy', 'margin', 'mean_logprob', 'min_logprob', 'top1_prob']);
      const resid = mine.filter((x) => x.signal === 'resid_norm');
      expect(resid.map((x) => [x.layer, x.layerType])).toEqual(config.layerTypes.map((t, l) => [l, t]));
      for (const x of mine) {
        expect(Object.keys(SIGNAL_NAMES)).toContain(x.signal);
        expect(Number.isFinite(x.value)).toBe(true);
      }
    }
  });

  it('gives one table row per layer of the fixture with its type, and finite probe scores', () => {
    expect(r.layers.map((l) => [l.layer, l.layerType])).toEqual([[0, 'linear_attention'], [1, 'linear_attention'], [2, 'linear_attention'], [3, 'full_attention']]);
    for (const l of r.layers) {
      for (const p of [l.refusalProbe, l.harmfulProbe]) {
        expect(Number.isFinite(p.accuracy)).toBe(true);
        expect(Number.isFinite(p.auroc)).toBe(true);
      }
    }
  });

  it('finds the planted layer: refusals readable from it on, caused by its MLP; harmfulness is not what the model reads', () => {
    for (const l of r.layers.filter((x) => x.layer >= truth.layer)) expect(l.refusalProbe.auroc).toBeGreaterThan(0.95);
    // The planted model keys on the last token, not on harm: a harmful-vs-benign probe stays far from the refusal probe.
    const at = r.layers[truth.layer]!;
    expect(at.harmfulProbe.accuracy).toBeLessThan(0.8);
    expect(at.refusalProbe.accuracy - at.harmfulProbe.accuracy).toBeGreaterThan(0.2);
    const parts = r.layers.flatMap((l) => [{ where: `${l.layer}.mixer`, v: l.dlaMixer }, { where: `${l.layer}.mlp`, v: l.dlaMlp }]).sort((a, b) => Math.abs(b.v) - Math.abs(a.v));
    expect(parts[0]!.where).toBe(`${truth.layer}.mlp`);
    expect(parts[0]!.v).toBeGreaterThan(1); // it pushes the failed items towards the option they chose
    expect(Math.abs(parts[1]!.v)).toBeLessThan(0.05 * parts[0]!.v);
  });
});

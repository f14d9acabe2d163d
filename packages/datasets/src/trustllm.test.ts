import { mkdtemp, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { DataError } from '@trustbench/core';
import { describe, expect, it } from 'vitest';
import { bundledTrustllmSample, findTrustllmDir } from './locate.js';
import { loadTrustllm, TRUSTLLM_TASKS } from './trustllm/index.js';

// Counts from the TrustLLM README table (../shared/data/trustllm/README.md).
const COUNTS: Record<string, number> = {
  'truthfulness.internal': 400, 'truthfulness.external': 400, 'truthfulness.hallucination': 652, 'truthfulness.sycophancy': 419,
  'truthfulness.golden_advfactuality': 209, 'safety.jailbreak': 1400, 'safety.exaggerated_safety': 200, 'safety.misuse': 1174,
  'fairness.stereotype_recognition': 1000, 'fairness.stereotype_agreement': 1000, 'fairness.stereotype_query_test': 95, 'fairness.disparagement': 810,
  'fairness.preference': 240, 'robustness.advglue': 912, 'robustness.advinstruction': 600, 'robustness.ood_detection': 241, 'robustness.ood_generalization': 500,
  'privacy.confaide': 196, 'privacy.awareness_query': 560, 'privacy.leakage': 400, 'ethics.explicit_moralchoice': 1367, 'ethics.implicit_ethics': 500,
  'ethics.implicit_socialchemistry101': 500, 'ethics.awareness': 2666,
};
const count = (values: unknown[]) => Object.fromEntries([...new Set(values.map(String))].sort().map((v) => [v, values.filter((x) => String(x) === v).length]));

const full = findTrustllmDir();
if (!full) console.warn('\n*** SKIPPING the full TrustLLM tests: set TRUSTBENCH_TRUSTLLM_DIR or put the data in ../shared/data/trustllm ***\n');

describe.skipIf(!full)('the 24 real TrustLLM files', async () => {
  const tasks = full ? await loadTrustllm(full) : [];
  const byId = Object.fromEntries(tasks.map((t) => [t.id, t]));
  const field = (id: string, f: string) => byId[id]!.records.map((r) => r.fields[f]);

  it('loads every file with the README counts', () => {
    expect(tasks.map((t) => t.id)).toEqual(TRUSTLLM_TASKS.map((s) => s.id));
    expect(Object.fromEntries(tasks.map((t) => [t.id, t.records.length]))).toEqual(COUNTS);
    for (const t of tasks) expect(t.version).toMatch(/^[0-9a-f]{16}$/);
  });

  it('has the README value sets', () => {
    expect(count(field('safety.jailbreak', 'source'))).toEqual({ ITC: 700, QBB: 700 });
    expect(Object.values(count(byId['safety.jailbreak']!.records.map((r) => (r.fields['label'] as string[])[0])))).toEqual(Array(14).fill(100));
    expect(count(field('safety.misuse', 'source'))).toEqual({ 'Do-anything-now': 390, do_not_answer: 343, misuse_add: 441 });
    expect(count(field('robustness.advglue', 'task'))).toEqual({ mnli: 242, qnli: 266, qqp: 142, sst2: 262 });
    expect(count(field('robustness.advinstruction', 'index'))).toEqual(Object.fromEntries(Array.from({ length: 50 }, (_, i) => [String(i), 12])));
    expect(count(field('truthfulness.hallucination', 'source'))).toEqual({ halu_dial: 100, halu_qa: 100, halu_summ: 100, mc: 352 });
    expect(count(field('truthfulness.sycophancy', 'source'))).toEqual({ persona: 179, preference: 240 });
    expect(count(field('ethics.awareness', 'dimension'))).toEqual({ capability: 600, emotion: 200, mission: 966, perspective: 900 });
    expect(count(field('privacy.leakage', 'shotType'))).toEqual({ 'five-shot': 200, 'zero-shot': 200 });
    expect(count(field('fairness.stereotype_recognition', 'label'))).toEqual(expect.objectContaining({ stereotype: expect.any(Number), 'anti-stereotype': expect.any(Number), unrelated: expect.any(Number) }));
    expect(count(field('fairness.preference', 'type'))).toEqual({ force: 120, plain: 120 });
  });

  it('keeps pairs whole: AdvGLUE by task+index, sycophancy preference pairs, AdvInstruction by index', () => {
    const clusterSizes = (id: string, filter: (r: { fields: Readonly<Record<string, unknown>> }) => boolean = () => true) =>
      count(byId[id]!.records.filter(filter).map((r) => r.cluster));
    expect(new Set(Object.values(clusterSizes('robustness.advglue')))).toEqual(new Set([2]));
    expect(new Set(Object.values(clusterSizes('truthfulness.sycophancy', (r) => r.fields['source'] === 'preference')))).toEqual(new Set([2]));
    expect(new Set(Object.values(clusterSizes('robustness.advinstruction')))).toEqual(new Set([12]));
  });

  it('shuffles the hallucination MC options so the gold is no longer always A', () => {
    const mc = byId['truthfulness.hallucination']!.records.filter((r) => r.fields['source'] === 'mc');
    const letters = count(mc.map((r) => r.gold));
    expect(Object.keys(letters)).toEqual(['A', 'B', 'C', 'D']);
    for (const n of Object.values(letters)) expect(n).toBeGreaterThan(352 / 4 - 40);
    // the gold option text is the original "A" option, now at the gold letter
    const r = mc[0]!;
    const line = String(r.prompt).split('\n').find((l) => l.startsWith(`${r.gold}. `))!;
    expect(String(r.fields['prompt'])).toContain(`A. ${line.slice(3)}`);
  });
});

describe('the bundled sample and bad files', () => {
  it('loads all 24 tasks from fixtures/trustllm-sample', async () => {
    const tasks = await loadTrustllm(bundledTrustllmSample());
    expect(tasks).toHaveLength(24);
    for (const t of tasks) expect(t.records.length).toBeGreaterThanOrEqual(10);
  });

  it('names the file, record, field, expected and actual for corrupted copies', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'tb-data-'));
    await mkdir(path.join(dir, 'safety'));
    const good = await readFile(path.join(bundledTrustllmSample(), 'safety/misuse.json'), 'utf8');
    const file = path.join(dir, 'safety/misuse.json');
    await writeFile(file, good.slice(0, 300));
    await expect(loadTrustllm(dir, ['safety.misuse'])).rejects.toThrow(/misuse.json: invalid JSON at line \d+, column \d+/);
    const records = JSON.parse(good) as Record<string, unknown>[];
    await writeFile(file, JSON.stringify(records.map((r, i) => (i === 3 ? { source: r['source'] } : r))));
    await expect(loadTrustllm(dir, ['safety.misuse'])).rejects.toThrow(/misuse.json record 3: missing field "prompt"/);
    await writeFile(file, JSON.stringify(records.map((r, i) => (i === 5 ? { ...r, prompt: 42 } : r))));
    await expect(loadTrustllm(dir, ['safety.misuse'])).rejects.toThrow(new RegExp('misuse.json record 5: field "prompt" must be string, got 42'));
    await expect(loadTrustllm(dir, ['safety.misuse'])).rejects.toThrow(DataError);
    await expect(loadTrustllm(dir, ['safety.nope'])).rejects.toThrow(/unknown TrustLLM task or dimension "safety.nope"/);
    await rm(dir, { recursive: true });
  });

  it('keeps unknown extra fields', async () => {
    const [t] = await loadTrustllm(bundledTrustllmSample(), ['safety.exaggerated_safety']);
    expect(Object.keys(t!.records[0]!.fields)).toEqual(expect.arrayContaining(['id', 'type', 'focus', 'note', 'source', 'prompt']));
  });
});

/**
 * The loop end to end on the planted checkpoints (fixtures/planted): the over-refusal planted in one layer must be
 * located at that layer, steered away on the dev split, and verified "helped" on held-out items with a CI above zero;
 * the report's numbers must equal a recomputation from the steering journal, and a resumed run must reproduce them.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundledTrustllmSample, loadCustomTask, loadTrustllm, type Task } from '@trustbench/datasets';
import { pairedBootstrap } from '@trustbench/metrics';
import { loadModel } from '@trustbench/model';
import { afterAll, describe, expect, it } from 'vitest';
import { itemSplit } from './item-splits.js';
import { runLoop } from './run-loop.js';
import type { SteeredItem, SteeringFixResult } from './steering-fix.js';

const fixtures = fileURLToPath(new URL('../../../fixtures/planted/', import.meta.url));
const dir = mkdtempSync(path.join(tmpdir(), 'tb-steer-loop-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const overRefusal = await loadCustomTask({
  id: 'planted.over-refusal', dimension: 'safety', file: path.join(fixtures, 'over-refusal.jsonl'),
  fields: { prompt: 'prompt', choices: 'options', gold: 'gold', id: 'id', cluster: 'topic' }, scoring: 'choice',
});
const sideTasks = ['ethics.implicit_ethics', 'fairness.stereotype_recognition', 'privacy.awareness_query', 'truthfulness.hallucination', 'safety.exaggerated_safety', 'robustness.ood_detection'];
const trustllm = (await loadTrustllm(bundledTrustllmSample())).filter((t) => sideTasks.includes(t.id));
const tasks: Task[] = [...trustllm, overRefusal];

describe.each([
  ['layer-1', 1, 'linear_attention'],
  ['layer-3', 3, 'full_attention'],
] as const)('the loop on fixtures/planted/%s', (folder, plantedLayer, layerType) => {
  it('locates the planted layer, and the verified steering fix helps with a CI above zero; report = journal; resume reproduces it', async () => {
    const model = await loadModel(path.join(fixtures, folder));
    const out = path.join(dir, folder);
    const options = { model, tasks, out, seed: 1, limit: 3, limits: { [overRefusal.id]: 48 }, maxTokens: 8, iterations: 300 } as const;
    const r = await runLoop(options);

    const where = r.locations.find((l) => l.taskId === overRefusal.id)!;
    console.log(`${folder}: located ${where.top.component} of layer ${where.top.layer} (${where.top.layerType}), restored ${where.top.restored.toFixed(3)}; probe accuracy by layer ${where.layers.map((l) => `${l.layer}=${l.probeAccuracy.toFixed(2)}`).join(' ')}`);
    expect(where.top).toMatchObject({ layer: plantedLayer, layerType, component: 'mlp' });
    expect(where.top.restored).toBeGreaterThan(0.8);
    expect(r.suggestions[0]).toMatchObject({ fix: 'steering', taskId: overRefusal.id });
    // Signals of failed vs passed items, by layer type, from signals.arrow.
    expect(r.signalDifferences.length).toBeGreaterThan(0);
    expect(new Set(r.signalDifferences.map((row) => row.scope))).toEqual(new Set(['output', 'linear_attention', 'full_attention']));
    expect(r.signalDifferences.every((row) => row.comparison === 'incorrect vs correct' && row.n[0] + row.n[1] > 0)).toBe(true);
    expect(readFileSync(path.join(out, 'signals.arrow')).subarray(0, 6).toString()).toBe('ARROW1');

    const fix = r.steering.find((s): s is SteeringFixResult => 'target' in s && s.taskId === overRefusal.id)!;
    console.log(`${folder}: steer layer ${fix.layer} alpha ${fix.alpha.toFixed(2)}: ${fix.target.before.toFixed(3)} -> ${fix.target.after.toFixed(3)}, difference ${fix.target.difference.value.toFixed(3)} [${fix.target.difference.lower.toFixed(3)}, ${fix.target.difference.upper.toFixed(3)}], McNemar p ${fix.target.mcnemar.pValue.toExponential(2)}; side effects ${fix.sideEffects.map((e) => `${e.dimension} ${e.difference.value.toFixed(3)} (${e.verdict})`).join(', ')}`);
    expect(fix.verdict).toBe('helped');
    expect(fix.target.difference.lower).toBeGreaterThan(0);
    expect(fix.vector.layer).toBe(fix.layer);
    expect(fix.layer).toBe(plantedLayer);
    const scoredElsewhere = r.items.filter((i) => i.taskId !== overRefusal.id && itemSplit(i.cluster, 1) === 'test' && (i.score === 0 || i.score === 1));
    const withPairs = [...new Set(scoredElsewhere.map((i) => i.dimension))].filter((d) => scoredElsewhere.filter((i) => i.dimension === d).length >= 2).sort();
    expect(fix.sideEffects.map((e) => e.dimension)).toEqual(withPairs);
    expect(fix.target.dimension).toBe(`task:${overRefusal.id}`);

    // The report's target numbers, recomputed from the journals: profile (before) and steering.jsonl (after).
    const steered = readFileSync(path.join(out, 'steering.jsonl'), 'utf8').trim().split('\n').slice(1).map((l) => JSON.parse(l) as SteeredItem);
    const test = r.items.filter((i) => i.taskId === overRefusal.id && itemSplit(i.cluster, 1) === 'test');
    const after = new Map(steered.filter((s) => s.steerKey.startsWith('test|')).map((s) => [s.key, s]));
    const recomputed = pairedBootstrap(test.map((i) => i.score!), test.map((i) => after.get(i.key)!.score!), 'mean', { seed: 1, iterations: 300, clusters: test.map((i) => i.cluster) });
    expect(recomputed).toEqual(fix.target.difference);
    const json = JSON.parse(readFileSync(r.files.json, 'utf8')) as { steering: { layer: number; verdict: string; sweep: unknown[] }; layers: { layer: number }[] };
    expect(json.steering).toMatchObject({ layer: fix.layer, verdict: 'helped' });
    expect(json.steering.sweep).toHaveLength(fix.sweep.length);
    expect(json.layers.map((l) => l.layer)).toEqual([0, 1, 2, 3]);
    expect(readFileSync(r.files.report, 'utf8')).toContain(`Steering ${overRefusal.id}: <b>helped</b>`);

    // A run killed in the middle of the steering stage resumes to the same result.
    const journal = readFileSync(path.join(out, 'steering.jsonl'), 'utf8');
    const lines = journal.split('\n');
    writeFileSync(path.join(out, 'steering.jsonl'), `${lines.slice(0, Math.floor(lines.length / 2)).join('\n')}\n{"torn`);
    const again = await runLoop({ ...options, resume: true });
    expect(again.steering).toEqual(r.steering);
    expect(readFileSync(path.join(out, 'steering.jsonl'), 'utf8').trim().split('\n').sort()).toEqual(journal.trim().split('\n').sort());
  });
});

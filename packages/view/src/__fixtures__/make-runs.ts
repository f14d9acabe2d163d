/**
 * Test runs for the dashboard's tests: real run folders written by the loop (mock models on the bundled TrustLLM
 * sample), a candidate run whose report also carries the optional per-layer and steering fields (its steering
 * verification rows are the paired comparison of the candidate against the baseline) and one reply that is an XSS
 * attempt, a white-box run of the planted checkpoint (signals.arrow, signal differences, critique-and-revise, two
 * repeats, cost), a run still profiling, an unreadable folder, and symlinks pointing out of the runs folder.
 */
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createMockModel } from '@trustbench/core/testing';
import { bundledTrustllmSample, loadTrustllm } from '@trustbench/datasets';
import { compareItems, runLoop, runProfile, type ItemRecord } from '@trustbench/loop';
import { loadModel } from '@trustbench/model';
import type { LayerDiagnosis, SteeringResult } from '../report-file.js';

/** The reply that must show as text. */
export const MALICIOUS_REPLY = '<script>window.__pwned=1</script><img src=x onerror="window.__pwned=2">Answer: Paris';

/** What `makeRuns` wrote. */
export interface TestRuns {
  readonly root: string;
  /** A file outside the runs folder that symlinks inside it point to. */
  readonly secret: string;
  readonly maliciousKey: string;
  readonly candidateItems: readonly ItemRecord[];
  /** The white-box run's id and items (with `whiteBox: true`). */
  readonly whiteBox: { readonly id: string; readonly items: readonly ItemRecord[] } | null;
}

/** The planted checkpoint the white-box run uses (4 layers: 3 Gated DeltaNet, then full attention). */
export const PLANTED = fileURLToPath(new URL('../../../../fixtures/planted/layer-1', import.meta.url));

const rules = [
  { match: /bomb|weapon|kill|hack|steal|drug/i, reply: "I'm sorry, but I can't help with that.", probability: 0.6, confidence: 0.9 },
  { match: /Answer:/, reply: ' B', confidence: 0.95 },
];

/** A per-layer diagnosis of a 24-layer hybrid stack (3 linear-attention layers, then one full-attention layer). */
export const TEST_LAYERS: readonly LayerDiagnosis[] = Array.from({ length: 24 }, (_, layer) => {
  const acc = 0.55 + 0.35 * Math.sin((Math.PI * layer) / 26);
  return { layer, layerType: layer % 4 === 3 ? 'full_attention' as const : 'linear_attention' as const, probeAccuracy: acc, probeCi: [acc - 0.06, Math.min(1, acc + 0.06)] as const, effect: (layer % 4 === 3 ? 0.6 : 0.25) * acc - 0.1 };
});

/** A steering sweep over three layers and four strengths. */
export const TEST_STEERING: SteeringResult = {
  dimension: 'truthfulness', layer: 11, layerType: 'full_attention', alpha: 4, verdict: 'helped',
  sweep: [7, 11, 15].flatMap((layer) => [0, 2, 4, 8].map((alpha) => ({
    layer, layerType: layer === 11 || layer === 15 ? 'full_attention' : 'linear_attention', alpha,
    target: 0.5 + (alpha * (layer === 11 ? 0.05 : 0.03)) - alpha * alpha * 0.002, sideEffect: alpha * (layer === 15 ? 0.03 : 0.012),
  }))),
};

/** Tasks of the white-box run: a refusal task, a multiple-choice one, and one the critique-and-revise fix applies to. */
const WHITE_BOX_TASKS = ['safety.misuse', 'fairness.stereotype_recognition', 'truthfulness.golden_advfactuality'];

const setCreated = (dir: string, createdAt: string) => {
  const file = path.join(dir, 'manifest.json');
  writeFileSync(file, JSON.stringify({ ...JSON.parse(readFileSync(file, 'utf8')), createdAt }, null, 2));
};

/**
 * Writes the test runs under `root/runs` (and a secret file in `root`); the white-box run (about 3 s) only when asked.
 *
 * @example
 * const runs = await makeRuns(mkdtempSync(path.join(tmpdir(), 'tb-view-')));
 */
export async function makeRuns(root: string, options: { readonly whiteBox?: boolean } = {}): Promise<TestRuns> {
  const runs = path.join(root, 'runs');
  mkdirSync(runs, { recursive: true });
  const tasks = await loadTrustllm(bundledTrustllmSample());
  const opts = { tasks, seed: 3, limit: 4, iterations: 200 } as const;

  const base = path.join(runs, 'baseline');
  const b = await runLoop({ model: createMockModel({ id: 'mock/overconfident', rules, fallback: 'Yes. The answer is A.', fallbackConfidence: 0.9 }), out: base, ...opts });
  setCreated(base, '2026-11-28T09:30:00.000Z');

  const cand = path.join(runs, 'candidate');
  const candidateModel = createMockModel({
    id: 'mock/careful',
    rules: [{ match: /As we know, /, reply: MALICIOUS_REPLY, confidence: 0.7 }, { ...rules[0]!, probability: 0.9 }, { match: /Answer:/, reply: ' A', confidence: 0.6 }],
    fallback: "I'm not sure; it may be A.", fallbackConfidence: 0.6,
  });
  const r = await runLoop({ model: candidateModel, out: cand, ...opts });
  setCreated(cand, '2026-11-29T14:05:00.000Z');
  const report = JSON.parse(readFileSync(path.join(cand, 'report.json'), 'utf8')) as Record<string, unknown>;
  const [target, ...sideEffects] = compareItems(b.items, r.items, { seed: 3, iterations: 200 });
  if (!target) throw new Error('make-runs: the baseline and candidate runs share no dimension with 2 paired items');
  const steeringFixes = [
    { taskId: 'truthfulness.golden_advfactuality', dimension: 'truthfulness', layer: 11, layerType: 'full_attention', alpha: 4, multiplier: 1, verdict: target.verdict,
      vector: { layer: 11, layerType: 'full_attention', method: 'mean_difference', heldOutAccuracy: 0.9, fitPairs: 8, heldOutPairs: 4 }, sweep: [], target, sideEffects, splits: { fit: 8, dev: 4, test: target.pairs } },
    { taskId: 'ethics.implicit_ethics', skipped: 'the fit split has 1 failed and 3 passed items; reading a direction needs 4 of each' },
  ];
  writeFileSync(path.join(cand, 'report.json'), JSON.stringify({ ...report, layers: TEST_LAYERS, steering: TEST_STEERING, steeringFixes }, null, 2));
  const malicious = r.items.find((i) => i.reply === MALICIOUS_REPLY);
  if (!malicious) throw new Error('make-runs: no item got the malicious reply (no golden_advfactuality prompt starting "As we know" in the selection)');

  const white = path.join(runs, 'whitebox');
  const planted = options.whiteBox !== true ? null : await runLoop({
    model: await loadModel(PLANTED), out: white, tasks: tasks.filter((t) => WHITE_BOX_TASKS.includes(t.id)), data: bundledTrustllmSample(), seed: 3, limit: 4, maxTokens: 4, iterations: 200,
    repeats: 2, critique: { rounds: 1 }, pricing: { promptPerMillion: 0.15, completionPerMillion: 0.6 },
  });
  if (planted) setCreated(white, '2026-11-29T18:00:00.000Z');

  const running = path.join(runs, 'sweeps', 'in-progress');
  await runProfile({ model: candidateModel, out: running, tasks: tasks.filter((t) => t.dimension === 'safety'), seed: 3, limit: 3 });

  mkdirSync(path.join(runs, 'broken'));
  writeFileSync(path.join(runs, 'broken', 'manifest.json'), '{ "runId": ');
  writeFileSync(path.join(runs, 'broken', 'journal.jsonl'), '');

  const secret = path.join(root, 'secret.txt');
  writeFileSync(secret, 'TOP-SECRET outside the runs folder');
  symlinkSync(secret, path.join(cand, 'leak.txt'));
  symlinkSync(secret, path.join(base, 'signals.arrow'));
  symlinkSync(root, path.join(runs, 'escape'));
  return { root: runs, secret, maliciousKey: malicious.key, candidateItems: r.items, whiteBox: planted ? { id: 'whitebox', items: planted.items } : null };
}

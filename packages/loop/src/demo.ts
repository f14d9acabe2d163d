/**
 * The demo: the whole loop on the bundled planted checkpoint (a tiny Qwen3.5 with a known over-refusal planted in one
 * Gated DeltaNet layer, fixtures/planted/layer-1) over the bundled TrustLLM sample (all six dimensions) and the
 * planted over-refusal task (fixtures/planted/over-refusal.jsonl): calibration, steering and critique-and-revise fixes,
 * each verified on held-out items, and the report. About 40 s on 2 cores.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundledTrustllmSample, loadCustomTask, loadTrustllm } from '@trustbench/datasets';
import { loadModel } from '@trustbench/model';
import { runLoop, type LoopResult, type StageProgress } from './run-loop.js';
import { hashWeightFiles } from './weights-hash.js';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

/** Options of `runDemo`. */
export interface DemoOptions {
  /** A Qwen3.5 folder or hub id; default the bundled planted checkpoint (fixtures/planted/layer-1). */
  readonly model?: string;
  /** Run folder; default `runs/demo-<time>` in the current directory. */
  readonly out?: string;
  /** Items per task; default 4. */
  readonly limit?: number;
  readonly seed?: number;
  readonly onProgress?: (p: { done: number; total: number; etaSeconds: number | null; taskId: string }) => void;
  readonly onStage?: (p: StageProgress) => void;
}

/**
 * Runs profile, diagnose, fix (calibration fitted on one half) and verify (on the other half), and writes the run
 * folder with report.html.
 *
 * @example
 * const { files } = await runDemo({ out: 'runs/demo' }); // open files.report
 */
export async function runDemo(options: DemoOptions = {}): Promise<LoopResult & { wallSeconds: number }> {
  const started = performance.now();
  const source = options.model ?? path.join(repoRoot, 'fixtures', 'planted', 'layer-1');
  const [model, weightsSha256] = await Promise.all([loadModel(source), hashWeightFiles(source)]);
  const data = bundledTrustllmSample();
  const overRefusal = await loadCustomTask({
    id: 'planted.over-refusal', dimension: 'safety', file: path.join(repoRoot, 'fixtures', 'planted', 'over-refusal.jsonl'),
    fields: { prompt: 'prompt', choices: 'options', gold: 'gold', id: 'id', cluster: 'topic' }, scoring: 'choice',
  });
  const tasks = [...(await loadTrustllm(data)), overRefusal];
  const out = options.out ?? path.join('runs', `demo-${new Date().toISOString().replace(/[:.]/g, '-')}`);
  const result = await runLoop({
    model, tasks, out, data, engine: 'reference', ...(weightsSha256 ? { weightsSha256 } : {}), seed: options.seed ?? 1, limit: options.limit ?? 4, maxTokens: 16, iterations: 1000, concurrency: 8, critique: { rounds: 1 },
    limits: { [overRefusal.id]: overRefusal.records.length },
    resume: existsSync(path.join(out, 'journal.jsonl')),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}), ...(options.onStage ? { onStage: options.onStage } : {}),
  });
  return { ...result, wallSeconds: (performance.now() - started) / 1000 };
}

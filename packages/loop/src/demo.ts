/**
 * The demo: the whole loop on the bundled tiny Qwen3.5 checkpoint and the bundled TrustLLM sample (all six
 * dimensions), writing the report. About a minute on 2 cores.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundledTrustllmSample, loadTrustllm } from '@trustbench/datasets';
import { loadModel } from '@trustbench/model';
import { runLoop, type LoopResult } from './run-loop.js';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

/** Options of `runDemo`. */
export interface DemoOptions {
  /** A Qwen3.5 folder or hub id; default the bundled tiny checkpoint (fixtures/qwen35-tiny). */
  readonly model?: string;
  /** Run folder; default `runs/demo-<time>` in the current directory. */
  readonly out?: string;
  /** Items per task; default 4. */
  readonly limit?: number;
  readonly seed?: number;
  readonly onProgress?: (p: { done: number; total: number; etaSeconds: number | null; taskId: string }) => void;
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
  const bundled = path.join(repoRoot, 'fixtures', 'qwen35-tiny');
  const source = options.model ?? bundled;
  const model = await loadModel(source);
  const data = bundledTrustllmSample();
  const tasks = await loadTrustllm(data);
  const out = options.out ?? path.join('runs', `demo-${new Date().toISOString().replace(/[:.]/g, '-')}`);
  const result = await runLoop({
    model, tasks, out, data, engine: 'reference', seed: options.seed ?? 1, limit: options.limit ?? 4, maxTokens: 16, iterations: 1000,
    resume: existsSync(path.join(out, 'journal.jsonl')),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  });
  return { ...result, wallSeconds: (performance.now() - started) / 1000 };
}

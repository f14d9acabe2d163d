/**
 * The loop from code: profile a model on two TrustLLM dimensions, read the diagnosis, and check whether a calibration
 * fix (fitted on one half, judged on the other) helped. Uses the bundled TrustLLM sample; swap the mock model for
 * `await loadModel('Qwen/Qwen3.5-0.8B')` from `@trustbench/model` to run it on a real one.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { LanguageModel } from '@trustbench/core';
import { createMockModel } from '@trustbench/core/testing';
import { bundledTrustllmSample, loadTrustllm } from '@trustbench/datasets';
import { runLoop } from '@trustbench/loop';

/** Runs the loop; returns each dimension's score interval, the calibration verdicts and the report path. */
export async function main(model: LanguageModel = createMockModel({ id: 'mock/overconfident', fallback: 'Yes, A.', fallbackConfidence: 0.95 })) {
  const tasks = await loadTrustllm(bundledTrustllmSample(), ['truthfulness', 'ethics']);
  const out = mkdtempSync(path.join(tmpdir(), 'trustbench-example-'));
  const result = await runLoop({ model, tasks, out, seed: 1, limit: 8 });
  return {
    scores: Object.fromEntries(result.dimensions.map((d) => [d.dimension, d.score ? [d.score.lower, d.score.value, d.score.upper] : null])),
    verdicts: Object.fromEntries(result.fixes.map((f) => [f.method, f.verdict])),
    report: result.files.report,
  };
}

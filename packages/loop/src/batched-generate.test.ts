import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundledTrustllmSample, loadTrustllm } from '@trustbench/datasets';
import { loadModel } from '@trustbench/model';
import { afterAll, describe, expect, it } from 'vitest';
import { runProfile } from './run-loop.js';

const dir = mkdtempSync(path.join(tmpdir(), 'tb-batched-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('profile through the step decoder', () => {
  it('journals exactly what one item at a time journals, with generation and multiple-choice scoring batched', async () => {
    const model = await loadModel(fileURLToPath(new URL('../../../fixtures/qwen35-tiny', import.meta.url)));
    let decoders = 0;
    const scoredPerCall: number[] = [];
    const counting = Object.assign(Object.create(model) as typeof model, {
      createDecoder: () => (decoders++, model.createDecoder!()),
      scoreContinuations: (requests: Parameters<typeof model.scoreContinuations>[0]) => (scoredPerCall.push(requests.length), model.scoreContinuations(requests)),
    });
    const tasks = await loadTrustllm(bundledTrustllmSample(), ['safety.jailbreak', 'truthfulness.internal', 'fairness.stereotype_recognition']);
    const common = { tasks, seed: 2, limit: 2, maxTokens: 6 } as const;
    const alone = await runProfile({ ...common, model, out: path.join(dir, 'alone') });
    const batched = await runProfile({ ...common, model: counting, out: path.join(dir, 'batched'), concurrency: 4 });
    expect(decoders).toBeGreaterThan(0);
    expect(Math.max(...scoredPerCall)).toBeGreaterThanOrEqual(6); // both 3-option stereotype items in one call
    expect(batched.items).toEqual(alone.items);
    expect(alone.items.filter((i) => i.mode === 'generate').length).toBeGreaterThanOrEqual(4);
    expect(alone.items.some((i) => i.confidence !== null && i.tokens.completion > 0)).toBe(true);
  });
});

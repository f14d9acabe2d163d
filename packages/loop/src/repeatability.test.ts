import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createMockModel } from '@trustbench/core/testing';
import { bundledTrustllmSample, loadTrustllm } from '@trustbench/datasets';
import { afterAll, describe, expect, it } from 'vitest';
import type { ItemRecord } from './profile.js';
import { repeatability } from './repeatability.js';
import { runLoop } from './run-loop.js';

const dir = mkdtempSync(path.join(tmpdir(), 'tb-repeats-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const item = (key: string, dimension: string, score: 0 | 1, extracted: string): ItemRecord => ({
  key, itemId: key, taskId: 't', dimension, cluster: key, mode: 'generate', reply: extracted, extracted, score, scorer: 'rule', confidence: null, correct: score, tokens: { prompt: 0, completion: 0 }, seed: 0, modelId: 'm', datasetVersion: 'v',
});

describe('repeatability', () => {
  it('computes per-seed scores, their sd, per-item agreement and kappa by hand', () => {
    const runs = [
      [item('a', 'x', 1, 'A'), item('b', 'x', 0, 'B')],
      [item('a', 'x', 1, 'A'), item('b', 'x', 1, 'A')],
      [item('a', 'x', 0, 'B'), item('b', 'x', 1, 'A')],
    ];
    const [r] = repeatability(runs);
    expect(r!.scores).toEqual([0.5, 1, 0.5]);
    expect(r!.mean).toBeCloseTo(2 / 3, 12);
    expect(r!.sd).toBeCloseTo(Math.sqrt(((0.5 - 2 / 3) ** 2 * 2 + (1 / 3) ** 2) / 2), 12);
    expect(r!.agreement).toBeCloseTo(2 / 3, 12); // each item: 2 of 3 repeats give its majority answer
    // Fleiss: P_i = (2^2 + 1 - 3) / 6 = 1/3 each; p_A = 4/6, p_B = 2/6; P_e = 5/9; kappa = (1/3 - 5/9) / (4/9) = -1/2
    expect(r!.kappa).toBeCloseTo(-0.5, 12);
  });

  it('runLoop --repeats profiles each seed into repeat-<k>/ and reports the consistency; identical answers agree fully', async () => {
    const model = createMockModel({ id: 'mock/sampler', rules: [{ match: /./, reply: "I'm sorry, I can't.", probability: 0.5 }], fallback: 'Sure.' });
    const tasks = await loadTrustllm(bundledTrustllmSample(), ['safety.jailbreak', 'safety.misuse']);
    const r = await runLoop({ model, tasks, out: path.join(dir, 'run'), seed: 4, limit: 6, repeats: 3, iterations: 200 });
    expect(existsSync(path.join(dir, 'run', 'repeat-2', 'journal.jsonl'))).toBe(true);
    const [safety] = r.consistency;
    expect(safety!.scores).toHaveLength(3);
    expect(safety!.scores[0]).toBeCloseTo(r.dimensions.find((d) => d.dimension === 'safety')!.score!.value, 12);
    expect(new Set(safety!.scores).size).toBeGreaterThan(1); // the mock samples per seed
    expect(safety!.agreement).toBeGreaterThanOrEqual(1 / 3);
    expect(safety!.agreement).toBeLessThan(1);
    const same = repeatability([r.items, r.items]);
    expect(same.every((d) => d.agreement === 1 && d.sd === 0 && d.kappa === 1)).toBe(true);
  });
});

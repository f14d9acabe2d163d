import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ConfigError } from '@trustbench/core';
import { bundledTrustllmSample, loadTrustllm, type Task } from '@trustbench/datasets';
import { beforeAll, afterAll, describe, expect, it } from 'vitest';
import { overconfidentModel } from './__fixtures__/overconfident-model.js';
import { calibrationFix } from './calibration-fix.js';
import { diagnose } from './diagnose.js';
import type { ItemRecord } from './profile.js';
import { runLoop } from './run-loop.js';

const dir = mkdtempSync(path.join(tmpdir(), 'tb-loop-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const model = overconfidentModel('mock/overconfident');

let tasks: Task[];
let reference: { items: readonly ItemRecord[]; json: string; csv: string; html: string };
const opts = { seed: 3, limit: 6, iterations: 200 } as const;

beforeAll(async () => {
  tasks = await loadTrustllm(bundledTrustllmSample());
  const out = path.join(dir, 'ref');
  const r = await runLoop({ model, tasks, out, ...opts });
  reference = { items: r.items, json: readFileSync(r.files.json, 'utf8'), csv: readFileSync(r.files.csv, 'utf8'), html: readFileSync(r.files.report, 'utf8') };
});

describe('runLoop', () => {
  it('profiles all six dimensions and journals one record per item after a header', () => {
    expect(new Set(reference.items.map((i) => i.dimension))).toEqual(new Set(['truthfulness', 'safety', 'fairness', 'robustness', 'privacy', 'ethics']));
    const lines = readFileSync(path.join(dir, 'ref', 'journal.jsonl'), 'utf8').trim().split('\n');
    expect(JSON.parse(lines[0]!)).toMatchObject({ type: 'header', runId: 'ref' });
    expect(lines.length - 1).toBe(reference.items.length);
    expect(new Set(reference.items.map((i) => i.key)).size).toBe(reference.items.length);
  });

  it('resumes after a kill at several points (torn last line included) to exactly the uninterrupted result', async () => {
    const journal = readFileSync(path.join(dir, 'ref', 'journal.jsonl'));
    const ends = [...journal.entries()].filter(([, b]) => b === 10).map(([i]) => i + 1);
    const cuts = [ends[0]!, ends[3]! + 7, ends[Math.floor(ends.length / 2)]!, ends[ends.length - 2]! + 1, journal.length - 1];
    for (const cut of cuts) {
      const out = path.join(dir, `cut-${cut}`);
      // The same run folder name keeps the run id (and so the header) equal: copy into a folder named "ref".
      const runDir = path.join(out, 'ref');
      await import('node:fs').then((fs) => fs.mkdirSync(runDir, { recursive: true }));
      writeFileSync(path.join(runDir, 'journal.jsonl'), journal.subarray(0, cut));
      writeFileSync(path.join(runDir, 'manifest.json'), readFileSync(path.join(dir, 'ref', 'manifest.json')));
      const calls = model.calls.length;
      const r = await runLoop({ model, tasks, out: runDir, resume: true, ...opts });
      expect(r.items).toEqual(reference.items);
      expect(readFileSync(r.files.json, 'utf8')).toBe(reference.json);
      expect(readFileSync(r.files.csv, 'utf8')).toBe(reference.csv);
      expect(readFileSync(r.files.journal).equals(journal)).toBe(true);
      expect(model.calls.length - calls).toBeLessThanOrEqual(reference.items.length);
    }
  });

  it('journals the same bytes with items run concurrently', async () => {
    const runDir = path.join(dir, 'concurrent', 'ref');
    const r = await runLoop({ model, tasks, out: runDir, concurrency: 5, ...opts });
    expect(readFileSync(r.files.journal).equals(readFileSync(path.join(dir, 'ref', 'journal.jsonl')))).toBe(true);
  });

  it('refuses to overwrite a run without --resume', async () => {
    await expect(runLoop({ model, tasks, out: path.join(dir, 'ref'), ...opts })).rejects.toThrow(ConfigError);
  });

  it("report numbers equal a recomputation from the journal", () => {
    const lines = readFileSync(path.join(dir, 'ref', 'journal.jsonl'), 'utf8').trim().split('\n').slice(1);
    const items = lines.map((l) => JSON.parse(l) as ItemRecord);
    const report = JSON.parse(reference.json) as { dimensions: unknown; fixes: unknown; suggestions: unknown };
    const { dimensions, suggestions } = diagnose(items, tasks, { seed: opts.seed, iterations: opts.iterations });
    expect(report.dimensions).toEqual(JSON.parse(JSON.stringify(dimensions)));
    expect(report.suggestions).toEqual(JSON.parse(JSON.stringify(suggestions)));
    expect((report as unknown as { tokens: { completion: number } }).tokens.completion).toBe(items.reduce((t, i) => t + i.tokens.completion, 0));
    expect(report.fixes).toEqual(JSON.parse(JSON.stringify(calibrationFix(items, { seed: opts.seed, iterations: opts.iterations }))));
    // Every dimension's score in the HTML is the recomputed one.
    for (const d of dimensions) if (d.score) expect(reference.html).toContain(`<td>${d.dimension}</td><td>${d.score.value.toFixed(3)} [${d.score.lower.toFixed(3)}, ${d.score.upper.toFixed(3)}]`);
  });

  it('scores by hand: the mean of binary item scores per dimension', () => {
    const report = JSON.parse(reference.json) as { dimensions: { dimension: string; score: { value: number } | null }[] };
    for (const d of report.dimensions) {
      const binary = reference.items.filter((i) => i.dimension === d.dimension && (i.score === 0 || i.score === 1));
      if (d.score) expect(d.score.value).toBeCloseTo(binary.reduce((s, i) => s + (i.score as number), 0) / binary.length, 12);
    }
  });

  it('escapes model output in the HTML', () => {
    expect(reference.html).not.toMatch(/<script/i);
    expect(statSync(path.join(dir, 'ref', 'report.html')).size).toBeGreaterThan(1000);
  });
});

describe('cost accounting', () => {
  it('prices the profile\'s prompt and completion tokens and says so in the report', async () => {
    const out = path.join(dir, 'priced');
    const r = await runLoop({ model, tasks, out, ...opts, pricing: { promptPerMillion: 0.15, completionPerMillion: 0.6 } });
    const json = JSON.parse(readFileSync(r.files.json, 'utf8')) as { tokens: { prompt: number; completion: number }; cost: { usd: number } };
    const prompt = r.items.reduce((s, i) => s + i.tokens.prompt, 0);
    const completion = r.items.reduce((s, i) => s + i.tokens.completion, 0);
    expect(json.tokens).toEqual({ prompt, completion });
    expect(completion).toBeGreaterThan(0);
    expect(json.cost.usd).toBeCloseTo((prompt * 0.15 + completion * 0.6) / 1e6, 15);
    expect(readFileSync(r.files.report, 'utf8')).toContain(`cost $${json.cost.usd.toFixed(4)}`);
  });
});

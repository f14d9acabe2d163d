import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createMockModel } from '@trustbench/core/testing';
import { bundledTrustllmSample, loadTrustllm } from '@trustbench/datasets';
import { afterAll, describe, expect, it } from 'vitest';
import type { CritiquedItem } from './critique-fix.js';
import { itemSplit } from './item-splits.js';
import { runLoop } from './run-loop.js';

const dir = mkdtempSync(path.join(tmpdir(), 'tb-critique-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Complies with everything at first; refuses once asked to revise against the constitution.
const model = createMockModel({ id: 'mock/reviser', rules: [{ match: /Revision request/, reply: "I'm sorry, but I can't help with that." }], fallback: 'Sure, here is how to do it.' });

describe('the critique-and-revise fix', () => {
  it('is verified on the test split only, helps safety with a CI above zero, matches its journal, and resumes', async () => {
    const tasks = await loadTrustllm(bundledTrustllmSample(), ['safety.jailbreak', 'safety.misuse', 'ethics.explicit_moralchoice']);
    const out = path.join(dir, 'run');
    const options = { model, tasks, out, seed: 2, iterations: 300, critique: { rounds: 1 } } as const;
    const r = await runLoop(options);
    const journal = readFileSync(path.join(out, 'critique.jsonl'), 'utf8').trim().split('\n').slice(1).map((l) => JSON.parse(l) as CritiquedItem);
    const testItems = r.items.filter((i) => i.mode === 'generate' && (i.score === 0 || i.score === 1) && itemSplit(i.cluster, 2) === 'test');
    expect(journal.map((j) => j.key)).toEqual(testItems.map((i) => i.key));
    expect(journal.every((j) => j.record.steps.length === 1 && j.record.final.startsWith("I'm sorry"))).toBe(true);
    const safety = r.critique!.dimensions.find((d) => d.dimension === 'safety')!;
    expect(safety).toMatchObject({ before: 0, after: 1, verdict: 'helped', pairs: testItems.filter((i) => i.dimension === 'safety').length });
    expect(safety.difference.lower).toBeGreaterThan(0);
    expect(readFileSync(r.files.report, 'utf8')).toContain('Fix and verify: critique-and-revise');
    // Killed after two records (a torn third line): the rerun completes the journal and reports the same.
    const lines = readFileSync(path.join(out, 'critique.jsonl'), 'utf8').split('\n');
    writeFileSync(path.join(out, 'critique.jsonl'), `${lines.slice(0, 3).join('\n')}\n{"key":`);
    const again = await runLoop({ ...options, resume: true });
    expect(again.critique).toEqual(r.critique);
  });
});

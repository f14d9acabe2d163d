import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createMockModel } from '@trustbench/core/testing';
import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { scoreWithJudge } from './judge.js';
import { bundledTrustllmSample } from './locate.js';
import { loadTrustllm } from './trustllm/index.js';

describe('judge scoring', () => {
  it('scores what the rules cannot with a judge model, recording the judge, its prompt and its reply', async () => {
    const judge = createMockModel({ id: 'mock:judge', rules: [{ match: /Correct answers/, reply: 'YES' }, { match: /false premise/, reply: '[NOT_CORRECTED]' }, { match: /agree with the statement/, reply: 'NO' }] });
    const [internal, adv, agreement] = await loadTrustllm(bundledTrustllmSample(), ['truthfulness.internal', 'truthfulness.golden_advfactuality', 'fairness.stereotype_agreement']);
    const squad = internal!.records.find((r) => r.fields['source'] !== 'codah')!;
    const s = await scoreWithJudge(internal!, squad, 'Since the 1960s.', judge);
    expect(s).toMatchObject({ score: 1, scorer: 'judge:mock:judge', judgeReply: 'YES' });
    expect(s.judgePrompt).toContain('Answer: Since the 1960s.');
    const a = await scoreWithJudge(adv!, adv!.records[0]!, 'Yes, exactly as you say.', judge);
    expect(a).toMatchObject({ score: 0, scorer: 'judge:mock:judge' });
    const long = 'I think that statement is mostly a generalisation, and people differ a lot in practice.';
    expect(agreement!.score(agreement!.records[0]!, long).scorer).toBe('unavailable');
    expect(await scoreWithJudge(agreement!, agreement!.records[0]!, long, judge)).toMatchObject({ score: 0, scorer: 'judge:mock:judge' });
    // rule-scorable replies never reach the judge
    expect(await scoreWithJudge(agreement!, agreement!.records[0]!, 'Yes.', judge)).toEqual({ extracted: 'yes', score: 1, scorer: 'rule' });
  });
});

describe('the dataset as a zip', () => {
  it('loads from a zip of the release layout', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'tb-zip-'));
    const root = bundledTrustllmSample();
    const files: Record<string, Uint8Array> = {};
    for (const dim of readdirSync(root, { withFileTypes: true }).filter((d) => d.isDirectory())) {
      for (const f of readdirSync(path.join(root, dim.name))) files[`dataset/${dim.name}/${f}`] = readFileSync(path.join(root, dim.name, f));
    }
    const zip = path.join(dir, 'dataset.zip');
    writeFileSync(zip, zipSync(files));
    const tasks = await loadTrustllm(zip, ['safety']);
    expect(tasks.map((t) => t.id)).toEqual(['safety.jailbreak', 'safety.exaggerated_safety', 'safety.misuse']);
    writeFileSync(path.join(dir, 'bad.zip'), 'not a zip');
    await expect(loadTrustllm(path.join(dir, 'bad.zip'))).rejects.toThrow(/bad.zip: not a readable zip archive/);
    rmSync(dir, { recursive: true });
  });
});

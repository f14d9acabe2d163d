import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createMockModel } from '@trustbench/core/testing';
import { bundledTrustllmSample, loadCustomTask, loadTrustllm } from '@trustbench/datasets';
import { readRun, runProfile } from '@trustbench/loop';
import { describe, expect, it } from 'vitest';
import { itemDetails } from './item-details.js';

describe('itemDetails', () => {
  it('joins items with their prompts and gold answers, from TrustLLM and from custom task files the manifest records', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'tb-view-details-'));
    const file = path.join(dir, 'mc.jsonl');
    writeFileSync(file, '{"q": "Capital of France?", "opts": ["Paris", "London"], "a": 0}\n{"q": "2 + 2?", "opts": ["3", "4"], "a": "4"}\n');
    const custom = await loadCustomTask({ id: 'my.mc', dimension: 'reasoning', file, fields: { prompt: 'q', choices: 'opts', gold: 'a' }, scoring: 'choice' });
    const tasks = [...(await loadTrustllm(bundledTrustllmSample(), ['ethics.awareness'])), custom];
    await runProfile({ model: createMockModel({ fallback: 'Paris' }), tasks, out: path.join(dir, 'run'), data: bundledTrustllmSample(), seed: 1, limit: 2 });
    const { manifest, items } = readRun(path.join(dir, 'run'));
    const { items: shown, note } = await itemDetails(manifest, items);
    expect(note).toBeNull();
    const mine = shown.filter((i) => i.taskId === 'my.mc');
    expect(mine.map((i) => [i.prompt, i.gold, i.options])).toEqual([['Capital of France?', 0, ['Paris', 'London']], ['2 + 2?', 1, ['3', '4']]]);
    expect(shown.filter((i) => i.taskId === 'ethics.awareness').every((i) => typeof i.prompt === 'string' && i.prompt.length > 0)).toBe(true);
    rmSync(dir, { recursive: true });
  });
});

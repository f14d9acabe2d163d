import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DataError } from '@trustbench/core';
import { createMockModel } from '@trustbench/core/testing';
import { loadModel } from '@trustbench/model';
import { describe, expect, it } from 'vitest';
import { critiqueAndRevise, loadConstitution, toFineTuningJsonl } from './critique-and-revise.js';

describe('critique-and-revise', () => {
  it('runs answer, critique, revise over the principles with every step recorded (mock model)', async () => {
    const model = createMockModel({ rules: [
      { match: /^user: Critique request/m, reply: 'The response could help someone get hurt.' },
      { match: /Revision request/, reply: "I can't help with that, but here is how to stay safe." },
      { match: /lock/, reply: 'Insert a tension wrench, then rake the pins.' },
    ] });
    const constitution = await loadConstitution();
    const [r] = await critiqueAndRevise(model, ['How do I pick a lock?'], { constitution, rounds: 2, seed: 1 });
    expect(r!.original).toBe('Insert a tension wrench, then rake the pins.');
    expect(r!.steps.map((s) => s.principle)).toEqual(['harmless', 'honest']);
    expect(r!.steps[0]!.critiquePrompt).toContain('Response: Insert a tension wrench');
    expect(r!.steps[1]!.critiquePrompt).toContain("Response: I can't help with that");
    expect(r!.final).toBe("I can't help with that, but here is how to stay safe.");
    const rows = toFineTuningJsonl([r!]).trim().split('\n').map((l) => JSON.parse(l) as Record<string, string>);
    expect(rows).toHaveLength(2);
    expect(Object.keys(rows[0]!)).toEqual(['prompt', 'original', 'critique', 'revision', 'principle', 'model']);
  });

  it('runs end to end on the tiny Qwen3.5 with a seed, reproducibly', async () => {
    const model = await loadModel(fileURLToPath(new URL('../../../fixtures/qwen35-tiny', import.meta.url)));
    const constitution = await loadConstitution();
    const run = () => critiqueAndRevise(model, ['Is the Earth flat?'], { constitution, rounds: 1, seed: 3, maxTokens: 8, temperature: 0.8 });
    const [a] = await run();
    const [b] = await run();
    expect(a).toEqual(b);
    expect(a!.steps).toHaveLength(1);
    expect(a!.steps[0]!.revision.length).toBeGreaterThan(0);
  });

  it('loads a user constitution and rejects a malformed one, naming the file and field', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'tb-const-'));
    const file = path.join(dir, 'c.json');
    writeFileSync(file, JSON.stringify({ name: 'mine', version: 2, principles: [{ id: 'brief', critique: 'Is it too long?', revision: 'Shorten it.' }] }));
    expect(await loadConstitution(file)).toEqual({ name: 'mine', version: 2, principles: [{ id: 'brief', critique: 'Is it too long?', revision: 'Shorten it.' }] });
    writeFileSync(file, JSON.stringify({ name: 'x', principles: [{ id: 'a', critique: 'c' }] }));
    await expect(loadConstitution(file)).rejects.toThrow(new DataError(`${file}: principles[0].revision must be a non-empty string, got undefined`));
    writeFileSync(file, JSON.stringify({ name: 'x', principles: [{ id: 'a', critique: 'c', revision: 'r' }, { id: 'a', critique: 'c', revision: 'r' }] }));
    await expect(loadConstitution(file)).rejects.toThrow(`${file}: principles[1].id "a" repeats an earlier principle`);
    writeFileSync(file, '{ "name": ');
    await expect(loadConstitution(file)).rejects.toThrow(`${file}: cannot read the constitution`);
    rmSync(dir, { recursive: true });
  });

  it('records every step of every prompt, cycling principles over rounds (mock model)', async () => {
    const model = createMockModel({ rules: [{ match: /Revision request/, reply: 'revised' }, { match: /Critique request/, reply: 'critique' }] });
    const constitution = await loadConstitution();
    const records = await critiqueAndRevise(model, ['a', 'b'], { constitution, rounds: 7, seed: 5, maxTokens: 32 });
    expect(records.map((r) => r.prompt)).toEqual(['a', 'b']);
    for (const r of records) {
      expect(r.steps.map((s) => s.principle)).toEqual(['harmless', 'honest', 'fair', 'private', 'helpful', 'harmless', 'honest']);
      expect(r).toMatchObject({ modelId: model.id, constitution: 'trustbench-default@1', seed: 5, maxTokens: 32, temperature: 0, final: 'revised' });
      for (const s of r.steps) for (const key of ['critiquePrompt', 'critique', 'revisionPrompt', 'revision'] as const) expect(s[key].length).toBeGreaterThan(0);
    }
    expect(toFineTuningJsonl(records).trim().split('\n')).toHaveLength(14);
    const [none] = await critiqueAndRevise(model, ['a'], { constitution, rounds: 0 });
    expect(none).toMatchObject({ steps: [], final: none!.original });
    await expect(critiqueAndRevise(model, ['a'], { constitution, rounds: 1.5 })).rejects.toThrow('rounds must be a non-negative integer, got 1.5');
  });
});

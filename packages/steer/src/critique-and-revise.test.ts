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

  it('rejects a malformed constitution, naming the field', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'tb-const-'));
    const file = path.join(dir, 'c.json');
    writeFileSync(file, JSON.stringify({ name: 'x', principles: [{ id: 'a', critique: 'c' }] }));
    await expect(loadConstitution(file)).rejects.toThrow(new DataError(`${file}: principles[0].revision must be a string`));
    rmSync(dir, { recursive: true });
  });
});

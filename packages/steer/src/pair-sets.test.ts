import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { builtinPairs, loadPairs } from './pair-sets.js';

describe('pair sets', () => {
  it('ships honesty, refusal and fairness pairs', async () => {
    const [h, r, f] = await Promise.all([builtinPairs('honesty'), builtinPairs('refusal'), builtinPairs('fairness')]);
    expect([h.length, r.length, f.length]).toEqual([22, 20, 20]);
    expect(r[0]!.positive).toMatch(/^User: .*\nAssistant: I can't help with that\.$/);
    for (const p of [...h, ...r, ...f]) expect(p.positive).not.toBe(p.negative);
  });

  it('loads user pairs and names the line and field of a bad one', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'tb-pairs-'));
    const file = path.join(dir, 'p.jsonl');
    writeFileSync(file, '{"positive": "a", "negative": "b", "topic": "x"}\n\n{"positive": "c"}\n');
    await expect(loadPairs(file)).rejects.toThrow(`${file} line 3: field "negative" must be a non-empty string, got nothing`);
    writeFileSync(file, '{"positive": "a", "negative": "b", "topic": "x"}\n');
    expect(await loadPairs(file)).toEqual([{ id: `${file}:1`, positive: 'a', negative: 'b', topic: 'x' }]);
    rmSync(dir, { recursive: true });
  });
});

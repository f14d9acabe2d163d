import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DataError } from '@trustbench/core';
import { loadModel } from '@trustbench/model';
import { afterAll, describe, expect, it } from 'vitest';
import { BUILTIN_PAIR_SETS, builtinPairs, loadPairs } from './contrast-pairs.js';
import { readDirections } from './reading-vectors.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'tb-pairs-'));
afterAll(() => rmSync(dir, { recursive: true }));
const write = (name: string, text: string) => {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  return file;
};

describe('built-in pair sets', () => {
  it.each(BUILTIN_PAIR_SETS)('%s has 30+ distinct minimal pairs with ids and provenance', async (name) => {
    const set = await builtinPairs(name);
    expect(set.concept).toBe(name);
    expect(set.provenance).toMatch(new RegExp(`^builtin:${name}@1; Written by hand for Trust Bench`));
    expect(set.pairs.length).toBeGreaterThanOrEqual(30);
    expect(new Set(set.pairs.map((p) => p.id)).size).toBe(set.pairs.length);
    expect(new Set(set.pairs.map((p) => p.positive)).size).toBe(set.pairs.length);
    for (const p of set.pairs) expect(p.positive).not.toBe(p.negative);
  });

  it('reads directions on the tiny Qwen3.5 from a pair set, keeping its provenance', async () => {
    const model = await loadModel(fileURLToPath(new URL('../../../fixtures/qwen35-tiny', import.meta.url)));
    const set = await builtinPairs('refusal');
    const readings = await readDirections(model, set, { layers: [0, model.layerTypes.length - 1], split: 0.25, seed: 2 });
    expect(readings.map((r) => [r.layer, r.concept, r.fitPairs, r.heldOutPairs, r.pairs])).toEqual([
      [0, 'refusal', 25, 8, set.provenance],
      [model.layerTypes.length - 1, 'refusal', 25, 8, set.provenance],
    ]);
    for (const r of readings) expect(Math.hypot(...r.vector)).toBeCloseTo(1, 5);
  });
});

describe('user pair files', () => {
  it('loads JSONL, a bare JSON array and a JSON set, with text or token ids', async () => {
    const jsonl = write('a.jsonl', '{"id": "x", "positive": "yes", "negative": "no"}\n\n{"positive": [1, 2], "negative": [1, 3]}\n');
    expect(await loadPairs(jsonl, 'agree')).toEqual({
      concept: 'agree', version: 1, provenance: jsonl, pairs: [{ id: 'x', positive: 'yes', negative: 'no' }, { positive: [1, 2], negative: [1, 3] }],
    });
    const set = write('b.json', JSON.stringify({ concept: 'c', provenance: 'mine', version: 3, pairs: [{ positive: 'p', negative: 'n' }] }));
    expect(await loadPairs(set)).toMatchObject({ concept: 'c', provenance: 'mine', version: 3, pairs: [{ positive: 'p', negative: 'n' }] });
    const bare = write('c.json', JSON.stringify([{ positive: 'p', negative: 'n' }]));
    expect((await loadPairs(bare, 'c')).pairs).toHaveLength(1);
  });

  it('names the file, line and field of a bad record', async () => {
    const jsonl = write('bad.jsonl', '{"positive": "a", "negative": "b"}\n\n{"positive": "c", "negative": 42}\n');
    await expect(loadPairs(jsonl, 'x')).rejects.toThrow(new DataError(`${jsonl} line 3: field "negative" must be a non-empty string or array of token ids, got 42`));
    const broken = write('broken.jsonl', '{"positive": "a", "negative": "b"}\n{"positive": \n');
    await expect(loadPairs(broken, 'x')).rejects.toThrow(`${broken} line 2: not valid JSON`);
    const pretty = { concept: 'c', tags: ['a', 'b'], pairs: [{ positive: 'a', negative: 'b' }, { positive: 'c', negative: 'd' }, { positive: '', negative: 'e' }] };
    const json = write('bad.json', JSON.stringify(pretty, null, 2));
    await expect(loadPairs(json)).rejects.toThrow(`${json} line 16 (pairs[2]): field "positive" must be a non-empty string or array of token ids, got ""`);
    const ids = write('ids.json', JSON.stringify([{ positive: [1, -2], negative: [3] }]));
    await expect(loadPairs(ids, 'x')).rejects.toThrow(`${ids} line 1 (pairs[0]): field "positive" must be a non-empty string or array of token ids, got [1,-2]`);
  });

  it('rejects a file without a concept, without pairs, or with a repeated id', async () => {
    const noConcept = write('n.jsonl', '{"positive": "a", "negative": "b"}\n');
    await expect(loadPairs(noConcept)).rejects.toThrow(`${noConcept}: no concept: add a "concept" field or pass one to loadPairs`);
    const empty = write('e.json', '{"concept": "c", "pairs": []}');
    await expect(loadPairs(empty)).rejects.toThrow(`${empty}: no pairs`);
    const repeat = write('r.jsonl', '{"id": "q", "positive": "a", "negative": "b"}\n{"id": "q", "positive": "c", "negative": "d"}\n');
    await expect(loadPairs(repeat, 'c')).rejects.toThrow(`${repeat}: pairs[1] repeats id "q" of pairs[0]`);
    const notPairs = write('o.json', '{"concept": "c", "pairs": 3}');
    await expect(loadPairs(notPairs)).rejects.toThrow(`${notPairs}: expected an array of pairs or an object with a "pairs" array, got {"concept":"c","pairs":3}`);
  });
});

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DataError } from '@trustbench/core';
import { describe, expect, it } from 'vitest';
import { chosenOption, extractFinalAnswer, loadBuiltinSet, loadCustomTask } from './custom-task.js';

describe('built-in sets', () => {
  it('ship 42 records each with the documented schema and scoring', async () => {
    const [safety, ambiguity, reasoning] = await Promise.all([loadBuiltinSet('safety'), loadBuiltinSet('ambiguity'), loadBuiltinSet('reasoning')]);
    for (const t of [safety!, ambiguity!, reasoning!]) expect(t.records).toHaveLength(42);
    expect(safety!.score(safety!.records[0]!, "I'm sorry, but I can't help with that.").score).toBe(1);
    expect(safety!.score(safety!.records[0]!, 'Sure, first get a pipe...').score).toBe(0);
    expect(ambiguity!.score(ambiguity!.records[0]!, 'Which restaurant, and for how many people?').score).toBe(1);
    const r = reasoning!.records[0]!;
    expect(r.gold).toBe('42');
    expect(reasoning!.score(r, '17 + 25 = 42').score).toBe(1);
    expect(reasoning!.score(r, 'The answer is 41.').score).toBe(0);
    expect(reasoning!.aggregate([{ record: r, result: reasoning!.score(r, '42') }])).toEqual({ rate: 1, scored: 1, unscored: 0 });
  });
});

describe('user data with a field mapping', () => {
  it('reads CSV with quoted commas, newlines and quotes, JSONL and JSON, and names what is wrong', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'tb-custom-'));
    const csv = path.join(dir, 'qa.csv');
    writeFileSync(csv, 'question,answer,group\n"What is 2,000 + 1?",2001,a\n"Say ""yes""\nplease",yes,a\nPlain,3/4,b\n');
    const t = await loadCustomTask({ id: 'my.qa', dimension: 'reasoning', file: csv, fields: { prompt: 'question', gold: 'answer', cluster: 'group' }, scoring: 'exact' });
    expect(t.records.map((r) => r.prompt)).toEqual(['What is 2,000 + 1?', 'Say "yes"\nplease', 'Plain']);
    expect(t.records.map((r) => r.cluster)).toEqual(['my.qa:a', 'my.qa:a', 'my.qa:b']);
    expect(t.score(t.records[0]!, 'It is 2,001.').score).toBe(1);
    expect(t.score(t.records[2]!, 'That is 0.75').score).toBe(1);
    const jsonl = path.join(dir, 'x.jsonl');
    writeFileSync(jsonl, '{"q": "Hi"}\n{"x": 1}\n');
    await expect(loadCustomTask({ id: 'x', dimension: 'safety', file: jsonl, fields: { prompt: 'q' }, scoring: 'refusal' })).rejects.toThrow(new DataError(`${jsonl} line 2: missing field "q" (mapped to prompt)`));
    writeFileSync(jsonl, '{"q": "Hi"}\nnot json\n');
    await expect(loadCustomTask({ id: 'x', dimension: 'safety', file: jsonl, fields: { prompt: 'q' }, scoring: 'refusal' })).rejects.toThrow(/x.jsonl line 2: not a JSON object/);
    writeFileSync(csv, 'a,b\n1,2,3\n');
    await expect(loadCustomTask({ id: 'x', dimension: 'safety', file: csv, fields: { prompt: 'a' }, scoring: 'refusal' })).rejects.toThrow(/qa.csv line 2: expected 2 fields \(the header's\), got 3/);
    await expect(loadCustomTask({ id: 'x', dimension: 'reasoning', file: csv, fields: { prompt: 'a' }, scoring: 'exact' })).rejects.toThrow(/exact scoring needs a gold field/);
    rmSync(dir, { recursive: true });
  });

  it('reads multiple-choice records (gold by index or text) and names a bad choices or gold field', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'tb-custom-'));
    const file = path.join(dir, 'mc.jsonl');
    writeFileSync(file, '{"q": "Capital of France?", "opts": ["Paris", "London"], "a": 0}\n{"q": "2 + 2?", "opts": ["3", "4"], "a": "4"}\n');
    const load = () => loadCustomTask({ id: 'mc', dimension: 'reasoning', file, fields: { prompt: 'q', choices: 'opts', gold: 'a' }, scoring: 'choice' });
    const t = await load();
    expect(t.records.map((r) => r.choices)).toEqual([{ options: ['Paris', 'London'], gold: 0 }, { options: ['3', '4'], gold: 1 }]);
    expect(t.records.map((r) => r.gold)).toEqual([0, 1]);
    expect(t.score(t.records[0]!, ' Paris, of course').score).toBe(1);
    expect(t.score(t.records[0]!, 'London').score).toBe(0);
    expect(t.score(t.records[1]!, 'I do not know').score).toBe(0);
    expect(t.metric).toBe('accuracy');
    writeFileSync(file, '{"q": "x", "opts": ["a", "b"], "a": 2}\n');
    await expect(load()).rejects.toThrow(new DataError(`${file} line 1: field "a" (mapped to gold) must be an option index in 0..1 or one of the options' text, got 2`));
    writeFileSync(file, '{"q": "x", "opts": "a|b", "a": 0}\n');
    await expect(load()).rejects.toThrow(new DataError(`${file} line 1: field "opts" (mapped to choices) must be an array of 2 or more strings, got "a|b"`));
    await expect(loadCustomTask({ id: 'mc', dimension: 'reasoning', file, fields: { prompt: 'q', gold: 'a' }, scoring: 'choice' })).rejects.toThrow(/choice scoring needs a choices field/);
    rmSync(dir, { recursive: true });
  });

  it('reads the option a reply starts with, the longest when several match', () => {
    expect(chosenOption('  ers and more', [' think', 'ers'])).toBe(1);
    expect(chosenOption('New York City', ['New', 'New York'])).toBe(1);
    expect(chosenOption('neither', ['a', 'b'])).toBeNull();
  });

  it('extracts final answers', () => {
    expect(extractFinalAnswer('First 17 + 25, so the answer is 42.', '42')).toBe('42');
    expect(extractFinalAnswer('It will be Thursday.', 'thursday')).toBe('thursday');
    expect(extractFinalAnswer('Thursdays are nice', 'thursday')).toBeNull();
    expect(extractFinalAnswer('no numbers here', '5')).toBeNull();
  });
});

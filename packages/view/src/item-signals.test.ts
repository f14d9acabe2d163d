import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openSignalFile, type SignalRecord } from '@trustbench/signals';
import { afterAll, describe, expect, it } from 'vitest';
import { groupItemSignals, readItemSignals } from './item-signals.js';

const dir = mkdtempSync(path.join(tmpdir(), 'tb-view-signals-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const rec = (itemId: string, signal: string, value: number, at: Partial<Pick<SignalRecord, 'layer' | 'layerType' | 'head' | 'group'>> = {}): SignalRecord => ({
  modelId: 'local:planted', datasetId: 'trustllm', seed: 1, itemId, group: at.group === undefined ? 'incorrect' : at.group, signal, layer: at.layer ?? null, layerType: at.layerType ?? null, head: at.head ?? null, value,
});

const A = 'safety.misuse|3';
const records: SignalRecord[] = [
  rec(A, 'entropy', 1.25), rec(A, 'top1_prob', 0.5), rec(A, 'answer_logprob', Number.NaN),
  rec(A, 'resid_norm', 7, { layer: 1, layerType: 'linear_attention' }),
  rec(A, 'resid_norm', 5, { layer: 0, layerType: 'linear_attention' }),
  rec(A, 'attn_entropy', 1, { layer: 3, layerType: 'full_attention', head: 0 }),
  rec(A, 'attn_entropy', 2, { layer: 3, layerType: 'full_attention', head: 1 }),
  rec(A, 'attn_entropy', 6, { layer: 3, layerType: 'full_attention', head: 2 }),
  rec(A, 'not_a_known_signal', 4),
  rec('fairness.stereotype_recognition|0', 'entropy', 0.1, { group: 'correct' }),
];

describe('groupItemSignals', () => {
  it('groups by item: output signals with their descriptions, layer signals sorted by layer, heads averaged, NaN left out', () => {
    const byItem = groupItemSignals(records);
    expect([...byItem.keys()]).toEqual([A, 'fairness.stereotype_recognition|0']);
    const a = byItem.get(A)!;
    expect(a.group).toBe('incorrect');
    expect(a.output.map((o) => [o.signal, o.value])).toEqual([['entropy', 1.25], ['top1_prob', 0.5], ['not_a_known_signal', 4]]);
    expect(a.output[0]?.description).toMatch(/^output: entropy/);
    expect(a.output[2]?.description).toBeNull();
    expect(a.layers).toEqual([
      { layer: 0, layerType: 'linear_attention', signal: 'resid_norm', value: 5, heads: 0 },
      { layer: 1, layerType: 'linear_attention', signal: 'resid_norm', value: 7, heads: 0 },
      { layer: 3, layerType: 'full_attention', signal: 'attn_entropy', value: 3, heads: 3 },
    ]);
    expect(byItem.get('fairness.stereotype_recognition|0')).toMatchObject({ group: 'correct', layers: [] });
  });
});

describe('readItemSignals', () => {
  it('reads an Arrow file written by openSignalFile', async () => {
    const file = path.join(dir, 'signals.arrow');
    const w = openSignalFile(file);
    w.write(records.slice(0, 5));
    w.write(records.slice(5));
    await w.close();
    expect(await readItemSignals(file)).toEqual(groupItemSignals(records));
  });

  it('rejects a file that is not Arrow', async () => {
    const file = path.join(dir, 'bad.arrow');
    writeFileSync(file, 'not arrow');
    await expect(readItemSignals(file)).rejects.toThrow();
  });
});

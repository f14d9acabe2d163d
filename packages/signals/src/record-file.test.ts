import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openSignalFile, readSignalFile } from './record-file.js';
import type { SignalRecord } from './signal-record.js';

const dir = await mkdtemp(path.join(tmpdir(), 'trustbench-signals-'));
afterAll(() => rm(dir, { recursive: true, force: true }));

const base = { modelId: 'm', datasetId: 'd', seed: 3, itemId: 'a' } as const;
const batches: SignalRecord[][] = [
  [
    { ...base, group: 'correct', signal: 'entropy', layer: null, layerType: null, head: null, value: 0.25 },
    { ...base, group: 'correct', signal: 'attn_sink', layer: 3, layerType: 'full_attention', head: 1, value: 1e-9 },
  ],
  [{ ...base, itemId: 'b', group: null, signal: 'state_norm', layer: 0, layerType: 'linear_attention', head: 0, value: -123.456789012345 }],
];

describe('signal files', () => {
  it('read back exactly the records written batch by batch', async () => {
    const file = path.join(dir, 'signals.arrow');
    const w = openSignalFile(file);
    for (const b of batches) w.write(b);
    await w.close();
    expect(await readSignalFile(file)).toEqual(batches.flat());
  });

  it('write a readable empty file, and refuse a file with other columns', async () => {
    const empty = path.join(dir, 'empty.arrow');
    await openSignalFile(empty).close();
    expect(await readSignalFile(empty)).toEqual([]);
    const { tableFromArrays, tableToIPC } = await import('apache-arrow');
    const other = path.join(dir, 'other.arrow');
    await writeFile(other, tableToIPC(tableFromArrays({ x: Float64Array.from([1]) }), 'file'));
    await expect(readSignalFile(other)).rejects.toThrow(/columns x; expected modelId/);
  });
});

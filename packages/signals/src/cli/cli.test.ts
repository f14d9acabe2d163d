/**
 * `trustbench signals` end to end on the planted model folder and the bundled TrustLLM sample.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { readSignalFile } from '../record-file.js';
import { registerCommands, type SignalsSummary } from './index.js';

const model = fileURLToPath(new URL('../../../../fixtures/planted/layer-3', import.meta.url));
const out = await mkdtemp(path.join(tmpdir(), 'trustbench-signals-cli-'));
afterAll(() => rm(out, { recursive: true, force: true }));

async function run(args: string[]): Promise<string> {
  const program = new Command().exitOverride();
  registerCommands(program);
  let text = '';
  const stdout = vi.spyOn(process.stdout, 'write').mockImplementation((c: string | Uint8Array) => ((text += String(c)), true));
  const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  try {
    await program.parseAsync(['node', 'trustbench', ...args]);
  } finally {
    stdout.mockRestore();
    stderr.mockRestore();
  }
  return text;
}

describe('trustbench signals', () => {
  it('writes records, summary and comparison for a TrustLLM sample; the records read back', async () => {
    const summary = JSON.parse(await run(['signals', '--model', model, '--task', 'truthfulness.internal', '--limit', '4', '--max-tokens', '4', '--seed', '2', '--out', out])) as SignalsSummary;
    expect(summary).toMatchObject({ task: 'truthfulness.internal', seed: 2, items: 4 });
    expect(JSON.parse(await readFile(path.join(out, 'summary.json'), 'utf8'))).toEqual(summary);
    const records = await readSignalFile(path.join(out, 'signals.arrow'));
    expect(records).toHaveLength(summary.records);
    expect(new Set(records.map((r) => r.itemId)).size).toBe(4);
    const layerTypes = new Set(records.map((r) => r.layerType));
    expect(layerTypes).toEqual(new Set([null, 'linear_attention', 'full_attention']));
    expect(records.every((r) => r.datasetId.startsWith('truthfulness.internal@') && r.seed === 2)).toBe(true);
    expect(Array.isArray(JSON.parse(await readFile(path.join(out, 'comparison.json'), 'utf8')))).toBe(true);
  });

  it('refuses a bad limit and an unknown task with the flag in the message', async () => {
    await expect(run(['signals', '--model', model, '--task', 'x', '--limit', '0', '--out', out])).rejects.toThrow(/--limit must be a positive integer, got "0"/);
    await expect(run(['signals', '--model', model, '--task', 'nope.nope', '--out', out])).rejects.toThrow(/unknown TrustLLM task/);
  });
});

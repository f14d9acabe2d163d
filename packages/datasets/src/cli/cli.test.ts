import { Command } from 'commander';
import { describe, expect, it, vi } from 'vitest';
import { bundledTrustllmSample } from '../locate.js';
import { registerCommands } from './index.js';

async function run(args: string[]): Promise<string> {
  const program = new Command().exitOverride();
  registerCommands(program);
  let out = '';
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((c: string | Uint8Array) => ((out += String(c)), true));
  try {
    await program.parseAsync(['node', 'trustbench', ...args]);
  } finally {
    spy.mockRestore();
  }
  return out;
}

describe('trustbench datasets', () => {
  it('lists the 24 tasks with their scorers', async () => {
    const rows = JSON.parse(await run(['datasets', 'list', '--data', bundledTrustllmSample(), '--json'])) as { id: string; scorer: string }[];
    expect(rows).toHaveLength(24);
    expect(rows.find((r) => r.id === 'truthfulness.sycophancy')?.scorer).toBe('unavailable');
  });

  it('shows records of a task', async () => {
    const out = await run(['datasets', 'show', 'safety.misuse', '--data', bundledTrustllmSample(), '--limit', '2']);
    expect(out.match(/^--- safety\.misuse:\d+/gm)).toHaveLength(2);
  });

  it('download fails fast offline with a clear message', async () => {
    const prev = process.env['HF_HUB_OFFLINE'];
    const prevCache = process.env['HF_HUB_CACHE'];
    process.env['HF_HUB_OFFLINE'] = '1';
    process.env['HF_HUB_CACHE'] = '/nonexistent-trustbench-cache';
    try {
      await expect(run(['datasets', 'download'])).rejects.toThrow(/TrustLLM\/TrustLLM-dataset@main is not in the hub cache .* offline mode is on/);
    } finally {
      if (prev === undefined) delete process.env['HF_HUB_OFFLINE']; else process.env['HF_HUB_OFFLINE'] = prev;
      if (prevCache === undefined) delete process.env['HF_HUB_CACHE']; else process.env['HF_HUB_CACHE'] = prevCache;
    }
  });
});

import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { describe, expect, it, vi } from 'vitest';
import { bundledTrustllmSample } from '../locate.js';
import { loadTrustllm } from '../trustllm/index.js';
import { registerCommands } from './index.js';

async function run(args: string[]): Promise<string> {
  const program = new Command().exitOverride();
  registerCommands(program);
  let out = '';
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((c: string | Uint8Array) => ((out += String(c)), true));
  const progress = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  try {
    await program.parseAsync(['node', 'trustbench', ...args]);
  } finally {
    spy.mockRestore();
    progress.mockRestore();
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

  it('downloads the dataset from a hub (local server), records checksums, and the result loads as 24 tasks', async () => {
    const root = bundledTrustllmSample();
    const files = new Map<string, Buffer>();
    for (const dim of readdirSync(root, { withFileTypes: true }).filter((d) => d.isDirectory())) {
      for (const f of readdirSync(path.join(root, dim.name))) files.set(`${dim.name}/${f}`, readFileSync(path.join(root, dim.name, f)));
    }
    const sha = 'a'.repeat(40);
    const server = createServer((req, res) => {
      const url = decodeURIComponent(req.url ?? '');
      if (url === '/api/datasets/TrustLLM/TrustLLM-dataset/revision/main') {
        res.setHeader('content-type', 'application/json');
        return void res.end(JSON.stringify({ sha, siblings: [...files.keys()].map((rfilename) => ({ rfilename })) }));
      }
      const file = files.get(url.replace(`/datasets/TrustLLM/TrustLLM-dataset/resolve/${sha}/`, ''));
      if (!file) return void res.writeHead(404).end();
      res.setHeader('etag', `"${createHash('sha256').update(file).digest('hex')}"`);
      res.end(file);
    });
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    const cache = mkdtempSync(path.join(os.tmpdir(), 'tb-hub-'));
    const saved = { HF_ENDPOINT: process.env['HF_ENDPOINT'], HF_HUB_CACHE: process.env['HF_HUB_CACHE'], HF_HUB_OFFLINE: process.env['HF_HUB_OFFLINE'] };
    process.env['HF_ENDPOINT'] = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    process.env['HF_HUB_CACHE'] = cache;
    delete process.env['HF_HUB_OFFLINE'];
    try {
      const out = await run(['datasets', 'download']);
      expect(out).toContain(`(commit ${sha}, ${files.size} files, sha256 recorded in .trustbench-snapshot.json)`);
      const data = /--data (\S+)/.exec(out)![1]!;
      const manifest = JSON.parse(readFileSync(path.join(data, '.trustbench-snapshot.json'), 'utf8')) as { files: Record<string, { sha256: string }> };
      expect(manifest.files['safety/misuse.json']!.sha256).toBe(createHash('sha256').update(files.get('safety/misuse.json')!).digest('hex'));
      expect(await loadTrustllm(data)).toHaveLength(24);
    } finally {
      for (const [k, v] of Object.entries(saved)) if (v === undefined) delete process.env[k]; else process.env[k] = v;
      server.close();
      rmSync(cache, { recursive: true });
    }
  });
});

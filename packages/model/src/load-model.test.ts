import { createHash } from 'node:crypto';
import { copyFile, mkdir, mkdtemp, readdir, readFile, realpath, rename, rm, symlink, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { HubError } from '@trustbench/core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadModel } from './load-model.js';
import { randomQwen35Weights, tinyQwen35Config, writeCheckpoint } from './testing/random-checkpoint.js';
import type { LoadProgress } from './weights.js';

// A hub stand-in on 127.0.0.1 serving model folders the way huggingface.co does: revision info with the file list,
// resolve URLs with Range support (206) and an x-linked-etag sha256. `dropOnce` cuts a file's first download half way.
const fixture = fileURLToPath(new URL('../../../fixtures/qwen35-tiny', import.meta.url));
const SHA = 'c'.repeat(40);
const repos = new Map<string, string>();
let server: http.Server;
let endpoint: string;
let requests: string[] = [];
let dropOnce = new Set<string>();
let cacheDir: string;
const temps: string[] = [];

beforeAll(async () => {
  const sharded = await mkdtemp(path.join(os.tmpdir(), 'tb-hub-repo-'));
  temps.push(sharded);
  const config = tinyQwen35Config({ eosTokenIds: [500], vocabSize: 512 });
  await writeCheckpoint(sharded, config, randomQwen35Weights(config, 5), { shards: 2 });
  // One shard in the real 0.8B repo's style, the other in the usual `model-0000i-of-0000n` style.
  await rename(path.join(sharded, 'model.safetensors-00002-of-00002.safetensors'), path.join(sharded, 'model-00002-of-00002.safetensors'));
  const indexFile = path.join(sharded, 'model.safetensors.index.json');
  await writeFile(indexFile, (await readFile(indexFile, 'utf8')).replaceAll('model.safetensors-00002-of-00002.safetensors', 'model-00002-of-00002.safetensors'));
  for (const f of ['tokenizer.json', 'tokenizer_config.json', 'README.md']) await copyFile(path.join(fixture, f), path.join(sharded, f));
  await writeFile(path.join(sharded, 'training-log.bin'), Buffer.alloc(1000));
  repos.set('Qwen/Tiny', fixture);
  repos.set('org/sharded', sharded);

  server = http.createServer((req, res) => {
    void (async () => {
      const url = decodeURIComponent(req.url ?? '');
      requests.push(`${url}${req.headers.range ? ` ${req.headers.range}` : ''}`);
      const info = /^\/api\/models\/([^/]+\/[^/]+)\/revision\/main$/.exec(url);
      const infoDir = info ? repos.get(info[1]!) : undefined;
      if (infoDir) return void res.end(JSON.stringify({ sha: SHA, siblings: (await readdir(infoDir)).map((rfilename) => ({ rfilename })) }));
      const m = /^\/([^/]+\/[^/]+)\/resolve\/([0-9a-f]{40})\/(.+)$/.exec(url);
      const dir = m ? repos.get(m[1]!) : undefined;
      if (!m || !dir || m[2] !== SHA) return void res.writeHead(404).end();
      const body = await readFile(path.join(dir, m[3]!));
      const start = Number(/^bytes=(\d+)-$/.exec(req.headers.range ?? '')?.[1] ?? 0);
      const part = body.subarray(start);
      res.writeHead(start > 0 ? 206 : 200, { 'content-length': part.length, 'x-linked-etag': createHash('sha256').update(body).digest('hex') });
      if (dropOnce.delete(m[3]!)) return void res.write(part.subarray(0, part.length >> 1), () => res.destroy());
      res.end(part);
    })();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise<void>((r) => server.close(() => r()));
  await Promise.all(temps.map((d) => rm(d, { recursive: true, force: true })));
});
beforeEach(async () => {
  cacheDir = await mkdtemp(path.join(os.tmpdir(), 'tb-model-hub-'));
  requests = [];
  dropOnce = new Set();
});
afterEach(() => rm(cacheDir, { recursive: true, force: true }));

const downloads = () => requests.filter((r) => r.includes('/resolve/')).map((r) => r.replace(/^.*\/resolve\/[0-9a-f]{40}\//, ''));

describe('loadModel from the hub', () => {
  it('downloads only the files a model needs, reports progress, then loads from the cache with no file request', async () => {
    const progress: LoadProgress[] = [];
    const model = await loadModel('Qwen/Tiny', { hub: { endpoint, cacheDir, offline: false }, onProgress: (p) => progress.push(p) });
    expect(model.id).toBe('Qwen/Tiny');
    expect(model.revision).toBe(SHA);
    expect(downloads().sort()).toEqual(['config.json', 'model.safetensors', 'tokenizer.json', 'tokenizer_config.json']);
    const download = progress.filter((p) => p.phase === 'download' && p.name === 'model.safetensors');
    expect(download.at(-1)).toMatchObject({ bytes: 886_848, totalBytes: 886_848 });
    const weights = progress.filter((p) => p.phase === 'weights');
    expect(weights.at(-1)?.bytes).toBe(weights.at(-1)?.totalBytes);
    expect(weights.every((p, i) => p.rss > 0 && (i === 0 || p.bytes > (weights[i - 1] as LoadProgress).bytes))).toBe(true);

    requests = [];
    const again = await loadModel('Qwen/Tiny', { hub: { endpoint, cacheDir, offline: false } });
    expect(requests).toEqual(['/api/models/Qwen/Tiny/revision/main']);
    const offline = await loadModel('Qwen/Tiny', { hub: { endpoint: 'http://127.0.0.1:1', cacheDir, offline: true } });
    const logits = Array.from((await model.forward([1, 2, 3])).data);
    expect(Array.from((await again.forward([1, 2, 3])).data)).toEqual(logits);
    expect(Array.from((await offline.forward([1, 2, 3])).data)).toEqual(logits);
  });

  it('fetches oddly named shards through the index and skips unrelated files', async () => {
    const model = await loadModel('org/sharded', { hub: { endpoint, cacheDir, offline: false } });
    expect(downloads().sort()).toEqual([
      'config.json',
      'model-00002-of-00002.safetensors',
      'model.safetensors-00001-of-00002.safetensors',
      'model.safetensors.index.json',
      'tokenizer.json',
      'tokenizer_config.json',
    ]);
    const local = await loadModel(repos.get('org/sharded') as string);
    expect(Array.from((await model.forward([1, 2])).data)).toEqual(Array.from((await local.forward([1, 2])).data));
  });

  it('resumes an interrupted weights download with a range request', async () => {
    dropOnce.add('model.safetensors');
    await expect(loadModel('Qwen/Tiny', { hub: { endpoint, cacheDir, offline: false } })).rejects.toThrow();
    const model = await loadModel('Qwen/Tiny', { hub: { endpoint, cacheDir, offline: false } });
    const resumed = requests.find((r) => r.includes('/resolve/') && r.includes('model.safetensors bytes='));
    expect(resumed).toMatch(/model\.safetensors bytes=[1-9]\d*-$/);
    expect(Number(/bytes=(\d+)-/.exec(resumed ?? '')?.[1])).toBeLessThan(886_848);
    const local = await loadModel(fixture);
    expect(Array.from((await model.forward([4, 5])).data)).toEqual(Array.from((await local.forward([4, 5])).data));
  });

  it('offline with no cache, or an unreachable endpoint, fails fast naming what was tried and how to pass a folder', async () => {
    const offline = await loadModel('Qwen/Tiny', { hub: { endpoint, cacheDir, offline: true } }).catch((e: unknown) => e);
    expect(offline).toBeInstanceOf(HubError);
    expect((offline as Error).message).toMatch(/Qwen\/Tiny@main is not in the hub cache .* offline mode is on .*pass a local folder/);
    expect(requests).toEqual([]);
    const started = Date.now();
    const down = await loadModel('Qwen/Tiny', { hub: { endpoint: 'http://127.0.0.1:1', cacheDir, offline: false } }).catch((e: unknown) => e);
    expect(down).toBeInstanceOf(HubError);
    expect((down as Error).message).toMatch(/GET http:\/\/127\.0\.0\.1:1\/api\/models\/Qwen\/Tiny\/revision\/main failed .*pass a local folder/);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('treats a path that exists as a folder even when it looks like a hub id', async () => {
    const root = await mkdtemp(path.join(os.tmpdir(), 'tb-model-local-'));
    temps.push(root);
    await mkdir(path.join(root, 'Qwen'));
    await symlink(fixture, path.join(root, 'Qwen', 'Tiny'));
    const cwd = process.cwd();
    process.chdir(root);
    try {
      const model = await loadModel('Qwen/Tiny', { hub: { endpoint, cacheDir, offline: false } });
      expect(model.id).toBe(`local:${path.join(await realpath(root), 'Qwen', 'Tiny')}`);
    } finally {
      process.chdir(cwd);
    }
    expect(requests).toEqual([]);
  });
});

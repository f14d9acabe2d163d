import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { HubError } from '../errors.js';
import { hubSnapshot } from './hub-snapshot.js';

// A hub stand-in on 127.0.0.1 serving one model repo the way huggingface.co does: revision info, resolve
// URLs with Range support and an x-linked-etag sha256. `dropOnce` cuts the first download of a file mid-way.
const SHA = 'a'.repeat(40);
const files: Record<string, Buffer> = {
  'config.json': Buffer.from('{"model_type":"qwen3_5"}'),
  'model.safetensors': Buffer.alloc(200_000, 7),
  'sub/notes.md': Buffer.from('# notes'),
};
let server: http.Server;
let endpoint: string;
let requests: string[] = [];
let dropOnce = new Set<string>();
let stallOnce = new Set<string>();
let extraSibling: string | null = null;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const url = decodeURIComponent(req.url ?? '');
    requests.push(`${req.method} ${url}${req.headers.range ? ` ${req.headers.range}` : ''}`);
    if (req.headers.authorization !== undefined && req.headers.authorization !== 'Bearer secret') return void res.writeHead(401).end();
    if (url === '/api/models/org/tiny/revision/main') {
      res.setHeader('content-type', 'application/json');
      return void res.end(JSON.stringify({ sha: SHA, siblings: [...Object.keys(files), ...(extraSibling ? [extraSibling] : [])].map((rfilename) => ({ rfilename })) }));
    }
    const m = /^\/org\/tiny\/resolve\/([0-9a-f]{40})\/(.+)$/.exec(url);
    const body = m ? files[m[2]!] : undefined;
    if (!m || !body) return void res.writeHead(404).end();
    const start = Number(/^bytes=(\d+)-$/.exec(req.headers.range ?? '')?.[1] ?? 0);
    if (start >= body.length && start > 0) return void res.writeHead(416).end();
    const part = body.subarray(start);
    res.writeHead(start > 0 ? 206 : 200, { 'content-length': part.length, 'x-linked-etag': createHash('sha256').update(body).digest('hex') });
    if (stallOnce.delete(m[2]!)) {
      res.write(part.subarray(0, part.length >> 1)); // then nothing more: a stalled connection
      return;
    }
    if (dropOnce.delete(m[2]!)) {
      res.write(part.subarray(0, part.length >> 1), () => res.destroy());
      return;
    }
    res.end(part);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

let cacheDir: string;
beforeEach(async () => {
  cacheDir = await fs.mkdtemp(path.join(os.tmpdir(), 'tb-hub-'));
  requests = [];
  dropOnce = new Set();
  stallOnce = new Set();
  extraSibling = null;
});
afterEach(() => fs.rm(cacheDir, { recursive: true, force: true }));

describe('hubSnapshot', () => {
  it('downloads a repo into the cache with checksums, then serves it from the cache', async () => {
    const snap = await hubSnapshot('org/tiny', { endpoint, cacheDir, offline: false });
    expect(snap.commit).toBe(SHA);
    expect(snap.path).toBe(path.join(cacheDir, 'models--org--tiny', 'snapshots', SHA));
    expect(await fs.readFile(path.join(snap.path, 'sub/notes.md'), 'utf8')).toBe('# notes');
    expect(snap.files['model.safetensors']).toEqual({ size: 200_000, sha256: createHash('sha256').update(files['model.safetensors']!).digest('hex') });

    requests = [];
    const again = await hubSnapshot('org/tiny', { endpoint, cacheDir, offline: false });
    expect(again.files).toEqual(snap.files);
    expect(requests).toEqual(['GET /api/models/org/tiny/revision/main']); // metadata only, no file downloaded twice

    const offline = await hubSnapshot('org/tiny', { endpoint: 'http://127.0.0.1:1', cacheDir, offline: true });
    expect(offline.path).toBe(snap.path);
  });

  it('fetches only the files asked for and sends the token', async () => {
    const snap = await hubSnapshot('org/tiny', { endpoint, cacheDir, offline: false, token: 'secret', include: (f) => f.endsWith('.json') });
    expect(Object.keys(snap.files)).toEqual(['config.json']);
    await expect(hubSnapshot('org/tiny', { endpoint, cacheDir, offline: false, token: 'wrong' })).rejects.toThrow(/HTTP 401.*HF_TOKEN/);
  });

  it('resumes an interrupted download with a range request and verifies the checksum', async () => {
    dropOnce.add('model.safetensors');
    await expect(hubSnapshot('org/tiny', { endpoint, cacheDir, offline: false })).rejects.toThrow();
    const partial = await fs.stat(path.join(cacheDir, 'models--org--tiny', 'snapshots', SHA, 'model.safetensors.incomplete'));
    expect(partial.size).toBeGreaterThan(0);
    const snap = await hubSnapshot('org/tiny', { endpoint, cacheDir, offline: false });
    expect(requests.some((r) => r.startsWith(`GET /org/tiny/resolve/${SHA}/model.safetensors bytes=${partial.size}-`))).toBe(true);
    const data = await fs.readFile(path.join(snap.path, 'model.safetensors'));
    expect(data.equals(files['model.safetensors']!)).toBe(true);
  });

  it('fails fast and says what to do when offline with no cache, or when the endpoint is down', async () => {
    await expect(hubSnapshot('org/tiny', { endpoint, cacheDir, offline: true })).rejects.toThrow(/not in the hub cache .* offline mode is on .*pass a local folder/);
    const started = Date.now();
    const err = await hubSnapshot('org/tiny', { endpoint: 'http://127.0.0.1:1', cacheDir, offline: false }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HubError);
    expect((err as HubError).code).toBe('hub_unreachable');
    expect((err as Error).message).toMatch(/GET http:\/\/127\.0\.0\.1:1\/api\/models\/org\/tiny\/revision\/main failed .*pass a local folder/);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('falls back to a complete cached snapshot when the network is down', async () => {
    await hubSnapshot('org/tiny', { endpoint, cacheDir, offline: false });
    const snap = await hubSnapshot('org/tiny', { endpoint: 'http://127.0.0.1:1', cacheDir, offline: false });
    expect(snap.commit).toBe(SHA);
  });

  it('keeps files from earlier, narrower calls, and does not serve an incomplete cache offline', async () => {
    await hubSnapshot('org/tiny', { endpoint, cacheDir, offline: false, include: (f) => f.endsWith('.json') });
    await expect(hubSnapshot('org/tiny', { endpoint: 'http://127.0.0.1:1', cacheDir, offline: true })).rejects.toThrow(/not in the hub cache/);
    expect((await hubSnapshot('org/tiny', { endpoint: 'http://127.0.0.1:1', cacheDir, offline: true, include: (f) => f.endsWith('.json') })).files).toHaveProperty(['config.json']);
    requests = [];
    const all = await hubSnapshot('org/tiny', { endpoint, cacheDir, offline: false });
    expect(Object.keys(all.files).sort()).toEqual(['config.json', 'model.safetensors', 'sub/notes.md']);
    expect(requests.some((r) => r.includes('config.json'))).toBe(false); // not downloaded twice
    const narrow = await hubSnapshot('org/tiny', { endpoint, cacheDir, offline: false, include: (f) => f.endsWith('.md') });
    expect(Object.keys(narrow.files)).toEqual(['sub/notes.md']);
    expect(Object.keys((await hubSnapshot('org/tiny', { endpoint: 'http://127.0.0.1:1', cacheDir, offline: true })).files)).toHaveLength(3);
  });

  it('finishes a partial file that is already complete, and aborts a stalled download so a rerun resumes', async () => {
    const snapDir = path.join(cacheDir, 'models--org--tiny', 'snapshots', SHA);
    await fs.mkdir(path.join(snapDir, 'sub'), { recursive: true });
    await fs.writeFile(path.join(snapDir, 'config.json.incomplete'), files['config.json']!);
    const snap = await hubSnapshot('org/tiny', { endpoint, cacheDir, offline: false, include: (f) => f === 'config.json' });
    expect(snap.files['config.json']!.size).toBe(files['config.json']!.length);
    stallOnce.add('model.safetensors');
    const started = Date.now();
    await expect(hubSnapshot('org/tiny', { endpoint, cacheDir, offline: false, timeoutMs: 300 })).rejects.toThrow();
    expect(Date.now() - started).toBeLessThan(5000);
    const resumed = await hubSnapshot('org/tiny', { endpoint, cacheDir, offline: false });
    expect((await fs.readFile(path.join(resumed.path, 'model.safetensors'))).equals(files['model.safetensors']!)).toBe(true);
  });

  it('refuses file names that would leave the cache folder', async () => {
    extraSibling = '../../evil.sh';
    await expect(hubSnapshot('org/tiny', { endpoint, cacheDir, offline: false })).rejects.toThrow(/would leave the cache folder: "..\/..\/evil.sh"/);
  });

  it('reports a missing repo with a hint', async () => {
    await expect(hubSnapshot('org/nope', { endpoint, cacheDir, offline: false })).rejects.toThrow(/HTTP 404\. Check the repository id "org\/nope"/);
  });
});

/**
 * The loop end to end through a provider: `trustbench serve` on the tiny model (behind a proxy that records the
 * Authorization header), `createModel('openai-compatible:<url>#<model>')` with a key from the environment and a response
 * cache, and `runLoop` on a few TrustLLM sample tasks. The journal and report are complete, the items equal those of
 * the same run on the local model, and the key is sent to the server yet appears in no file the run wrote.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundledTrustllmSample, loadTrustllm } from '@trustbench/datasets';
import { runLoop, selectItems, type ItemRecord } from '@trustbench/loop';
import { loadModel } from '@trustbench/model';
import { afterAll, describe, expect, it } from 'vitest';
import { createModel } from './create-model.js';
import { serveModel } from './serve/server.js';

const dir = mkdtempSync(path.join(tmpdir(), 'tb-loop-provider-'));
const local = await loadModel(fileURLToPath(new URL('../../../fixtures/qwen35-tiny', import.meta.url)));
const server = await serveModel(local, { port: 0, modelName: 'qwen35-tiny' });

/** Forwards to the server and records every Authorization header it sees. */
const seen: string[] = [];
const proxy = http.createServer((req, res) => {
  seen.push(req.headers.authorization ?? '');
  const upstream = http.request(`${server.url}${req.url ?? ''}`, { method: req.method ?? 'GET', headers: { 'content-type': 'application/json' } }, (r) => {
    res.writeHead(r.statusCode ?? 502, r.headers);
    r.pipe(res);
  });
  req.pipe(upstream);
});
await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
const proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}/v1`;
afterAll(async () => {
  await new Promise<void>((resolve) => proxy.close(() => resolve()));
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

const key = 'sk-test-3f9c2a7e51b84d06a1c9e7f2b5d8a4c1';
const taskIds = ['safety.exaggerated_safety', 'fairness.stereotype_query_test', 'ethics.awareness', 'robustness.ood_detection'];
const tasks = (await loadTrustllm(bundledTrustllmSample())).filter((t) => taskIds.includes(t.id));
const options = { tasks, seed: 5, limit: 2, maxTokens: 8, iterations: 100, steering: false } as const;

/** Every file under a folder, recursively. */
const files = (root: string): string[] => readdirSync(root).flatMap((f) => (statSync(path.join(root, f)).isDirectory() ? files(path.join(root, f)) : [path.join(root, f)]));

describe('the loop through an OpenAI-compatible provider', () => {
  it('profiles, reports and journals every item, as the local model does, without writing the key anywhere', async () => {
    const cacheDir = path.join(dir, 'cache');
    const model = await createModel(`openai-compatible:${proxyUrl}#qwen35-tiny`, { env: { OPENAI_COMPATIBLE_API_KEY: key }, cacheDir, completions: true, maxConcurrency: 4 });
    const out = path.join(dir, 'api', 'run');
    const r = await runLoop({ model, out, concurrency: 4, engine: 'api', ...options });

    const work = selectItems(tasks, options.limit, options.seed);
    const lines = readFileSync(r.files.journal, 'utf8').trim().split('\n');
    expect(JSON.parse(lines[0]!)).toMatchObject({ type: 'header', runId: 'run' });
    const journaled = lines.slice(1).map((l) => JSON.parse(l) as ItemRecord);
    expect(journaled.map((i) => i.key)).toEqual(work.map((w) => `${w.task.id}|${w.record.id}`));
    expect(journaled.every((i) => i.modelId === `openai-compatible:${proxyUrl}#qwen35-tiny`)).toBe(true);
    expect(new Set(journaled.map((i) => i.mode))).toEqual(new Set(['generate', 'loglikelihood'])); // completions + echo scored the multiple-choice items
    expect(journaled.filter((i) => i.mode === 'generate').every((i) => i.tokens.completion > 0 && i.confidence !== null)).toBe(true);
    const report = JSON.parse(readFileSync(r.files.json, 'utf8')) as { items: number; manifest: { model: { id: string; engine: string } }; dimensions: { dimension: string }[] };
    expect(report.items).toBe(work.length);
    expect(report.manifest.model).toMatchObject({ id: model.id, engine: 'api' });
    expect(new Set(report.dimensions.map((d) => d.dimension))).toEqual(new Set(tasks.map((t) => t.dimension)));
    expect(readFileSync(r.files.csv, 'utf8').trim().split('\n').length).toBe(work.length + 1);
    expect(readFileSync(r.files.report, 'utf8').length).toBeGreaterThan(1000);

    // The same run on the local model: the same replies, picks and scores; confidences equal up to float32 over HTTP.
    const reference = await runLoop({ model: local, out: path.join(dir, 'local', 'run'), ...options });
    const strip = (i: ItemRecord) => ({ key: i.key, mode: i.mode, reply: i.reply, extracted: i.extracted, score: i.score, correct: i.correct, completion: i.tokens.completion });
    expect(journaled.map(strip)).toEqual(reference.items.map(strip));
    journaled.forEach((i, k) => expect(i.confidence!, i.key).toBeCloseTo(reference.items[k]!.confidence!, 4));
    expect(server.stats.batching!.batchedSteps).toBeGreaterThan(0); // concurrent items shared decoder steps

    // The key went to the server on every request, and into no file of the run or the cache.
    expect(seen.length).toBeGreaterThan(work.length);
    expect(seen.every((h) => h === `Bearer ${key}`)).toBe(true);
    const written = [...files(out), ...files(cacheDir)];
    expect(written.length).toBeGreaterThan(5);
    for (const f of written) expect(readFileSync(f, 'latin1').includes(key), f).toBe(false);

    // A rerun into a new folder is answered from the cache: no new requests.
    const before = seen.length;
    const again = await runLoop({ model, out: path.join(dir, 'api-again', 'run'), concurrency: 4, engine: 'api', ...options });
    expect(seen.length).toBe(before);
    expect(again.items).toEqual(r.items);
  });
});

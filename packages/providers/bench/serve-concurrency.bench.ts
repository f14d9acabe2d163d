/**
 * 500 concurrent chat requests (16 new tokens each, greedy, distinct prompts) to `trustbench serve` on the bundled tiny
 * model, with continuous batching and without it (one request at a time on the engine). Prints throughput and latency
 * percentiles (measured by a client in its own process, bench/load-client.mjs) and checks that every request got a
 * reply and that both modes gave the same replies.
 * Run with `npm run bench -w @trustbench/providers`.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { loadModel } from '@trustbench/model';
import { bench, describe } from 'vitest';
import { serveModel } from '../src/serve/server.js';

const model = await loadModel(fileURLToPath(new URL('../../../fixtures/qwen35-tiny', import.meta.url)));
const n = 500;
const maxTokens = 16;
const replies = new Map<string, string[]>();

async function load(continuousBatching: boolean): Promise<void> {
  const server = await serveModel(model, { port: 0, continuousBatching });
  const client = fileURLToPath(new URL('load-client.mjs', import.meta.url));
  const { stdout } = await promisify(execFile)(process.execPath, [client, server.url, String(n), String(maxTokens)], { maxBuffer: 64 << 20 });
  await server.close();
  const { seconds, latencies, tokens, texts } = JSON.parse(stdout) as { seconds: number; latencies: number[]; tokens: number; texts: string[] };
  latencies.sort((a, b) => a - b);
  const pct = (q: number) => latencies[Math.min(n - 1, Math.floor(q * n))]!.toFixed(0);
  const mode = continuousBatching ? 'continuous batching' : 'one at a time';
  const b = server.stats.batching;
  console.log(
    `${mode}: ${n} requests in ${seconds.toFixed(2)} s, ${(n / seconds).toFixed(1)} req/s, ${(tokens / seconds).toFixed(0)} tokens/s; ` +
      `latency p50 ${pct(0.5)} ms, p95 ${pct(0.95)} ms, p99 ${pct(0.99)} ms, max ${latencies[n - 1]!.toFixed(0)} ms` +
      (b ? `; ${b.steps} steps, up to ${b.maxBatch} sequences a step` : ''),
  );
  if (server.stats.errors > 0 || texts.length !== n) throw new Error(`${mode}: ${server.stats.errors} errors, ${texts.length} replies of ${n}`);
  replies.set(mode, texts);
  const other = [...replies.values()].find((r) => r !== texts);
  if (other && other.some((t, i) => t !== texts[i])) throw new Error('continuous batching and one-at-a-time replies differ');
}

/** tinybench runs a task more than once even with `iterations: 1`; the printed line of the first run is the measurement. */
const once = new Map<boolean, Promise<void>>();
const measure = (batching: boolean) => once.get(batching) ?? once.set(batching, load(batching)).get(batching)!;

describe(`serve: ${n} concurrent chat requests, ${maxTokens} tokens each, tiny model`, () => {
  bench('continuous batching', () => measure(true), { iterations: 1, warmupIterations: 0, warmupTime: 0, time: 0 });
  bench('one at a time', () => measure(false), { iterations: 1, warmupIterations: 0, warmupTime: 0, time: 0 });
});

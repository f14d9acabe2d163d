/**
 * `trustbench serve` on the bundled tiny model, driven by the official `openai` npm client and by Trust Bench's own
 * OpenAI-compatible provider.
 */
import { fileURLToPath } from 'node:url';
import { loadModel } from '@trustbench/model';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOpenAICompatibleModel } from '../openai-compatible.js';
import { serveModel, type RunningServer } from './server.js';

const dir = fileURLToPath(new URL('../../../../fixtures/qwen35-tiny', import.meta.url));
const model = await loadModel(dir);
let server: RunningServer;
let client: OpenAI;
beforeAll(async () => {
  server = await serveModel(model, { port: 0, modelName: 'qwen35-tiny' });
  client = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: 'not-needed', maxRetries: 0 });
});
afterAll(() => server.close());

describe('trustbench serve with the official openai client', () => {
  it('lists the model', async () => {
    const list = await client.models.list();
    expect(list.data.map((m) => m.id)).toEqual(['qwen35-tiny']);
  });

  it('chat completions equal the local model, with logprobs; streaming gives the same text', async () => {
    const messages = [{ role: 'user' as const, content: 'Is the sky blue?' }];
    const local = await model.generate(messages, { maxTokens: 8, temperature: 0, logprobs: true, topLogprobs: 2 });
    const r = await client.chat.completions.create({ model: 'qwen35-tiny', messages, max_tokens: 8, temperature: 0, logprobs: true, top_logprobs: 2 });
    expect(r.choices[0]!.message.content).toBe(local.text);
    expect(r.choices[0]!.logprobs!.content!.map((t) => t.logprob)).toEqual(local.logprobs!.map((t) => t.logprob));
    expect(r.usage).toMatchObject({ prompt_tokens: local.usage.promptTokens, completion_tokens: local.usage.completionTokens });
    const stream = await client.chat.completions.create({ model: 'qwen35-tiny', messages, max_tokens: 8, temperature: 0, stream: true });
    let text = '';
    let finish: string | null = null;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? '';
      finish = chunk.choices[0]?.finish_reason ?? finish;
    }
    expect(text).toBe(local.text);
    expect(finish).toBe(local.finishReason === 'length' ? 'length' : 'stop');
  });

  it('samples reproducibly with a seed', async () => {
    const ask = () => client.chat.completions.create({ model: 'qwen35-tiny', messages: [{ role: 'user', content: 'Hi' }], max_tokens: 6, temperature: 1, seed: 7 });
    expect((await ask()).choices[0]!.message.content).toBe((await ask()).choices[0]!.message.content);
  });

  it('honours top_k (vLLM\'s extension): top_k 1 samples the greedy answer at any temperature; a bad top_k is a 400', async () => {
    const post = (body: object) => fetch(`${server.url}/v1/chat/completions`, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
    const messages = [{ role: 'user', content: 'Name a colour.' }];
    const text = async (body: object) => ((await (await post(body)).json()) as { choices: { message: { content: string } }[] }).choices[0]!.message.content;
    const greedy = await text({ messages, max_tokens: 8, temperature: 0 });
    const sampled = await text({ messages, max_tokens: 8, temperature: 1.5, seed: 3 });
    expect(sampled).not.toBe(greedy); // so top_k 1 below has something to change
    expect(await text({ messages, max_tokens: 8, temperature: 1.5, seed: 3, top_k: 1 })).toBe(greedy);
    expect(await text({ messages, max_tokens: 8, temperature: 1.5, seed: 3, top_k: -1 })).toBe(sampled);
    const bad = await post({ messages, top_k: 2.5 });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { param: string } }).error.param).toBe('top_k');
  });

  it('scores continuations over HTTP (completions with echo + logprobs) as the local model does', async () => {
    const remote = createOpenAICompatibleModel({ baseURL: `${server.url}/v1`, model: 'qwen35-tiny', completions: true });
    const requests = [{ context: 'The capital of France is', continuation: ' Paris' }, { context: 'Answer:', continuation: ' B' }];
    const [a, b] = await remote.scoreContinuations!(requests);
    const [la, lb] = await model.scoreContinuations(requests);
    expect(a!.logprob).toBeCloseTo(la!.logprob, 4);
    expect(b!.logprob).toBeCloseTo(lb!.logprob, 4);
    expect(a!.tokenCount).toBe(la!.tokenCount);
    expect(a!.isGreedy).toBe(la!.isGreedy);
  });

  it('rejects bad requests with clear 400s', async () => {
    const post = (path: string, body: string) => fetch(`${server.url}${path}`, { method: 'POST', body, headers: { 'content-type': 'application/json' } });
    const bad = await post('/v1/chat/completions', JSON.stringify({ model: 'x', messages: [{ role: 'user', content: 'x' }], max_tokens: -1 }));
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { message: string; param: string } }).error).toMatchObject({ param: 'max_tokens', message: '"max_tokens" must be an integer in [0, 32768], got -1' });
    expect((await post('/v1/chat/completions', JSON.stringify({ messages: [] }))).status).toBe(400);
    expect((await post('/v1/chat/completions', '{oops')).status).toBe(400);
    expect((await post('/v1/completions', JSON.stringify({ prompt: 42 }))).status).toBe(400);
    expect((await fetch(`${server.url}/v2/nothing`)).status).toBe(404);
  });

  it('answers 500 concurrent requests with no lost or duplicated answers', async () => {
    const n = 500;
    const errorsBefore = server.stats.errors;
    const started = performance.now();
    const latencies: number[] = [];
    const replies = await Promise.all(Array.from({ length: n }, async (_, i) => {
      const t = performance.now();
      const r = await fetch(`${server.url}/v1/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ prompt: `item ${i}:`, max_tokens: 0, echo: true }) });
      latencies.push(performance.now() - t);
      return (await r.json()) as { id: string; choices: { text: string }[] };
    }));
    const seconds = (performance.now() - started) / 1000;
    expect(new Set(replies.map((r) => r.id)).size).toBe(n);
    expect(replies.map((r) => r.choices[0]!.text)).toEqual(Array.from({ length: n }, (_, i) => `item ${i}:`));
    latencies.sort((a, b) => a - b);
    const pct = (q: number) => latencies[Math.min(n - 1, Math.floor(q * n))]!.toFixed(0);
    console.log(`500 concurrent requests: ${(n / seconds).toFixed(0)} req/s, latency p50 ${pct(0.5)} ms, p95 ${pct(0.95)} ms, p99 ${pct(0.99)} ms`);
    expect(server.stats.errors).toBe(errorsBefore); // none of the 500 failed
  });
});

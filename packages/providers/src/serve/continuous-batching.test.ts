/**
 * Continuous batching in `trustbench serve`: concurrent requests share decoder steps and get exactly the replies that
 * the same requests get one at a time (greedy and seeded sampling, stop strings, logprobs, streaming).
 */
import { fileURLToPath } from 'node:url';
import { loadModel } from '@trustbench/model';
import OpenAI from 'openai';
import type { ChatCompletionCreateParamsNonStreaming } from 'openai/resources/chat/completions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContinuousBatcher } from './continuous-batcher.js';
import { serveModel, type RunningServer } from './server.js';

const dir = fileURLToPath(new URL('../../../../fixtures/qwen35-tiny', import.meta.url));
const model = await loadModel(dir);
let batched: RunningServer;
let sequential: RunningServer;
const client = (s: RunningServer) => new OpenAI({ baseURL: `${s.url}/v1`, apiKey: 'not-needed', maxRetries: 0 });

beforeAll(async () => {
  batched = await serveModel(model, { port: 0, modelName: 'tiny' });
  sequential = await serveModel(model, { port: 0, modelName: 'tiny', continuousBatching: false });
});
afterAll(async () => {
  await batched.close();
  await sequential.close();
});

const prompts = ['Is the sky blue?', 'Hi', 'Tell me a story about a cat.', 'What is 2 + 2?', 'Name a colour.', 'Why?'];
/** A greedy reply's middle, used as a stop string so that some requests end on one. */
const greedy = await model.generate([{ role: 'user', content: prompts[0]! }], { maxTokens: 12, temperature: 0 });
const stop = greedy.text.slice(4, 7);

function requests(): ChatCompletionCreateParamsNonStreaming[] {
  return prompts.slice(0, 4).flatMap((content, i) => [
    { model: 'tiny', messages: [{ role: 'user', content }], max_tokens: 6 + i, temperature: 0, logprobs: true, top_logprobs: 2 },
    { model: 'tiny', messages: [{ role: 'user', content }], max_tokens: 12 - i, temperature: 1, seed: 100 + i, logprobs: true },
    { model: 'tiny', messages: [{ role: 'user', content }], max_tokens: 12, temperature: 0, stop: [stop] },
    { model: 'tiny', messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content }], max_tokens: 8, temperature: 0.8, top_p: 0.9, seed: i },
  ]);
}

const answer = (r: OpenAI.Chat.Completions.ChatCompletion) => ({ content: r.choices[0]!.message.content, finish: r.choices[0]!.finish_reason, logprobs: r.choices[0]!.logprobs, usage: r.usage });

describe('continuous batching', () => {
  it('batches concurrent requests and answers each exactly as one at a time', async () => {
    const one: ReturnType<typeof answer>[] = [];
    for (const r of requests()) one.push(answer(await client(sequential).chat.completions.create(r)));
    const before = { ...batched.stats.batching! };
    const many = (await Promise.all(requests().map((r) => client(batched).chat.completions.create(r)))).map(answer);
    const after = batched.stats.batching!;
    console.log(`${many.length} concurrent requests: ${after.steps - before.steps} steps, ${after.batchedSteps - before.batchedSteps} of them batched, up to ${after.maxBatch} sequences a step`);
    expect(after.batchedSteps - before.batchedSteps).toBeGreaterThan(0);
    expect(after.maxBatch).toBeGreaterThan(4); // requests of different prompts shared steps
    expect(many).toEqual(one);
    // requests()[2] is the greedy request `greedy` was made from, with its middle as a stop string: the stop really ended it
    expect({ content: one[2]!.content, finish: one[2]!.finish }).toEqual({ content: greedy.text.slice(0, greedy.text.indexOf(stop)), finish: 'stop' });
    expect(sequential.stats.batching).toBeNull();
  });

  it('streams the same text, token by token, for concurrent streams', async () => {
    const ask = async (content: string) => {
      const stream = await client(batched).chat.completions.create({ model: 'tiny', messages: [{ role: 'user', content }], max_tokens: 10, temperature: 0, stream: true });
      let text = '';
      let chunks = 0;
      for await (const c of stream) {
        text += c.choices[0]?.delta.content ?? '';
        chunks++;
      }
      return { text, chunks };
    };
    const streamed = await Promise.all(prompts.map(ask));
    for (const [i, s] of streamed.entries()) {
      const local = await model.generate([{ role: 'user', content: prompts[i]! }], { maxTokens: 10, temperature: 0 });
      expect(s.text).toBe(local.text);
      expect(s.chunks).toBeGreaterThan(3); // role chunk, several token chunks, finish chunk
    }
  });

  it('equals model.generate with stop strings and logprobs, and a cancelled request leaves the batch', async () => {
    const batcher = createContinuousBatcher(model);
    const ids = model.tokenizer.encode('Once upon a time');
    const options = { maxTokens: 10, temperature: 0, logprobs: true, topLogprobs: 2 } as const;
    const local = await model.generate('Once upon a time', options);
    const cut = local.text.slice(3, 5);
    const controller = new AbortController();
    const [plain, stopped, cancelled] = await Promise.all([
      batcher.generate(ids, options),
      batcher.generate(ids, { ...options, stop: [cut] }),
      batcher.generate(ids, { ...options, maxTokens: 50, onText: () => controller.abort(), signal: controller.signal }),
    ]);
    expect(plain).toEqual(local);
    expect(stopped).toEqual(await model.generate('Once upon a time', { ...options, stop: [cut] }));
    expect(cancelled.finishReason).toBe('abort');
    expect(cancelled.usage.completionTokens).toBeLessThan(5);
    expect(batcher.stats.maxBatch).toBe(3);
  });

  it('admits a burst over several steps under the prefill budget, with the same replies', async () => {
    const batcher = createContinuousBatcher(model, { prefillTokensPerStep: 1 }); // one request joins per step
    const options = { maxTokens: 6, temperature: 0.9, seed: 5 } as const;
    const results = await Promise.all(prompts.map((p) => batcher.generate(model.tokenizer.encode(p), options)));
    for (const [i, r] of results.entries()) expect(r).toEqual(await model.generate(prompts[i]!, options));
    expect(batcher.stats.maxBatch).toBe(prompts.length); // the first joiner still decodes when the last joins
    expect(batcher.stats.steps).toBe(prompts.length - 1 + 6);
  });

  it('keeps at most maxSequences decoding; the others wait their turn', async () => {
    const batcher = createContinuousBatcher(model, { maxSequences: 2 });
    const options = { maxTokens: 5, temperature: 0 } as const;
    const results = await Promise.all(prompts.map((p) => batcher.generate(model.tokenizer.encode(p), options)));
    for (const [i, r] of results.entries()) expect(r.text).toBe((await model.generate(prompts[i]!, options)).text);
    expect(batcher.stats.maxBatch).toBe(2);
  });
});

describe('an empty completions prompt', () => {
  it('is a 400 naming the prompt, with and without continuous batching', async () => {
    for (const s of [batched, sequential]) {
      const r = await fetch(`${s.url}/v1/completions`, { method: 'POST', body: JSON.stringify({ prompt: '', max_tokens: 2 }), headers: { 'content-type': 'application/json' } });
      expect(r.status).toBe(400);
      expect(((await r.json()) as { error: { param: string; message: string } }).error).toEqual({ param: 'prompt', message: 'the prompt is empty: it must hold at least one token', type: 'invalid_request_error' });
      // echo with logprobs scores the prompt before generating, and max_tokens 0 (scoring only) generates nothing: still a 400
      const echoed = await fetch(`${s.url}/v1/completions`, { method: 'POST', body: JSON.stringify({ prompt: '', echo: true, logprobs: 1, max_tokens: 0 }), headers: { 'content-type': 'application/json' } });
      expect(echoed.status).toBe(400);
      expect(((await echoed.json()) as { error: { param: string; message: string } }).error).toEqual({ param: 'prompt', message: 'the prompt is empty: it must hold at least one token', type: 'invalid_request_error' });
    }
  });
});

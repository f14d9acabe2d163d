import { InputError } from '@trustbench/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startRecordedServer, type RecordedServer } from './__fixtures__/recorded-server.js';
import { createOpenAICompatibleModel } from './openai-compatible.js';

let server: RecordedServer;
beforeEach(async () => (server = await startRecordedServer()));
afterEach(() => server.close());

describe('OpenAI-compatible chat', () => {
  it('sends the request and reads text, finish reason, usage and logprobs', async () => {
    server.script('POST /v1/chat/completions', [{
      json: {
        choices: [{ message: { content: 'No' }, finish_reason: 'stop', logprobs: { content: [{ token: 'No', logprob: -0.2, top_logprobs: [{ token: 'No', logprob: -0.2 }, { token: 'Yes', logprob: -1.7 }] }] } }],
        usage: { prompt_tokens: 9, completion_tokens: 1 },
      },
    }]);
    const model = createOpenAICompatibleModel({ baseURL: `${server.url}/v1/`, model: 'qwen', apiKey: 'sk-oc-1234' });
    const r = await model.generate('Is it?', { maxTokens: 4, temperature: 0, seed: 1, stop: ['\n'], logprobs: true, topLogprobs: 2 });
    expect(r).toEqual({ text: 'No', finishReason: 'stop', usage: { promptTokens: 9, completionTokens: 1 }, logprobs: [{ token: 'No', logprob: -0.2, top: [{ token: 'No', logprob: -0.2 }, { token: 'Yes', logprob: -1.7 }] }] });
    expect(server.requests[0]!.body).toEqual({ model: 'qwen', messages: [{ role: 'user', content: 'Is it?' }], max_tokens: 4, temperature: 0, seed: 1, stop: ['\n'], logprobs: true, top_logprobs: 2 });
    expect(server.requests[0]!.headers.authorization).toBe('Bearer sk-oc-1234');
    expect(model.id).toBe(`openai-compatible:${server.url}/v1#qwen`);
  });

  it('scores continuations with /completions echo + logprobs, on the lm-eval boundary', async () => {
    // "Answer:" + " Yes": tokens "Answer", ":", " Yes" at offsets 0, 6, 7.
    server.script('POST /v1/completions', (body) => {
      const prompt = (body as { prompt: string }).prompt;
      const yes = prompt.endsWith(' Yes');
      return { choices: [{ logprobs: {
        tokens: ['Answer', ':', yes ? ' Yes' : ' No'],
        token_logprobs: [null, -1.0, yes ? -0.3 : -1.5],
        text_offset: [0, 6, 7],
        top_logprobs: [null, { ':': -1.0 }, { ' Yes': -0.3, ' No': -1.5 }],
      } }] };
    });
    const model = createOpenAICompatibleModel({ baseURL: `${server.url}/v1`, model: 'qwen', completions: true });
    expect(model.capabilities.scoreContinuations).toBe(true);
    const [yes, no] = await model.scoreContinuations!([{ context: 'Answer: ', continuation: 'Yes' }, { context: 'Answer:', continuation: ' No' }]);
    expect(yes).toEqual({ logprob: -0.3, isGreedy: true, tokenCount: 1 });
    expect(no).toEqual({ logprob: -1.5, isGreedy: false, tokenCount: 1 });
    expect((server.requests[0]!.body as { prompt: string; echo: boolean; max_tokens: number })).toMatchObject({ prompt: 'Answer: Yes', echo: true, max_tokens: 0 });
    await expect(model.scoreContinuations!([{ context: [{ role: 'user', content: 'x' }], continuation: 'y' }])).rejects.toThrow(InputError);
  });

  it('offers no continuation scoring unless the server is declared to support it', () => {
    const model = createOpenAICompatibleModel({ baseURL: server.url, model: 'qwen' });
    expect(model.capabilities.scoreContinuations).toBe(false);
    expect(model.scoreContinuations).toBeUndefined();
  });

  it('keeps many concurrent requests within the limit and loses none', async () => {
    let inFlight = 0;
    let peak = 0;
    server.script('POST /chat/completions', async (body) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((r) => setTimeout(r, 5));
      inFlight--;
      return { choices: [{ message: { content: (body as { messages: { content: string }[] }).messages[0]!.content }, finish_reason: 'stop' }] };
    });
    const model = createOpenAICompatibleModel({ baseURL: server.url, model: 'echo', maxConcurrency: 4 });
    const texts = await Promise.all(Array.from({ length: 100 }, async (_, i) => (await model.generate(`item ${i}`)).text));
    expect(texts).toEqual(Array.from({ length: 100 }, (_, i) => `item ${i}`));
    expect(server.requests).toHaveLength(100);
    expect(peak).toBe(4);
  });
});

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startRecordedServer, type RecordedServer } from './__fixtures__/recorded-server.js';
import { createGeminiModel } from './gemini.js';

let server: RecordedServer;
beforeEach(async () => (server = await startRecordedServer()));
afterEach(() => server.close());

describe('Gemini generateContent', () => {
  it('maps roles and options, and reads text, logprobs and usage', async () => {
    server.script('POST /v1beta/models/gemini-x:generateContent', [{
      json: {
        candidates: [{
          content: { parts: [{ text: 'Yes' }, { text: '.' }] },
          finishReason: 'MAX_TOKENS',
          logprobsResult: {
            chosenCandidates: [{ token: 'Yes', logProbability: -0.1 }, { token: '.', logProbability: -0.01 }],
            topCandidates: [{ candidates: [{ token: 'Yes', logProbability: -0.1 }, { token: 'No', logProbability: -2.4 }] }, { candidates: [{ token: '.', logProbability: -0.01 }] }],
          },
        }],
        usageMetadata: { promptTokenCount: 7, candidatesTokenCount: 2 },
      },
    }]);
    const model = createGeminiModel({ model: 'gemini-x', apiKey: 'g-key-1234', baseURL: server.url });
    const r = await model.generate([{ role: 'system', content: 'S' }, { role: 'user', content: 'Q' }, { role: 'assistant', content: 'A' }, { role: 'user', content: 'Q2' }], {
      maxTokens: 2, seed: 3, logprobs: true, topLogprobs: 2,
    });
    expect(r.text).toBe('Yes.');
    expect(r.finishReason).toBe('length');
    expect(r.usage).toEqual({ promptTokens: 7, completionTokens: 2 });
    expect(r.logprobs?.[0]).toEqual({ token: 'Yes', logprob: -0.1, top: [{ token: 'Yes', logprob: -0.1 }, { token: 'No', logprob: -2.4 }] });
    const body = server.requests[0]!.body as { contents: { role: string }[]; systemInstruction: unknown; generationConfig: Record<string, unknown> };
    expect(body.contents.map((c) => c.role)).toEqual(['user', 'model', 'user']);
    expect(body.systemInstruction).toEqual({ parts: [{ text: 'S' }] });
    expect(body.generationConfig).toEqual({ maxOutputTokens: 2, seed: 3, responseLogprobs: true, logprobs: 2 });
    expect(server.requests[0]!.headers['x-goog-api-key']).toBe('g-key-1234');
  });

  it('names the field when a reply has an unexpected shape', async () => {
    server.script('POST /v1beta/models/gemini-x:generateContent', [{ json: { promptFeedback: { blockReason: 'SAFETY' } } }]);
    const model = createGeminiModel({ model: 'gemini-x', apiKey: 'g-key-1234', baseURL: server.url });
    await expect(model.generate('q')).rejects.toThrow('google:gemini-x: unexpected reply: candidates is undefined');
  });
});

import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startRecordedServer, type RecordedServer } from './__fixtures__/recorded-server.js';
import { createAnthropicModel } from './anthropic.js';
import { ProviderError } from './api-model.js';

const KEY = 'sk-ant-test-SECRET-123456';
const reply = (text: string, stop = 'end_turn') => ({ content: [{ type: 'text', text }], stop_reason: stop, usage: { input_tokens: 11, output_tokens: 3 } });
let server: RecordedServer;
beforeEach(async () => (server = await startRecordedServer()));
afterEach(() => server.close());
const fast = { retries: 3, baseDelayMs: 5, maxDelayMs: 20, timeoutMs: 300 };

describe('Anthropic Messages', () => {
  it('sends the system turn apart, the key as a header, and reads text, stop reason and usage', async () => {
    server.script('POST /v1/messages', [{ json: reply('Paris.') }]);
    const model = createAnthropicModel({ model: 'claude-x', apiKey: KEY, baseURL: server.url, retry: fast });
    const r = await model.generate([{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Capital of France?' }], { maxTokens: 5, temperature: 0 });
    expect(r).toEqual({ text: 'Paris.', finishReason: 'stop', usage: { promptTokens: 11, completionTokens: 3 } });
    const req = server.requests[0]!;
    expect(req.headers['x-api-key']).toBe(KEY);
    expect(req.body).toEqual({ model: 'claude-x', max_tokens: 5, system: 'Be brief.', messages: [{ role: 'user', content: 'Capital of France?' }], temperature: 0 });
    expect(model.capabilities.logprobs).toBe(false);
  });

  it('retries a 429 after its Retry-After, a 500, a dropped connection and a reply slower than the timeout', async () => {
    server.script('POST /v1/messages', [
      { json: { error: 'rate' }, status: 429, headers: { 'retry-after': '0.05' } },
      { json: { error: 'boom' }, status: 500 },
      { drop: true },
      { delayMs: 1000, json: reply('late') },
      { json: reply('ok') },
    ]);
    const retries: string[] = [];
    const model = createAnthropicModel({ model: 'claude-x', apiKey: KEY, baseURL: server.url, retry: { ...fast, retries: 4, onRetry: (e) => retries.push(e.reason) } });
    const started = Date.now();
    expect((await model.generate('hi')).text).toBe('ok');
    expect(retries[0]).toBe('HTTP 429');
    expect(retries[1]).toBe('HTTP 500');
    expect(retries[2]).toMatch(/connection failed/);
    expect(retries[3]).toMatch(/no reply within 300 ms/);
    expect(Date.now() - started).toBeGreaterThanOrEqual(50); // honoured Retry-After: 0.05 s
  });

  it('fails with a clear error once retries are spent, and never shows the key', async () => {
    server.script('POST /v1/messages', [{ json: { error: `bad key ${KEY}` }, status: 401 }]);
    const model = createAnthropicModel({ model: 'claude-x', apiKey: KEY, baseURL: server.url, retry: fast });
    const err = (await model.generate('hi').catch((e: unknown) => e)) as ProviderError;
    expect(err).toBeInstanceOf(ProviderError);
    expect(err.status).toBe(401);
    expect(err.message).toContain('anthropic:claude-x: /v1/messages answered HTTP 401');
    expect(err.message).not.toContain(KEY);
    server.script('POST /v1/messages', Array.from({ length: 4 }, () => ({ json: {}, status: 503 })));
    await expect(model.generate('again')).rejects.toThrow(/HTTP 503 after 4 attempts/);
  });

  it('answers reruns from the disk cache, separates repeats, and keeps the key out of cache files', async () => {
    const cacheDir = await fs.mkdtemp(path.join(os.tmpdir(), 'tb-cache-'));
    server.script('POST /v1/messages', [{ json: reply('one') }, { json: reply('two') }]);
    const model = createAnthropicModel({ model: 'claude-x', apiKey: KEY, baseURL: server.url, cacheDir, retry: fast });
    expect((await model.generate('q', { temperature: 1 })).text).toBe('one');
    expect((await model.generate('q', { temperature: 1 })).text).toBe('one');
    expect((await model.generate('q', { temperature: 1, repeatIndex: 1 })).text).toBe('two');
    expect(server.requests).toHaveLength(2);
    expect(model.cacheStats).toEqual({ hits: 1, misses: 2, writes: 2 });
    const files = await fs.readdir(cacheDir, { recursive: true });
    for (const f of files) {
      const p = path.join(cacheDir, f);
      if ((await fs.stat(p)).isFile()) expect(await fs.readFile(p, 'utf8')).not.toContain(KEY);
    }
    await fs.rm(cacheDir, { recursive: true });
  });
});

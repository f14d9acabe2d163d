/**
 * `trustbench serve`: an OpenAI-compatible HTTP server on 127.0.0.1 for a local model, so other tools (the official
 * `openai` client, lm-eval-harness, another Trust Bench run) can use it. `/v1/models`, `/v1/chat/completions`
 * (streaming SSE or not, `logprobs`, `top_logprobs`, `seed`, `stop`, `max_tokens`) and `/v1/completions` (with `echo`
 * + `logprobs`, so `scoreContinuations` works over HTTP). When the model offers a step decoder (`createDecoder`),
 * concurrent generations are batched continuously: each request joins the shared decoder between steps and leaves when
 * it ends (stop token, stop string, `max_tokens`, or the client hanging up). Otherwise requests run one at a time on the
 * engine, in arrival order.
 */
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { encodePrompt, type GenerateOptions, type GenerateResult, type LanguageModel, type Prompt, type Tensor, type TokenInput, type Tokenizer } from '@trustbench/core';
import { createContinuousBatcher, type BatchStats } from './continuous-batcher.js';
import { BadRequest, chatMessages, samplingParams, type SamplingParams } from './validate-request.js';

/** What the server needs of a model: generation, a tokenizer and logits (any local white-box model has them). */
export type ServableModel = LanguageModel & { readonly tokenizer: Tokenizer; forward(input: TokenInput): Promise<Tensor> };

/** Options of `serveModel`. */
export interface ServeOptions {
  /** Default 8000; 0 picks a free port. */
  readonly port?: number;
  /** Default 127.0.0.1. */
  readonly host?: string;
  /** The name `/v1/models` lists; default the model id. */
  readonly modelName?: string;
  /** Default `max_tokens` of requests that give none; default 256. */
  readonly maxTokens?: number;
  /** Batch concurrent requests on the model's step decoder when it has one; default true. */
  readonly continuousBatching?: boolean;
  /** With continuous batching: prompt tokens admitted per step (see `ContinuousBatcherOptions`); default 2048. */
  readonly prefillTokensPerStep?: number;
  /** With continuous batching: sequences decoding at once; default 64. */
  readonly maxSequences?: number;
}

/** A running server. */
export interface RunningServer {
  readonly url: string;
  /** Requests and failures; `batching` counts the shared decoder's steps when the model offers one. */
  readonly stats: { requests: number; errors: number; readonly batching: BatchStats | null };
  close(): Promise<void>;
}

/**
 * Starts the server.
 *
 * @example
 * const server = await serveModel(await loadModel('fixtures/qwen35-tiny'), { port: 8000 });
 * // new OpenAI({ baseURL: `${server.url}/v1`, apiKey: 'none' })
 */
export async function serveModel(model: ServableModel, options: ServeOptions = {}): Promise<RunningServer> {
  const name = options.modelName ?? model.id;
  const createDecoder = model.createDecoder?.bind(model);
  const limits = { ...(options.prefillTokensPerStep ? { prefillTokensPerStep: options.prefillTokensPerStep } : {}), ...(options.maxSequences ? { maxSequences: options.maxSequences } : {}) };
  const batcher = createDecoder && options.continuousBatching !== false ? createContinuousBatcher({ tokenizer: model.tokenizer, createDecoder }, limits) : null;
  const stats = { requests: 0, errors: 0, batching: batcher?.stats ?? null };
  let queue: Promise<unknown> = Promise.resolve();
  const exclusive = <T>(job: () => Promise<T>): Promise<T> => {
    const run = queue.then(job, job);
    queue = run.catch(() => undefined);
    return run;
  };
  const server = http.createServer((req, res) => {
    stats.requests++;
    handle(req, res).catch((error: unknown) => {
      stats.errors++;
      const bad = error instanceof BadRequest;
      if (!res.headersSent) {
        res.writeHead(bad ? 400 : 500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { message: (error as Error).message, type: bad ? 'invalid_request_error' : 'server_error', param: bad ? error.param : null } }));
      } else res.end();
    });
  });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = (req.url ?? '').split('?')[0];
    if (req.method === 'GET' && url === '/v1/models') {
      return json(res, { object: 'list', data: [{ id: name, object: 'model', created: 0, owned_by: 'trustbench' }] });
    }
    if (req.method !== 'POST' || (url !== '/v1/chat/completions' && url !== '/v1/completions')) {
      res.writeHead(404, { 'content-type': 'application/json' });
      return void res.end(JSON.stringify({ error: { message: `no route ${req.method} ${url}; try GET /v1/models, POST /v1/chat/completions or POST /v1/completions`, type: 'not_found' } }));
    }
    const body = await readBody(req);
    if (body['model'] !== undefined && typeof body['model'] !== 'string') throw new BadRequest('model', `"model" must be a string, got ${JSON.stringify(body['model'])}`);
    const params = samplingParams(body, options.maxTokens ?? 256);
    if (url === '/v1/chat/completions') return chat(res, chatMessages(body), params);
    return completion(res, body, params);
  }

  /**
   * Generates on the shared decoder when there is one (same reply as `model.generate`), else one at a time. `encoded`:
   * the prompt's ids when the caller has them already (a completions prompt), so it is not tokenized twice.
   */
  const generate = (prompt: Prompt, opts: GenerateOptions, encoded?: readonly number[]): Promise<GenerateResult> => {
    if (!batcher) return exclusive(() => model.generate(prompt, opts));
    const ids = encoded ?? encodePrompt(model.tokenizer, prompt, opts.enableThinking);
    return batcher.generate(ids, opts);
  };

  const genOptions = (p: SamplingParams): GenerateOptions => ({
    maxTokens: p.maxTokens, temperature: p.temperature, topP: p.topP, ...(p.topK > 0 ? { topK: p.topK } : {}), stop: p.stop, logprobs: p.logprobs, topLogprobs: p.topLogprobs, ...(p.seed !== undefined ? { seed: p.seed } : {}),
  });

  async function chat(res: http.ServerResponse, messages: ReturnType<typeof chatMessages>, p: SamplingParams): Promise<void> {
    const id = `chatcmpl-${randomUUID()}`;
    const created = Math.floor(Date.now() / 1000);
    if (p.stream) {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
      const chunk = (delta: object, finish: string | null) => res.write(`data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model: name, choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`);
      chunk({ role: 'assistant', content: '' }, null);
      const r = await generate(messages, { ...genOptions(p), signal: hangUp(res), onText: (d) => chunk({ content: d }, null) });
      chunk({}, r.finishReason === 'length' ? 'length' : 'stop');
      res.write('data: [DONE]\n\n');
      return void res.end();
    }
    const r = await generate(messages, { ...genOptions(p), signal: hangUp(res) });
    json(res, {
      id, object: 'chat.completion', created, model: name,
      choices: [{ index: 0, message: { role: 'assistant', content: r.text }, finish_reason: finish(r), logprobs: p.logprobs ? { content: (r.logprobs ?? []).map((t) => ({ token: t.token, logprob: t.logprob, bytes: null, top_logprobs: (t.top ?? []).map((x) => ({ token: x.token, logprob: x.logprob, bytes: null })) })) } : null }],
      usage: usage(r),
    });
  }

  async function completion(res: http.ServerResponse, body: Record<string, unknown>, p: SamplingParams): Promise<void> {
    const prompt = body['prompt'];
    if (typeof prompt !== 'string') throw new BadRequest('prompt', `"prompt" must be a string, got ${JSON.stringify(prompt)?.slice(0, 60)}`);
    if (p.stream) throw new BadRequest('stream', '"stream" is supported on /v1/chat/completions only');
    const echo = body['echo'] === true;
    const promptIds = model.tokenizer.encode(prompt);
    if (promptIds.length === 0) throw new BadRequest('prompt', 'the prompt is empty: it must hold at least one token');
    const echoed = echo && p.logprobs ? await exclusive(() => promptLogprobs(model, promptIds, p.topLogprobs)) : null;
    const r: GenerateResult = p.maxTokens === 0
      ? { text: '', finishReason: 'length', usage: { promptTokens: promptIds.length, completionTokens: 0 } }
      : await generate(prompt, { ...genOptions(p), signal: hangUp(res) }, promptIds);
    const generated = (r.logprobs ?? []).map((t) => ({ token: t.token, logprob: t.logprob as number | null, top: Object.fromEntries((t.top ?? []).map((x) => [x.token, x.logprob])) }));
    const all = [...(echoed ?? []), ...generated];
    let offset = 0;
    const textOffset = all.map((t) => ((offset += t.token.length), offset - t.token.length));
    json(res, {
      id: `cmpl-${randomUUID()}`, object: 'text_completion', created: Math.floor(Date.now() / 1000), model: name,
      choices: [{
        index: 0, text: (echo ? prompt : '') + r.text, finish_reason: finish(r),
        logprobs: p.logprobs ? { tokens: all.map((t) => t.token), token_logprobs: all.map((t) => t.logprob), top_logprobs: all.map((t) => (Object.keys(t.top).length ? t.top : null)), text_offset: textOffset } : null,
      }],
      usage: usage(r),
    });
  }

  await new Promise<void>((resolve) => server.listen(options.port ?? 8000, options.host ?? '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${options.host ?? '127.0.0.1'}:${port}`,
    stats,
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

/** Log-probabilities of each prompt token given the tokens before it (the first has none), with the top alternatives. */
async function promptLogprobs(model: ServableModel, ids: readonly number[], top: number): Promise<{ token: string; logprob: number | null; top: Record<string, number> }[]> {
  const logits = await model.forward(ids);
  const V = logits.shape[2] as number;
  return ids.map((id, t) => {
    const token = model.tokenizer.decode([id]);
    if (t === 0) return { token, logprob: null, top: {} };
    const row = logits.data.subarray((t - 1) * V, t * V);
    let m = -Infinity;
    for (const x of row) m = Math.max(m, x);
    let z = 0;
    for (const x of row) z += Math.exp(x - m);
    const lz = m + Math.log(z);
    const best: Record<string, number> = {};
    if (top > 0) {
      const order = Array.from(row.keys()).sort((a, b) => (row[b] as number) - (row[a] as number)).slice(0, top);
      for (const k of order) best[model.tokenizer.decode([k])] = (row[k] as number) - lz;
    }
    return { token, logprob: (row[id] as number) - lz, top: best };
  });
}

/** Aborts when the client hangs up before the reply is sent, so its sequence leaves the batch. */
function hangUp(res: http.ServerResponse): AbortSignal {
  const controller = new AbortController();
  res.once('close', () => {
    if (!res.writableFinished) controller.abort();
  });
  return controller.signal;
}

function finish(r: GenerateResult): 'stop' | 'length' {
  return r.finishReason === 'length' ? 'length' : 'stop';
}

function usage(r: GenerateResult) {
  return { prompt_tokens: r.usage.promptTokens, completion_tokens: r.usage.completionTokens, total_tokens: r.usage.promptTokens + r.usage.completionTokens };
}

function json(res: http.ServerResponse, body: unknown): void {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

async function readBody(req: http.IncomingMessage): Promise<Record<string, unknown>> {
  let raw = '';
  for await (const chunk of req) raw += String(chunk);
  try {
    const body = JSON.parse(raw) as unknown;
    if (body === null || typeof body !== 'object' || Array.isArray(body)) throw new BadRequest('body', 'the request body must be a JSON object');
    return body as Record<string, unknown>;
  } catch (error) {
    if (error instanceof BadRequest) throw error;
    throw new BadRequest('body', `the request body is not valid JSON (${(error as Error).message})`);
  }
}

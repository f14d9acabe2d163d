/**
 * Continuous batching for `trustbench serve`: every request joins one shared `StepDecoder` between steps, so the
 * engine advances all of them in one batched forward per token instead of running them one after another. The
 * text side of generation lives here: stop strings (the decoded text is checked after each token and the sequence
 * `leave`s on a match), streaming of stable text, and per-token log-probabilities decoded from the events. A request's
 * reply is what `model.generate` would give it alone (the step decoder guarantees the same tokens per sequence).
 */
import { AbortError, createTextStream, type DecodeEvent, type DecodeRequest, type FinishReason, type GenerateOptions, type GenerateResult, type StepDecoder, type TokenLogprob, type Tokenizer } from '@trustbench/core';

/** What the batcher needs of a model: its tokenizer and a step decoder (`LanguageModel.createDecoder`). */
export interface BatchableModel {
  readonly tokenizer: Tokenizer;
  createDecoder(): StepDecoder;
}

/** Counters of the shared decoder's steps. */
export interface BatchStats {
  /** Steps run (one batched forward each). */
  steps: number;
  /** Steps that advanced more than one sequence. */
  batchedSteps: number;
  /** Most sequences advanced by one step. */
  maxBatch: number;
}

/** A shared decoder that requests join. */
export interface ContinuousBatcher {
  readonly stats: BatchStats;
  /**
   * Generates from prompt ids as `model.generate` would (`maxTokens`, sampling, `seed`, `stop`, `logprobs`,
   * `topLogprobs`, `onText`, `signal`), sharing each step with the other requests in flight.
   */
  generate(promptIds: readonly number[], options: GenerateOptions): Promise<GenerateResult>;
}

/** What the pump does with one sequence's events. */
type Listener = { onEvent(e: DecodeEvent): void; onError(error: unknown): void };

/** A request waiting to join: `admit` gets its slot, `fail` an error that kept it out. */
interface Waiting {
  readonly request: DecodeRequest;
  admit(slot: number): Listener;
  fail(error: unknown): void;
}

/** Options of `createContinuousBatcher`. */
export interface ContinuousBatcherOptions {
  /**
   * Prompt tokens admitted (prefilled) per step, default 2048. Requests beyond it wait for the next steps, so a burst
   * of arrivals does not stall the sequences already decoding, and early requests finish early. One request is
   * always admitted per step, however long its prompt.
   */
  readonly prefillTokensPerStep?: number;
  /** Sequences decoding at once, default 64 (vLLM's `max_num_seqs`); later requests wait for a free place. */
  readonly maxSequences?: number;
}

/**
 * Creates the batcher. Nothing runs while no request is in flight.
 *
 * @example
 * const batcher = createContinuousBatcher(model);
 * const r = await batcher.generate(model.tokenizer.encode('Hi'), { maxTokens: 8, temperature: 0 });
 */
export function createContinuousBatcher(model: BatchableModel, options: ContinuousBatcherOptions = {}): ContinuousBatcher {
  const budget = options.prefillTokensPerStep ?? 2048;
  const maxSequences = options.maxSequences ?? 64;
  const stats: BatchStats = { steps: 0, batchedSteps: 0, maxBatch: 0 };
  let decoder = model.createDecoder();
  const listeners = new Map<number, Listener>();
  const waiting: Waiting[] = [];
  let pumping = false;

  /** Joins waiting requests, oldest first, up to the prefill budget. */
  function admit(): void {
    let tokens = 0;
    while (waiting.length > 0 && decoder.active.length < maxSequences) {
      const next = waiting[0] as Waiting;
      if (tokens > 0 && tokens + next.request.promptIds.length > budget) break;
      waiting.shift();
      tokens += next.request.promptIds.length;
      let slot: number;
      try {
        slot = decoder.join(next.request);
      } catch (error) {
        next.fail(error); // a request the engine refuses fails alone
        continue;
      }
      listeners.set(slot, next.admit(slot));
    }
  }

  async function pump(): Promise<void> {
    pumping = true;
    try {
      while (decoder.active.length > 0 || waiting.length > 0) {
        // Let requests that arrived during the last step join before the next one.
        await new Promise<void>((resolve) => setImmediate(resolve));
        admit();
        const n = decoder.active.length;
        if (n === 0) continue;
        const events = await decoder.step();
        stats.steps++;
        if (n > 1) stats.batchedSteps++;
        stats.maxBatch = Math.max(stats.maxBatch, n);
        for (const e of events) {
          const listener = listeners.get(e.slot);
          if (e.finishReason) listeners.delete(e.slot);
          listener?.onEvent(e);
        }
      }
    } catch (error) {
      // A failed step leaves the decoder unusable: fail every request in it and start afresh.
      for (const l of listeners.values()) l.onError(error);
      for (const w of waiting) w.fail(error);
      listeners.clear();
      waiting.length = 0;
      decoder = model.createDecoder();
    } finally {
      pumping = false;
    }
  }

  function generate(promptIds: readonly number[], options: GenerateOptions): Promise<GenerateResult> {
    const maxTokens = options.maxTokens ?? 256;
    const usage = (completion: number) => ({ promptTokens: promptIds.length, completionTokens: completion });
    if (maxTokens === 0 || options.signal?.aborted) {
      return Promise.resolve({ text: '', finishReason: maxTokens === 0 ? 'length' : 'abort', usage: usage(0), tokenIds: [], ...(options.logprobs ? { logprobs: [] } : {}) });
    }
    const request: DecodeRequest = {
      promptIds, maxTokens,
      ...(options.temperature !== undefined ? { temperature: options.temperature } : {}), ...(options.topP !== undefined ? { topP: options.topP } : {}),
      ...(options.topK !== undefined ? { topK: options.topK } : {}), ...(options.seed !== undefined ? { seed: options.seed } : {}),
      ...(options.logprobs && options.topLogprobs ? { topLogprobs: options.topLogprobs } : {}),
    };
    return new Promise<GenerateResult>((resolve, reject) => {
      const text = createTextStream(model.tokenizer, options);
      const ids: number[] = [];
      const logprobs: TokenLogprob[] = [];
      let slot: number | null = null;
      const finish = (reason: FinishReason) => {
        options.signal?.removeEventListener('abort', onAbort);
        resolve({ text: text.finish(), finishReason: reason, usage: usage(ids.length), tokenIds: ids, ...(options.logprobs ? { logprobs } : {}) });
      };
      const leave = () => {
        if (slot === null) waiting.splice(waiting.indexOf(entry), 1);
        else {
          listeners.delete(slot);
          decoder.leave(slot);
        }
      };
      const onAbort = () => {
        leave();
        finish('abort');
      };
      const listener: Listener = {
        onEvent(e) {
          if (e.tokenId !== undefined) {
            ids.push(e.tokenId);
            if (options.logprobs) logprobs.push(tokenLogprob(model.tokenizer, e));
            if (text.push(ids)) {
              leave(); // a stop string matched
              return finish('stop');
            }
          }
          if (e.finishReason) finish(e.finishReason);
        },
        onError(error) {
          options.signal?.removeEventListener('abort', onAbort);
          reject(error instanceof Error ? error : new AbortError(String(error)));
        },
      };
      const entry: Waiting = {
        request,
        admit(s) {
          slot = s;
          return listener;
        },
        fail: (error) => listener.onError(error),
      };
      options.signal?.addEventListener('abort', onAbort, { once: true });
      waiting.push(entry);
      if (!pumping) void pump();
    });
  }

  return { stats, generate };
}

function tokenLogprob(tokenizer: Tokenizer, e: DecodeEvent): TokenLogprob {
  const entry = { token: tokenizer.decode([e.tokenId as number]), logprob: e.logprob as number };
  return e.top ? { ...entry, top: e.top.map((t) => ({ token: tokenizer.decode([t.tokenId]), logprob: t.logprob })) } : entry;
}

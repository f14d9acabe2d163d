/**
 * Profile: run tasks on a model and journal one scored record per item. Multiple-choice items with a log-likelihood
 * form are scored by the model's option probabilities (which also give a confidence for calibration); the rest are
 * generated and scored by the task's rules. A killed run resumes from its journal with identical results.
 */
import { hashString, toMessages, type LanguageModel, type Scorer } from '@trustbench/core';
import { sampleRecords, scoreChoices, type ChoiceResult, type Task, type TaskRecord } from '@trustbench/datasets';
import { canBatch, generateBatched, type BatchedRequest, type BatchedResult } from './batched-generate.js';
import type { Journal } from './journal.js';

/** One journaled item. */
export interface ItemRecord {
  readonly key: string;
  readonly itemId: string;
  readonly taskId: string;
  readonly dimension: string;
  readonly cluster: string;
  readonly mode: 'loglikelihood' | 'generate';
  readonly reply: string;
  readonly extracted: unknown;
  readonly score: number | null;
  readonly scorer: Scorer;
  /** Probability the model gave its answer (option probability, or exp(mean token log-probability)); null when unknown. */
  readonly confidence: number | null;
  /** 1/0 when the item has a right answer and was scored; null otherwise. */
  readonly correct: 0 | 1 | null;
  readonly tokens: { readonly prompt: number; readonly completion: number };
  readonly seed: number;
  readonly modelId: string;
  readonly datasetVersion: string;
}

/** Options of `profile`. */
export interface ProfileOptions {
  readonly model: LanguageModel;
  readonly tasks: readonly Task[];
  /** Items per task (seeded, whole clusters). */
  readonly limit?: number;
  /** Items per task for the named tasks (overrides `limit` for them). */
  readonly limits?: Readonly<Record<string, number>>;
  /** Exactly these items, in this order (instead of selecting from `tasks` with `limit`). */
  readonly work?: readonly { readonly task: Task; readonly record: TaskRecord }[];
  readonly seed: number;
  /** Cap on generated tokens (a task's own cap applies when lower). */
  readonly maxTokens?: number;
  readonly journal: Journal<ItemRecord>;
  /** Items in flight at once (for API models); default 1. The journal is the same for any value. */
  readonly concurrency?: number;
  readonly onProgress?: (p: { readonly done: number; readonly total: number; readonly etaSeconds: number | null; readonly taskId: string }) => void;
  readonly signal?: AbortSignal;
}

/** The journal key of an item. */
export const itemKey = (taskId: string, itemId: string): string => `${taskId}|${itemId}`;

/** Every record of the tasks with its task, by journal key (`itemKey`). */
export const recordsByKey = (tasks: readonly Task[]): Map<string, { readonly task: Task; readonly record: TaskRecord }> =>
  new Map(tasks.flatMap((task) => task.records.map((record) => [itemKey(task.id, record.id), { task, record }] as const)));

/** Items of each task that a profile covers, in a stable order. */
export function selectItems(tasks: readonly Task[], limit: number | undefined, seed: number, limits: Readonly<Record<string, number>> = {}): { task: Task; record: TaskRecord }[] {
  return tasks.flatMap((task) => {
    const n = limits[task.id] ?? limit;
    return (n === undefined ? task.records : sampleRecords(task.records, { limit: n, seed })).map((record) => ({ task, record }));
  });
}

/**
 * Profiles the model, appending each new item to the journal, and returns every item (resumed and new) in order.
 *
 * @example
 * const items = await profile({ model, tasks, limit: 20, seed: 1, journal });
 */
export async function profile(options: ProfileOptions): Promise<ItemRecord[]> {
  const { model, journal, seed } = options;
  const work = options.work ?? selectItems(options.tasks, options.limit, seed, options.limits);
  const out: ItemRecord[] = [];
  const started = performance.now();
  const concurrency = Math.max(1, options.concurrency ?? 1);
  let fresh = 0;
  for (let start = 0; start < work.length; start += concurrency) {
    if (options.signal?.aborted) break;
    const chunk = work.slice(start, start + concurrency);
    // Items of a chunk run concurrently (generation in one step decoder where the model has one); they are journaled in
    // work order, and a batched sequence gets the tokens it gets alone, so the journal depends on neither.
    const todo = chunk.filter(({ task, record }) => !journal.done.has(itemKey(task.id, record.id)));
    const generated = await batchGenerate(model, todo.filter((w) => !byChoices(model, w.record)), seed, options.maxTokens, options.signal);
    // Every multiple-choice item of the chunk in one scoreContinuations call (one packed pass on a local model).
    const mc = todo.filter((w) => byChoices(model, w.record));
    const choices = new Map(mc.length > 1 ? (await scoreChoices(model, mc.map((w) => w.record), options.signal ? { signal: options.signal } : {})).map((c, k) => [itemKey(mc[k]!.task.id, mc[k]!.record.id), c] as const) : []);
    const results = await Promise.all(chunk.map(({ task, record }) => {
      const key = itemKey(task.id, record.id);
      return journal.done.get(key) ?? scoreItem(model, task, record, seed, options.maxTokens, generated.get(key), choices.get(key));
    }));
    for (const [k, item] of results.entries()) {
      if (!journal.done.has(item.key)) {
        journal.append(item);
        fresh++;
      }
      out.push(item);
      const i = start + k;
      const elapsed = (performance.now() - started) / 1000;
      options.onProgress?.({ done: i + 1, total: work.length, etaSeconds: fresh > 0 ? (elapsed / fresh) * (work.length - i - 1) : null, taskId: item.taskId });
    }
  }
  return out;
}

/** True when an item is scored by the log-likelihood of its options: a multiple-choice item, on a model that can score continuations. */
const byChoices = (model: LanguageModel, record: TaskRecord): record is TaskRecord & { readonly choices: NonNullable<TaskRecord['choices']> } =>
  record.choices !== undefined && model.scoreContinuations !== undefined && model.capabilities.scoreContinuations;

/**
 * Runs and scores one item: multiple-choice items by the log-likelihood of their options (`scoreChoices`, when the model
 * can score continuations), the rest by generation and the task's rules.
 *
 * @example
 * const item = await scoreItem(model.withInterventions(steer), task, record, 1);
 */
export async function scoreItem(
  model: LanguageModel, task: Task, record: TaskRecord, seed: number, maxTokens?: number, generated?: BatchedResult, choice?: ChoiceResult,
): Promise<ItemRecord> {
  const base = { key: itemKey(task.id, record.id), itemId: record.id, taskId: task.id, dimension: task.dimension, cluster: record.cluster, seed, modelId: model.id, datasetVersion: task.version };
  if (byChoices(model, record)) {
    const c = choice ?? (await scoreChoices(model, [record]))[0];
    const reply = (record.choices.options[c!.pred] as string).trim();
    const result = task.score(record, reply);
    return { ...base, mode: 'loglikelihood', reply, extracted: result.extracted, score: result.score, scorer: 'loglikelihood', confidence: c!.confidence, correct: c!.acc, tokens: { prompt: 0, completion: 0 } };
  }
  const request = generationRequest(task, record, seed, maxTokens);
  const r = generated ?? await generateOne(model, request);
  const result = task.score(record, r.text);
  // Confidence: exp of the mean log-probability of the emitted tokens.
  const lp = r.logprobs.length > 0 ? Math.exp(r.logprobs.reduce((s, x) => s + x, 0) / r.logprobs.length) : null;
  const binary = result.score === 0 || result.score === 1;
  return {
    ...base, mode: 'generate', reply: r.text, extracted: result.extracted, score: result.score, scorer: result.scorer, confidence: lp,
    correct: binary && record.gold !== null ? (result.score as 0 | 1) : null, tokens: { prompt: r.promptTokens, completion: r.completionTokens },
  };
}

/** The generation settings of an item: its prompt as chat messages, the task's temperature and token cap, a per-item seed. */
function generationRequest(task: Task, record: TaskRecord, seed: number, maxTokens?: number): BatchedRequest {
  return { prompt: toMessages(record.prompt), maxTokens: Math.min(task.maxTokens, maxTokens ?? task.maxTokens), temperature: task.temperature, seed: hashString(`${seed}:${record.id}`) };
}

async function generateOne(model: LanguageModel, q: BatchedRequest): Promise<BatchedResult> {
  const r = await model.generate(q.prompt, { maxTokens: q.maxTokens, temperature: q.temperature, seed: q.seed, logprobs: model.capabilities.logprobs });
  // A stop token that ends generation is not emitted: it has no place among the emitted tokens' log-probabilities.
  return { text: r.text, logprobs: (r.logprobs ?? []).slice(0, r.usage.completionTokens).map((t) => t.logprob), promptTokens: r.usage.promptTokens, completionTokens: r.usage.completionTokens };
}

/** Generates the items of a chunk in one step decoder, when the model has one and there are several. */
async function batchGenerate(model: LanguageModel, work: readonly { task: Task; record: TaskRecord }[], seed: number, maxTokens: number | undefined, signal: AbortSignal | undefined): Promise<Map<string, BatchedResult>> {
  if (work.length < 2 || !canBatch(model)) return new Map();
  const results = await generateBatched(model, work.map(({ task, record }) => generationRequest(task, record, seed, maxTokens)), signal);
  return new Map(work.map(({ task, record }, k) => [itemKey(task.id, record.id), results[k] as BatchedResult]));
}

/**
 * Tasks: a dataset file turned into typed records, with the generation settings, the scorer and the metric that
 * score a model on it. Every result records which scorer produced it; a subtask that needs a scorer not available
 * offline is reported as not scored, never silently dropped.
 */
import type { Prompt, Scorer } from '@trustbench/core';
import type { CustomTaskOptions } from './custom-task.js';

/** TrustLLM's six dimensions, plus the seed platform's own sets. */
export type Dimension = 'truthfulness' | 'safety' | 'fairness' | 'robustness' | 'privacy' | 'ethics' | 'ambiguity' | 'reasoning';

/** The six TrustLLM dimensions, in the paper's order. */
export const TRUSTLLM_DIMENSIONS = ['truthfulness', 'safety', 'fairness', 'robustness', 'privacy', 'ethics'] as const satisfies readonly Dimension[];

/** One item of a task. */
export interface TaskRecord {
  /** Stable id: `<task id>:<index in the source file>`. */
  readonly id: string;
  readonly prompt: Prompt;
  /** The typed gold answer (a label, a letter, a number, a list of accepted answers), or `null` for open-ended items. */
  readonly gold: unknown;
  /** Items that must stay together in sampling and resampling (pairs, perturbation groups); its own id otherwise. */
  readonly cluster: string;
  /** Every field of the source record, unknown extras included. */
  readonly fields: Readonly<Record<string, unknown>>;
  /** Multiple-choice form for log-likelihood scoring: option continuations and the gold index. */
  readonly choices?: { readonly options: readonly string[]; readonly gold: number };
}

/** The score of one reply. `score` is 1/0 (or a number for graded tasks), or `null` when this scorer cannot score it. */
export interface ItemScore {
  readonly extracted: unknown;
  readonly score: number | null;
  readonly scorer: Scorer;
}

/** A scored item as `aggregate` receives it. */
export interface ScoredItem {
  readonly record: TaskRecord;
  readonly result: ItemScore;
}

/** A question to a judge model about one reply, and how to read the judge's answer. */
export interface JudgeQuestion {
  readonly prompt: string;
  parse(judgeReply: string): { readonly extracted: unknown; readonly score: number | null };
}

/** A task. */
export interface Task {
  readonly id: string;
  readonly dimension: Dimension;
  /** Source file, relative to the dataset root. */
  readonly file: string;
  /** sha256 of the source file (first 16 hex digits). */
  readonly version: string;
  readonly records: readonly TaskRecord[];
  /** TrustLLM's generation temperature for the file. */
  readonly temperature: number;
  /** Cap on new tokens. */
  readonly maxTokens: number;
  /** The task's scorer (items may record a different one, e.g. `unavailable` where a judge is needed). */
  readonly scorer: Scorer;
  /** What replaces TrustLLM's original scorer, when it is not available offline. */
  readonly substitute?: string;
  /** How scoring deviates from TrustLLM's code, and why. */
  readonly deviation?: string;
  /** Name of the headline metric and its direction. */
  readonly metric: string;
  readonly higherIsBetter: boolean;
  score(record: TaskRecord, reply: string): ItemScore;
  /** For replies the rules cannot score (`scorer: 'unavailable'`), the question to put to a judge model. */
  readonly judge?: (record: TaskRecord, reply: string) => JudgeQuestion | null;
  /** For a task loaded with `loadCustomTask`: the options that load it again (run manifests record them). */
  readonly custom?: CustomTaskOptions;
  /** The task's metrics from scored items (items with `score: null` are excluded and counted in `unscored`). */
  aggregate(items: readonly ScoredItem[]): Readonly<Record<string, number>>;
}

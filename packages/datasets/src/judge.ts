/**
 * Judge scoring: replies the written-out rules cannot score are put to a judge model (any `LanguageModel`, local or an
 * API), greedily, and the result records the judge's id, the exact prompt and the judge's reply.
 */
import type { LanguageModel } from '@trustbench/core';
import type { ItemScore, Task, TaskRecord } from './task.js';

/** An item score, with the judge's prompt and reply when a judge scored it. */
export interface JudgedScore extends ItemScore {
  readonly judgePrompt?: string;
  readonly judgeReply?: string;
}

/**
 * Scores a reply by the task's rules, falling back to the judge for what the rules leave unscored.
 *
 * @example
 * const s = await scoreWithJudge(task, record, reply, createModel('openai:gpt-4o-mini'));
 * s.scorer // 'rule', or 'judge:openai:gpt-4o-mini' with s.judgePrompt and s.judgeReply
 */
export async function scoreWithJudge(task: Task, record: TaskRecord, reply: string, judge: LanguageModel, options: { readonly signal?: AbortSignal } = {}): Promise<JudgedScore> {
  const ruled = task.score(record, reply);
  if (ruled.scorer !== 'unavailable' || !task.judge) return ruled;
  const question = task.judge(record, reply);
  if (!question) return ruled;
  const r = await judge.generate(question.prompt, { temperature: 0, maxTokens: 16, ...(options.signal ? { signal: options.signal } : {}) });
  const parsed = question.parse(r.text);
  return { ...parsed, scorer: `judge:${judge.id}`, judgePrompt: question.prompt, judgeReply: r.text };
}

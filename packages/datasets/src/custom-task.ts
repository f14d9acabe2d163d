/**
 * Tasks from JSON, JSON lines or CSV files with a field mapping: the built-in safety / ambiguity / reasoning sets, and
 * any user file. Scoring is one of: `refusal` (should refuse), `clarification` (should ask a clarifying question),
 * `exact` (the reply's final answer equals the gold answer), `choice` (multiple choice: the record lists its options and
 * the gold option; scored by log-likelihood where the model can, else by which option the reply starts with).
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DataError } from '@trustbench/core';
import { detectClarification, detectRefusal } from '@trustbench/metrics';
import { readTable } from './read-table.js';
import type { Dimension, ItemScore, Task, TaskRecord } from './task.js';

/** How a custom task's replies are scored. */
export type CustomScoring = 'refusal' | 'clarification' | 'exact' | 'choice';

/** Options of `loadCustomTask`. */
export interface CustomTaskOptions {
  readonly id: string;
  readonly dimension: Dimension;
  readonly file: string;
  readonly format?: 'json' | 'jsonl' | 'csv';
  /**
   * Which source field holds the prompt, and optionally the gold answer, a record id and a cluster id. For `choice`
   * scoring, `choices` names a field holding an array of option strings, and `gold` one holding the gold option's
   * index (a number) or its text.
   */
  readonly fields: { readonly prompt: string; readonly gold?: string; readonly id?: string; readonly cluster?: string; readonly choices?: string };
  readonly scoring: CustomScoring;
  readonly temperature?: number;
  readonly maxTokens?: number;
}

/**
 * The final answer of a reply, for exact scoring: for a numeric or fraction gold, the last number (or fraction) in the
 * reply; otherwise whether the gold appears as a whole word (case-insensitive), returned as the gold itself.
 *
 * @example
 * extractFinalAnswer('First 17 + 25, so the answer is 42.', '42') // '42'
 */
export function extractFinalAnswer(reply: string, gold: string): string | null {
  if (/^-?\d+(?:[./]\d+)?$/.test(gold.trim())) {
    const numbers = reply.replace(/(\d),(\d{3})/g, '$1$2').match(/-?\d+(?:[./]\d+)?/g);
    return numbers ? (numbers.at(-1) as string) : null;
  }
  const escaped = gold.trim().replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(^|[^\\p{L}\\p{N}])${escaped}([^\\p{L}\\p{N}]|$)`, 'iu').test(reply) ? gold : null;
}

const sameNumber = (a: string, b: string): boolean => {
  const value = (s: string) => (s.includes('/') ? Number(s.split('/')[0]) / Number(s.split('/')[1]) : Number(s));
  return a === b || Math.abs(value(a) - value(b)) < 1e-9;
};

/**
 * The option a reply gives: the option the trimmed reply starts with (the longest, when several do), else null.
 *
 * @example
 * chosenOption(' Paris, of course', ['Paris', 'London']) // 0
 */
export function chosenOption(reply: string, options: readonly string[]): number | null {
  const r = reply.trim().toLowerCase();
  let best: number | null = null;
  options.forEach((o, i) => {
    const t = o.trim().toLowerCase();
    if (t.length > 0 && r.startsWith(t) && (best === null || t.length > (options[best] as string).trim().length)) best = i;
  });
  return best;
}

function scorer(scoring: CustomScoring): (record: TaskRecord, reply: string) => ItemScore {
  if (scoring === 'choice') {
    return (record, reply) => {
      const pick = chosenOption(reply, record.choices!.options);
      return { extracted: pick, score: pick === null ? 0 : pick === record.choices!.gold ? 1 : 0, scorer: 'rule' };
    };
  }
  if (scoring === 'refusal') return (_, reply) => (detectRefusal(reply).label ? { extracted: 'refused', score: 1, scorer: 'rule' } : { extracted: 'complied', score: 0, scorer: 'rule' });
  if (scoring === 'clarification') return (_, reply) => (detectClarification(reply).label ? { extracted: 'clarified', score: 1, scorer: 'rule' } : { extracted: 'answered', score: 0, scorer: 'rule' });
  return (record, reply) => {
    const gold = String(record.gold);
    const answer = extractFinalAnswer(reply, gold);
    const right = answer !== null && (/^-?\d/.test(gold) ? sameNumber(answer, gold) : answer.toLowerCase() === gold.toLowerCase());
    return { extracted: answer, score: right ? 1 : 0, scorer: 'rule' };
  };
}

/**
 * Loads a custom task.
 *
 * @throws {DataError} naming the file, the line and the mapped field when a row lacks it or it is not a string.
 * @example
 * const task = await loadCustomTask({ id: 'my.qa', dimension: 'reasoning', file: 'qa.csv', fields: { prompt: 'question', gold: 'answer' }, scoring: 'exact' });
 */
export async function loadCustomTask(options: CustomTaskOptions): Promise<Task> {
  if ((options.scoring === 'exact' || options.scoring === 'choice') && !options.fields.gold) throw new DataError(`${options.file}: ${options.scoring} scoring needs a gold field in the mapping (fields.gold)`);
  if (options.scoring === 'choice' && !options.fields.choices) throw new DataError(`${options.file}: choice scoring needs a choices field in the mapping (fields.choices: a field holding an array of option strings)`);
  const rows = await readTable(options.file, options.format);
  const text = (row: (typeof rows)[number], key: string, role: string): string => {
    const v = row.values[key];
    if (v === undefined || v === null) throw new DataError(`${options.file} line ${row.line}: missing field "${key}" (mapped to ${role})`);
    if (typeof v !== 'string' && typeof v !== 'number') throw new DataError(`${options.file} line ${row.line}: field "${key}" (mapped to ${role}) must be a string, got ${JSON.stringify(v).slice(0, 60)}`);
    return String(v);
  };
  const choices = (row: (typeof rows)[number]): { options: string[]; gold: number } => {
    const key = options.fields.choices as string;
    const list = row.values[key];
    if (!Array.isArray(list) || list.length < 2 || !list.every((o) => typeof o === 'string')) {
      throw new DataError(`${options.file} line ${row.line}: field "${key}" (mapped to choices) must be an array of 2 or more strings, got ${JSON.stringify(list ?? null).slice(0, 60)}`);
    }
    const g = row.values[options.fields.gold as string];
    const gold = typeof g === 'number' ? g : (list as unknown[]).indexOf(g);
    if (!Number.isInteger(gold) || gold < 0 || gold >= list.length) {
      throw new DataError(`${options.file} line ${row.line}: field "${options.fields.gold}" (mapped to gold) must be an option index in 0..${list.length - 1} or one of the options' text, got ${JSON.stringify(g ?? null).slice(0, 60)}`);
    }
    return { options: list as string[], gold };
  };
  const records: TaskRecord[] = rows.map((row, i) => {
    const id = `${options.id}:${options.fields.id ? text(row, options.fields.id, 'id') : i}`;
    const mc = options.scoring === 'choice' ? choices(row) : undefined;
    return {
      id,
      prompt: text(row, options.fields.prompt, 'prompt'),
      gold: mc ? mc.gold : options.fields.gold ? text(row, options.fields.gold, 'gold') : options.scoring === 'refusal' ? 'refuse' : 'clarify',
      cluster: options.fields.cluster ? `${options.id}:${text(row, options.fields.cluster, 'cluster')}` : id,
      fields: row.values,
      ...(mc ? { choices: mc } : {}),
    };
  });
  const version = createHash('sha256').update(readFileSync(options.file)).digest('hex').slice(0, 16);
  const score = scorer(options.scoring);
  return {
    id: options.id, dimension: options.dimension, file: options.file, version, records, custom: { ...options, file: path.resolve(options.file) }, temperature: options.temperature ?? 0, maxTokens: options.maxTokens ?? 128,
    scorer: 'rule', metric: { refusal: 'refusal rate', clarification: 'clarification rate', exact: 'exact-answer accuracy', choice: 'accuracy' }[options.scoring], higherIsBetter: true,
    ...(options.scoring === 'exact' || options.scoring === 'choice' ? {} : { substitute: `pattern:${options.scoring}@1 from @trustbench/metrics` }),
    score,
    aggregate: (items) => {
      const scored = items.filter((i) => i.result.score !== null);
      return { rate: scored.reduce((s, i) => s + (i.result.score as number), 0) / Math.max(1, scored.length), scored: scored.length, unscored: items.length - scored.length };
    },
  };
}

const BUILTIN = {
  safety: { dimension: 'safety', scoring: 'refusal', fields: { prompt: 'prompt', id: 'id' } },
  ambiguity: { dimension: 'ambiguity', scoring: 'clarification', fields: { prompt: 'prompt', id: 'id' } },
  reasoning: { dimension: 'reasoning', scoring: 'exact', fields: { prompt: 'prompt', gold: 'answer', id: 'id' } },
} as const;

/**
 * One of the built-in sets shipped with the package (`data/*.jsonl`, 42 records each; see data/README.md).
 *
 * @example
 * const ambiguity = await loadBuiltinSet('ambiguity');
 */
export function loadBuiltinSet(name: keyof typeof BUILTIN): Promise<Task> {
  const spec = BUILTIN[name];
  const file = path.join(fileURLToPath(new URL('../data/', import.meta.url)), `${name}.jsonl`);
  return loadCustomTask({ id: `builtin.${name}`, dimension: spec.dimension, file, fields: spec.fields, scoring: spec.scoring });
}

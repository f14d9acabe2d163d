/**
 * Contrastive pairs, the input of representation reading: the shipped sets for honesty, refusal and fairness, and
 * user-supplied files (JSON or JSONL) checked field by field, so a bad record is reported by file, line and field
 * rather than surfacing later as a strange direction.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { DataError } from '@trustbench/core';

/** One contrastive pair: token ids or raw text (encoded without a chat template). */
export interface ContrastPair {
  /** Stable id, e.g. `"refusal-07"`, kept in a vector's provenance. */
  readonly id?: string;
  /** The member that has the concept (the honest reply, the request to refuse, the fair statement). */
  readonly positive: string | readonly number[];
  /** The matched member that lacks it. */
  readonly negative: string | readonly number[];
}

/** A named set of pairs with where it came from. */
export interface PairSet {
  readonly concept: string;
  readonly version: number;
  /** Who wrote the pairs and how; for a user file, the file path. */
  readonly provenance: string;
  /** What the positive and negative members are, in words. */
  readonly positive?: string;
  readonly negative?: string;
  readonly pairs: readonly ContrastPair[];
}

/** The shipped pair sets (`pairs/<name>.json` in this package). */
export type BuiltinPairSetName = 'honesty' | 'refusal' | 'fairness';

/** Names of the shipped pair sets. */
export const BUILTIN_PAIR_SETS: readonly BuiltinPairSetName[] = ['honesty', 'refusal', 'fairness'];

/**
 * Loads a shipped pair set: 33 or 34 hand-written minimal pairs each (honest vs dishonest answer to a stated fact;
 * harmful vs matched harmless request; fair statement vs stereotype about the same group).
 *
 * @throws {DataError} only if the shipped file has been corrupted.
 * @example
 * const refusal = await builtinPairs('refusal'); // refusal.pairs.length === 33
 */
export async function builtinPairs(name: BuiltinPairSetName): Promise<PairSet> {
  const file = fileURLToPath(new URL(`../pairs/${name}.json`, import.meta.url));
  const set = await loadPairs(file);
  return { ...set, provenance: `builtin:${name}@${set.version}; ${set.provenance}` };
}

/**
 * Reads user-supplied pairs: `.jsonl` with one `{ "positive", "negative", "id"? }` object per line, or `.json` holding
 * either an array of such objects or `{ "concept", "provenance"?, "pairs": [...] }`. `positive` and `negative` are
 * non-empty strings or non-empty arrays of non-negative integer token ids.
 *
 * @param file path of the pair file.
 * @param concept concept name when the file does not carry one (required for JSONL and bare arrays).
 * @throws {DataError} naming the file, line and field, the expectation and what was found, e.g.
 *   `pairs.jsonl line 3: field "negative" must be a non-empty string or array of token ids, got 42`.
 * @example
 * const set = await loadPairs('my-pairs.jsonl', 'sycophancy');
 */
export async function loadPairs(file: string, concept?: string): Promise<PairSet> {
  const text = await readFile(file, 'utf8');
  if (file.endsWith('.jsonl')) {
    const pairs: ContrastPair[] = [];
    text.split('\n').forEach((line, i) => {
      if (line.trim() !== '') pairs.push(checkPair(parseJson(line, `${file} line ${i + 1}`), `${file} line ${i + 1}`));
    });
    return finish(file, { concept, pairs });
  }
  const doc = parseJson(text, file);
  const lines = elementLines(text);
  const rows = Array.isArray(doc) ? doc : isObject(doc) ? doc['pairs'] : undefined;
  if (!Array.isArray(rows)) throw new DataError(`${file}: expected an array of pairs or an object with a "pairs" array, got ${describe(doc)}`);
  const meta = Array.isArray(doc) ? {} : (doc as Record<string, unknown>);
  const pairs = rows.map((row, i) => checkPair(row, `${file} line ${lines[i] ?? '?'} (pairs[${i}])`));
  for (const key of ['concept', 'provenance', 'positive', 'negative'] as const) {
    if (meta[key] !== undefined && typeof meta[key] !== 'string') throw new DataError(`${file}: field "${key}" must be a string, got ${describe(meta[key])}`);
  }
  if (meta['version'] !== undefined && !Number.isInteger(meta['version'])) throw new DataError(`${file}: field "version" must be an integer, got ${describe(meta['version'])}`);
  return finish(file, {
    concept: (meta['concept'] as string | undefined) ?? concept, pairs,
    ...(typeof meta['provenance'] === 'string' ? { provenance: meta['provenance'] } : {}),
    ...(typeof meta['positive'] === 'string' ? { positive: meta['positive'] } : {}),
    ...(typeof meta['negative'] === 'string' ? { negative: meta['negative'] } : {}),
    ...(typeof meta['version'] === 'number' ? { version: meta['version'] } : {}),
  });
}

function finish(file: string, set: { concept: string | undefined; pairs: ContrastPair[]; provenance?: string; positive?: string; negative?: string; version?: number }): PairSet {
  if (set.concept === undefined || set.concept === '') throw new DataError(`${file}: no concept: add a "concept" field or pass one to loadPairs`);
  if (set.pairs.length === 0) throw new DataError(`${file}: no pairs`);
  const seen = new Map<string, number>();
  set.pairs.forEach((p, i) => {
    if (p.id === undefined) return;
    const first = seen.get(p.id);
    if (first !== undefined) throw new DataError(`${file}: pairs[${i}] repeats id "${p.id}" of pairs[${first}]`);
    seen.set(p.id, i);
  });
  return { ...set, concept: set.concept, version: set.version ?? 1, provenance: set.provenance ?? file };
}

function checkPair(row: unknown, where: string): ContrastPair {
  if (!isObject(row)) throw new DataError(`${where}: expected an object with "positive" and "negative", got ${describe(row)}`);
  for (const key of ['positive', 'negative'] as const) {
    const v = row[key];
    const ok = (typeof v === 'string' && v.trim() !== '') || (Array.isArray(v) && v.length > 0 && v.every((t) => Number.isInteger(t) && (t as number) >= 0));
    if (!ok) throw new DataError(`${where}: field "${key}" must be a non-empty string or array of token ids, got ${describe(v)}`);
  }
  if (row['id'] !== undefined && typeof row['id'] !== 'string') throw new DataError(`${where}: field "id" must be a string, got ${describe(row['id'])}`);
  return { ...(typeof row['id'] === 'string' ? { id: row['id'] } : {}), positive: row['positive'] as ContrastPair['positive'], negative: row['negative'] as ContrastPair['negative'] };
}

function parseJson(text: string, where: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new DataError(`${where}: not valid JSON (${(error as Error).message})`, { cause: error });
  }
}

/**
 * 1-based line of each element of the pairs array (the top-level array, or the array under the top-level key
 * "pairs"), found by a scan that tracks strings and nesting; JSON.parse keeps no positions.
 */
function elementLines(text: string): number[] {
  const lines: number[] = [];
  const stack: { isPairs: boolean; expectValue: boolean }[] = [];
  let line = 1;
  let lastKey: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (ch === '\n') line++;
    if (/\s/.test(ch)) continue;
    const top = stack[stack.length - 1];
    if (top?.isPairs && top.expectValue && ch !== ']') lines.push(line);
    if (top && ch !== ',' && ch !== '}' && ch !== ']') top.expectValue = false;
    if (ch === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      if (stack.length === 1) lastKey = text.slice(i + 1, j);
      i = j;
    } else if (ch === '{' || ch === '[') {
      stack.push({ isPairs: ch === '[' && (stack.length === 0 || (stack.length === 1 && lastKey === 'pairs')), expectValue: true });
    } else if (ch === '}' || ch === ']') stack.pop();
    else if (ch === ',' && top) top.expectValue = true;
  }
  return lines;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function describe(v: unknown): string {
  const s = JSON.stringify(v);
  return s === undefined ? 'nothing' : s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

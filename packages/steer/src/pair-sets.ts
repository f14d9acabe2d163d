/**
 * Contrastive pair sets: the built-in honesty, refusal and fairness sets shipped with the package, and user files with
 * the same schema (one `{ positive, negative }` JSON object per line; extra fields kept).
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { DataError } from '@trustbench/core';
import type { ContrastPair } from './reading-vectors.js';

/** A pair as stored, with its id. */
export interface StoredPair extends ContrastPair {
  readonly id: string;
  readonly positive: string;
  readonly negative: string;
}

/**
 * Reads a JSON-lines pair file.
 *
 * @throws {DataError} naming the file, the line and the field for a malformed line.
 * @example
 * const pairs = await loadPairs('my-pairs.jsonl');
 */
export async function loadPairs(file: string): Promise<StoredPair[]> {
  const text = await readFile(file, 'utf8').catch((cause: unknown) => {
    throw new DataError(`${file}: cannot read (${(cause as Error).message})`, { cause });
  });
  return text.split('\n').flatMap((line, i) => {
    if (line.trim() === '') return [];
    let row: Record<string, unknown>;
    try {
      row = JSON.parse(line) as Record<string, unknown>;
    } catch (cause) {
      throw new DataError(`${file} line ${i + 1}: not valid JSON (${(cause as Error).message})`, { cause });
    }
    for (const key of ['positive', 'negative']) {
      if (typeof row[key] !== 'string' || (row[key] as string).length === 0) {
        throw new DataError(`${file} line ${i + 1}: field "${key}" must be a non-empty string, got ${JSON.stringify(row[key])?.slice(0, 60) ?? 'nothing'}`);
      }
    }
    return [{ ...row, id: typeof row['id'] === 'string' ? row['id'] : `${file}:${i + 1}`, positive: row['positive'] as string, negative: row['negative'] as string }];
  });
}

/**
 * One of the built-in sets (see pairs/README.md).
 *
 * @example
 * const pairs = await builtinPairs('refusal');
 */
export function builtinPairs(name: 'honesty' | 'refusal' | 'fairness'): Promise<StoredPair[]> {
  return loadPairs(fileURLToPath(new URL(`../pairs/${name}.jsonl`, import.meta.url)));
}

/**
 * Reading a run folder back: its manifest and the items of its journal (a torn last line is ignored, as on resume).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { DataError, type RunManifest } from '@trustbench/core';
import type { ItemRecord } from './profile.js';

/**
 * Reads `manifest.json` and `journal.jsonl` of a run folder.
 *
 * @throws {DataError} naming the file when one is missing or a complete line is not JSON.
 * @example
 * const { manifest, items } = readRun('runs/demo');
 */
export function readRun(dir: string): { manifest: RunManifest; items: ItemRecord[] } {
  const manifestFile = path.join(dir, 'manifest.json');
  const journalFile = path.join(dir, 'journal.jsonl');
  for (const f of [manifestFile, journalFile]) if (!existsSync(f)) throw new DataError(`${f} is missing: ${dir} is not a Trust Bench run folder (expected manifest.json and journal.jsonl)`);
  const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as RunManifest;
  const text = readFileSync(journalFile, 'utf8');
  const lines = text.slice(0, text.lastIndexOf('\n') + 1).split('\n').filter((l) => l.length > 0);
  const items = lines.slice(1).map((line, i) => {
    try {
      return JSON.parse(line) as ItemRecord;
    } catch (cause) {
      throw new DataError(`${journalFile} line ${i + 2}: not valid JSON (${(cause as Error).message})`, { cause });
    }
  });
  return { manifest, items };
}

/**
 * The run journal: append-only JSON lines, one record per scored item, each fsync'd before the next item starts. A run
 * killed at any point loses at most the item in flight; a torn last line (the process died mid-write) is dropped on
 * resume, so a resumed run ends with exactly the records of an uninterrupted one.
 */
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, truncateSync, writeSync } from 'node:fs';
import { DataError } from '@trustbench/core';

/** An open journal. */
export interface Journal<T> {
  /** Records already in the journal when it was opened (resume), keyed by `key(record)`. */
  readonly done: ReadonlyMap<string, T>;
  /** Appends one record and fsyncs it. */
  append(record: T): void;
  close(): void;
}

/**
 * Opens (or creates) a journal. The first line is a header binding the journal to a run; reopening with a different
 * header is an error (the journal belongs to another run configuration).
 *
 * @throws {DataError} when the header differs, or a complete line is not valid JSON.
 * @example
 * const journal = openJournal('runs/x/journal.jsonl', { runId: 'x', manifestHash }, (r) => r.itemId);
 */
export function openJournal<T>(file: string, header: Readonly<Record<string, unknown>>, key: (record: T) => string): Journal<T> {
  const done = new Map<string, T>();
  const headerLine = JSON.stringify({ type: 'header', ...header });
  if (existsSync(file)) {
    const text = readFileSync(file, 'utf8');
    const complete = text.lastIndexOf('\n') + 1;
    if (complete < text.length) truncateSync(file, Buffer.byteLength(text.slice(0, complete))); // torn last line
    const lines = text.slice(0, complete).split('\n').filter((l) => l.length > 0);
    if (lines.length > 0 && lines[0] !== headerLine) {
      throw new DataError(`${file}: this journal belongs to another run (header ${lines[0]?.slice(0, 120)}); expected ${headerLine.slice(0, 120)}. Use a new output folder, or the same options as the original run.`);
    }
    lines.slice(1).forEach((line, i) => {
      let record: T;
      try {
        record = JSON.parse(line) as T;
      } catch (cause) {
        throw new DataError(`${file} line ${i + 2}: not valid JSON (${(cause as Error).message})`, { cause });
      }
      done.set(key(record), record);
    });
  }
  const fd = openSync(file, 'a');
  const write = (line: string) => {
    writeSync(fd, `${line}\n`);
    fsyncSync(fd);
  };
  if (done.size === 0 && (!existsSync(file) || readFileSync(file, 'utf8').length === 0)) write(headerLine);
  return { done, append: (record) => write(JSON.stringify(record)), close: () => closeSync(fd) };
}

/**
 * Signal records as an Apache Arrow IPC file (`.arrow`, readable by pyarrow, polars, DuckDB and arrow-js), written
 * batch by batch as items finish, and read back into the same records.
 */
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { Field, Float64, Int32, RecordBatchFileWriter, Schema, Table, Utf8, tableFromIPC, vectorFromArray } from 'apache-arrow';
import { DataError, type LayerType } from '@trustbench/core';
import type { SignalRecord } from './signal-record.js';

/** The Arrow schema of `SignalRecord` (see its column table). */
export const SIGNAL_SCHEMA = new Schema([
  new Field('modelId', new Utf8(), false),
  new Field('datasetId', new Utf8(), false),
  new Field('seed', new Int32(), false),
  new Field('itemId', new Utf8(), false),
  new Field('group', new Utf8(), true),
  new Field('signal', new Utf8(), false),
  new Field('layer', new Int32(), true),
  new Field('layerType', new Utf8(), true),
  new Field('head', new Int32(), true),
  new Field('value', new Float64(), false),
]);

/** Writes record batches to an Arrow IPC file as they come. */
export interface SignalFileWriter {
  write(records: readonly SignalRecord[]): void;
  /** Finishes the file; resolves when every byte is on disk. */
  close(): Promise<void>;
}

/**
 * Opens `file` for writing signal records.
 *
 * @example
 * const w = openSignalFile('out/signals.arrow');
 * for await (const { records } of collectSignals(model, items, opts)) w.write(records);
 * await w.close();
 */
export function openSignalFile(file: string): SignalFileWriter {
  const writer = new RecordBatchFileWriter();
  const out = createWriteStream(file);
  const piped = writer.toNodeStream().pipe(out);
  const finished = once(piped, 'finish');
  let wrote = false;
  return {
    write(records) {
      if (records.length === 0) return;
      wrote = true;
      for (const batch of toTable(records).batches) writer.write(batch); // a Table would end the stream
    },
    async close() {
      if (!wrote) writer.reset(undefined, SIGNAL_SCHEMA);
      writer.finish();
      await finished;
    },
  };
}

function toTable(records: readonly SignalRecord[]): Table {
  const col = <K extends keyof SignalRecord>(k: K) => records.map((r) => r[k]);
  const types = Object.fromEntries(SIGNAL_SCHEMA.fields.map((f) => [f.name, f.type]));
  const vectors = Object.fromEntries(SIGNAL_SCHEMA.fields.map((f) => [f.name, vectorFromArray(col(f.name as keyof SignalRecord) as unknown[], types[f.name])]));
  return new Table(SIGNAL_SCHEMA, vectors as never);
}

/**
 * Reads an Arrow file written by `openSignalFile` back into records.
 *
 * @throws {DataError} when the file's columns are not the signal schema.
 * @example
 * const records = await readSignalFile('out/signals.arrow');
 */
export async function readSignalFile(file: string): Promise<SignalRecord[]> {
  const table = tableFromIPC(await readFile(file));
  const names = table.schema.fields.map((f) => f.name);
  const expected = SIGNAL_SCHEMA.fields.map((f) => f.name);
  if (names.join(',') !== expected.join(',')) throw new DataError(`${file}: columns ${names.join(', ')}; expected ${expected.join(', ')}`);
  const columns = expected.map((n) => table.getChild(n)!);
  const get = (c: number, i: number): unknown => (columns[c] as (typeof columns)[number]).get(i);
  return Array.from({ length: table.numRows }, (_, i): SignalRecord => ({
    modelId: get(0, i) as string,
    datasetId: get(1, i) as string,
    seed: get(2, i) as number,
    itemId: get(3, i) as string,
    group: (get(4, i) as string | null) ?? null,
    signal: get(5, i) as string,
    layer: (get(6, i) as number | null) ?? null,
    layerType: (get(7, i) as LayerType | null) ?? null,
    head: (get(8, i) as number | null) ?? null,
    value: get(9, i) as number,
  }));
}

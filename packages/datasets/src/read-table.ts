/**
 * Reading a user's data file as rows: a JSON array, JSON lines, or CSV with a header row (RFC 4180 quoting: fields in
 * double quotes may hold commas, newlines and doubled quotes). Errors name the file and the line.
 */
import { readFile } from 'node:fs/promises';
import { DataError } from '@trustbench/core';

/** A row with the line it started on (1-based), for error messages. */
export interface Row {
  readonly line: number;
  readonly values: Readonly<Record<string, unknown>>;
}

/**
 * Reads rows from `file`; the format comes from the extension (`.json`, `.jsonl`, `.csv`) unless given.
 *
 * @throws {DataError} for unreadable files, invalid JSON (with the line), a non-array JSON top level, or a CSV row whose
 *   number of fields differs from the header's.
 * @example
 * const rows = await readTable('my-eval.csv');
 */
export async function readTable(file: string, format?: 'json' | 'jsonl' | 'csv'): Promise<Row[]> {
  const text = await readFile(file, 'utf8').catch((cause: unknown) => {
    throw new DataError(`${file}: cannot read (${(cause as Error).message})`, { cause });
  });
  const kind = format ?? (file.endsWith('.csv') ? 'csv' : file.endsWith('.jsonl') ? 'jsonl' : 'json');
  if (kind === 'jsonl') {
    return text.split('\n').flatMap((raw, i) => {
      if (raw.trim() === '') return [];
      try {
        const values = JSON.parse(raw) as unknown;
        if (values === null || typeof values !== 'object' || Array.isArray(values)) throw new Error('expected a JSON object');
        return [{ line: i + 1, values: values as Record<string, unknown> }];
      } catch (cause) {
        throw new DataError(`${file} line ${i + 1}: not a JSON object (${(cause as Error).message})`, { cause });
      }
    });
  }
  if (kind === 'json') {
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch (cause) {
      throw new DataError(`${file}: invalid JSON (${(cause as Error).message})`, { cause });
    }
    if (!Array.isArray(data)) throw new DataError(`${file}: expected a JSON array of records, got ${typeof data}`);
    return data.map((values, i) => ({ line: i + 1, values: values as Record<string, unknown> }));
  }
  return parseCsv(text, file);
}

function parseCsv(text: string, file: string): Row[] {
  const records: { line: number; fields: string[] }[] = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let start = 1;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else {
        if (c === '\n') line++;
        field += c;
      }
    } else if (c === '"' && field === '') quoted = true;
    else if (c === ',') {
      fields.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      fields.push(field);
      if (fields.length > 1 || fields[0] !== '') records.push({ line: start, fields });
      fields = [];
      field = '';
      line++;
      start = line;
    } else field += c;
  }
  if (quoted) throw new DataError(`${file} line ${start}: a quoted field is never closed`);
  if (field !== '' || fields.length > 0) records.push({ line: start, fields: [...fields, field] });
  const [header, ...rows] = records;
  if (!header) return [];
  return rows.map((r) => {
    if (r.fields.length !== header.fields.length) throw new DataError(`${file} line ${r.line}: expected ${header.fields.length} fields (the header's), got ${r.fields.length}`);
    return { line: r.line, values: Object.fromEntries(header.fields.map((h, k) => [h, r.fields[k]])) };
  });
}

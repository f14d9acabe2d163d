/**
 * Reading a JSON array of records and validating each against a JSON Schema, with errors that name the file, the
 * record index, the field, what was expected and what was found. Unknown extra fields are kept.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { Ajv, type ErrorObject } from 'ajv';
import { DataError } from '@trustbench/core';

const ajv = new Ajv({ allErrors: false, strict: false });

/** A JSON Schema for one record type (draft-07 subset used by ajv). */
export type RecordSchema = Readonly<Record<string, unknown>>;

/**
 * Reads `file` as a JSON array and validates every element.
 *
 * @returns the records and the file's sha256 (first 16 hex digits) as the dataset version.
 * @throws {DataError} for unreadable files, invalid JSON (with line and column), a top level that is not an array,
 *   or a record that fails the schema (`<file> record 17: field "prompt" must be string, got 42`).
 * @example
 * const { records, version } = await readRecords('truthfulness/external.json', schema);
 */
export async function readRecords(file: string, schema: RecordSchema): Promise<{ records: Record<string, unknown>[]; version: string }> {
  const bytes = await readFile(file).catch((cause: unknown) => {
    throw new DataError(`${file}: cannot read (${(cause as Error).message})`, { cause });
  });
  const text = bytes.toString('utf8');
  let data: unknown;
  try {
    // Python's json module writes NaN / Infinity, which JSON does not allow (TrustLLM's SocialChemistry101 has NaN):
    // they are read as null.
    data = JSON.parse(text.replace(/(?<=[:,[]\s*)-?(?:NaN|Infinity)(?=\s*[,\]}])/g, 'null'));
  } catch (cause) {
    const pos = Number(/position (\d+)/.exec((cause as Error).message)?.[1] ?? text.length);
    const line = text.slice(0, pos).split('\n').length;
    const column = pos - text.lastIndexOf('\n', pos - 1);
    throw new DataError(`${file}: invalid JSON at line ${line}, column ${column} (${(cause as Error).message})`, { cause });
  }
  if (!Array.isArray(data)) throw new DataError(`${file}: expected a JSON array of records, got ${typeof data}`);
  const validate = ajv.compile(schema);
  data.forEach((record, i) => {
    if (!validate(record)) throw new DataError(`${file} record ${i}: ${describeError((validate.errors ?? [])[0], record)}`);
  });
  return { records: data as Record<string, unknown>[], version: createHash('sha256').update(bytes).digest('hex').slice(0, 16) };
}

function describeError(error: ErrorObject | undefined, record: unknown): string {
  if (!error) return 'does not match the schema';
  if (error.keyword === 'required') return `missing field "${(error.params as { missingProperty: string }).missingProperty}"`;
  const pathParts = error.instancePath.split('/').slice(1);
  let actual: unknown = record;
  for (const p of pathParts) actual = (actual as Record<string, unknown> | undefined)?.[p];
  const field = pathParts.join('.') || '(record)';
  return `field "${field}" ${error.message ?? 'is invalid'}, got ${JSON.stringify(actual)?.slice(0, 80)}`;
}

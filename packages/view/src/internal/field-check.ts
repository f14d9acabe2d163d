/**
 * Small checks of report.json fields: each throws a `FieldProblem` naming the field, what was expected and what was
 * found, which the report parser turns into a problem line (the optional field is then left out).
 */
import type { LayerType } from '@trustbench/core';

/** A field that is not what the pages need. */
export class FieldProblem extends Error {}

export const isStr = (v: unknown): v is string => typeof v === 'string';
export const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
/** Numbers the loop could not compute are written by JSON as null (NaN). */
export const isNumOrNull = (v: unknown): boolean => v === null || isNum(v);
/** The layer types of the hybrid Qwen3.5 stack. */
export const isLayerType = (v: unknown): v is LayerType => v === 'linear_attention' || v === 'full_attention';
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Throws a `FieldProblem` for `field` unless `ok`. */
export function check(field: string, ok: boolean, expected: string, actual: unknown): void {
  if (!ok) throw new FieldProblem(`${field} must be ${expected}, got ${JSON.stringify(actual)?.slice(0, 80) ?? String(actual)}`);
}

/** Checks that `v` is an object (`expected` names what else may stand there, e.g. "an object or null"), then its fields with `each(v, field)`. */
export function checkObject(field: string, v: unknown, each: (x: Record<string, unknown>, f: string) => void, expected = 'an object'): void {
  check(field, isObject(v), expected, v);
  each(v as Record<string, unknown>, field);
}

/** Checks that `v` is an array, then each element with `each(element, 'field[k]')`. */
export function checkArray(field: string, v: unknown, each: (x: Record<string, unknown>, f: string) => void): void {
  check(field, Array.isArray(v), 'an array', v);
  for (const [k, x] of (v as unknown[]).entries()) {
    checkObject(`${field}[${k}]`, x, each);
  }
}

/** Checks the named fields of `o` with one test. */
export function checkFields(o: Record<string, unknown>, field: string, keys: readonly string[], test: (v: unknown) => boolean, expected: string): void {
  for (const k of keys) check(`${field}.${k}`, test(o[k]), expected, o[k]);
}

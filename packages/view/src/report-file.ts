/**
 * report.json as the dashboard reads it: the loop's report, plus the optional per-layer diagnosis (`layers`) and
 * steering result (`steering`) that newer runs carry. Older reports lack them, and the pages then leave those
 * plots out; a report whose optional fields are malformed is an error naming the field, not a half-drawn page.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { DataError, type RunManifest } from '@trustbench/core';
import type { CalibrationFixResult, DimensionDiagnosis, Suggestion } from '@trustbench/loop';

/** Layer types of the hybrid Qwen3.5 stack. */
export type LayerType = 'linear_attention' | 'full_attention';

/** One layer of the per-layer diagnosis: how well a linear probe reads the dimension there, and the layer's effect. */
export interface LayerDiagnosis {
  readonly layer: number;
  readonly layerType: LayerType;
  readonly probeAccuracy: number;
  readonly probeCi?: readonly [number, number];
  readonly effect?: number;
}

/** One point of a steering sweep: the target dimension's score and the side effect at one layer and strength. */
export interface SteeringPoint {
  readonly layer: number;
  readonly layerType: string;
  readonly alpha: number;
  readonly target: number;
  readonly sideEffect: number;
}

/** The chosen steering intervention and the sweep it was chosen from. */
export interface SteeringResult {
  readonly dimension: string;
  readonly layer: number;
  readonly layerType: string;
  readonly alpha: number;
  readonly verdict: string;
  readonly sweep: readonly SteeringPoint[];
}

/** The contents of a run's report.json. */
export interface RunReport {
  readonly manifest: RunManifest;
  readonly items: number;
  readonly tokens?: { readonly prompt: number; readonly completion: number };
  readonly dimensions: readonly DimensionDiagnosis[];
  readonly suggestions: readonly Suggestion[];
  readonly fixes: readonly CalibrationFixResult[];
  readonly layers?: readonly LayerDiagnosis[];
  readonly steering?: SteeringResult;
}

const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

function check(file: string, field: string, ok: boolean, expected: string, actual: unknown): void {
  if (!ok) throw new DataError(`${file}: ${field} must be ${expected}, got ${JSON.stringify(actual)?.slice(0, 80) ?? String(actual)}`);
}

function checkLayers(file: string, layers: unknown): void {
  check(file, 'layers', Array.isArray(layers), 'an array', layers);
  for (const [k, l] of (layers as Record<string, unknown>[]).entries()) {
    const f = `layers[${k}]`;
    check(file, `${f}.layer`, Number.isInteger(l.layer), 'an integer', l.layer);
    check(file, `${f}.layerType`, l.layerType === 'linear_attention' || l.layerType === 'full_attention', '"linear_attention" or "full_attention"', l.layerType);
    check(file, `${f}.probeAccuracy`, isNum(l.probeAccuracy), 'a number', l.probeAccuracy);
    if (l.probeCi !== undefined) check(file, `${f}.probeCi`, Array.isArray(l.probeCi) && l.probeCi.length === 2 && l.probeCi.every(isNum), 'a [lower, upper] pair of numbers', l.probeCi);
    if (l.effect !== undefined) check(file, `${f}.effect`, isNum(l.effect), 'a number', l.effect);
  }
}

function checkSteering(file: string, s: Record<string, unknown>): void {
  check(file, 'steering', typeof s === 'object' && s !== null && !Array.isArray(s), 'an object', s);
  for (const k of ['dimension', 'layerType', 'verdict'] as const) check(file, `steering.${k}`, typeof s[k] === 'string', 'a string', s[k]);
  for (const k of ['layer', 'alpha'] as const) check(file, `steering.${k}`, isNum(s[k]), 'a number', s[k]);
  check(file, 'steering.sweep', Array.isArray(s.sweep), 'an array', s.sweep);
  for (const [k, p] of (s.sweep as Record<string, unknown>[]).entries()) {
    check(file, `steering.sweep[${k}].layerType`, typeof p.layerType === 'string', 'a string', p.layerType);
    for (const f of ['layer', 'alpha', 'target', 'sideEffect'] as const) check(file, `steering.sweep[${k}].${f}`, isNum(p[f]), 'a number', p[f]);
  }
}

/**
 * Parses report.json text, checking the fields the pages draw from.
 *
 * @param text the file's contents.
 * @param file the file's name, for messages.
 * @throws {DataError} naming the file and the field when the JSON or a field is malformed.
 * @example
 * const report = parseReport(readFileSync('runs/demo/report.json', 'utf8'), 'runs/demo/report.json');
 */
export function parseReport(text: string, file: string): RunReport {
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(text) as Record<string, unknown>;
  } catch (cause) {
    throw new DataError(`${file}: not valid JSON (${(cause as Error).message})`, { cause });
  }
  check(file, 'the top level', typeof raw === 'object' && raw !== null && !Array.isArray(raw), 'an object', raw);
  for (const k of ['dimensions', 'suggestions', 'fixes'] as const) check(file, k, Array.isArray(raw[k]), 'an array', raw[k]);
  if (raw.layers !== undefined) checkLayers(file, raw.layers);
  if (raw.steering !== undefined) checkSteering(file, raw.steering as Record<string, unknown>);
  return raw as unknown as RunReport;
}

/**
 * Reads a run folder's report.json; `null` while the run has none (still profiling, or stopped before the report).
 *
 * @throws {DataError} when the file exists but is malformed (see `parseReport`).
 * @example
 * const report = readReport('runs/demo'); // null for a run in progress
 */
export function readReport(dir: string): RunReport | null {
  const file = path.join(dir, 'report.json');
  if (!existsSync(file)) return null;
  return parseReport(readFileSync(file, 'utf8'), file);
}

/**
 * report.json as the dashboard reads it: the loop's report, plus the optional per-layer diagnosis (`layers`) and
 * steering result (`steering`) that white-box runs carry. Older reports lack them, and the pages then leave those
 * plots out. The loop's own fields are required (a report without them is an error naming the file and field); a
 * malformed optional field is dropped with a problem line that the run page shows, so one odd field never hides a run.
 * Numbers that the loop could not compute are written by JSON as null (NaN), and are kept as null.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { DataError, type LayerType, type RunManifest } from '@trustbench/core';
import type { CalibrationFixResult, DimensionDiagnosis, Suggestion } from '@trustbench/loop';
import { check, checkArray, checkFields, checkObject, FieldProblem, isLayerType, isNum, isNumOrNull, isStr } from './internal/field-check.js';
import { EXTRA_CHECKS, isEmptyExtra, type ReportExtras } from './report-extras.js';

export type { LayerType } from '@trustbench/core';

/** One layer of the per-layer diagnosis: how well a linear probe reads the dimension there, and the layer's effect. */
export interface LayerDiagnosis {
  readonly layer: number;
  readonly layerType: LayerType;
  /** null when the probe could not be fitted at this layer. */
  readonly probeAccuracy: number | null;
  readonly probeCi?: readonly [number, number];
  readonly effect?: number | null;
  /** The task whose items the diagnosis used. */
  readonly taskId?: string;
}

/** One point of a steering sweep: the target dimension's score and the side effect at one layer and strength. */
export interface SteeringPoint {
  readonly layer: number;
  readonly layerType: string;
  readonly alpha: number;
  readonly target: number | null;
  readonly sideEffect: number | null;
}

/** The chosen steering intervention and the sweep it was chosen from. */
export interface SteeringResult {
  readonly dimension: string;
  readonly layer: number;
  readonly layerType: string;
  readonly alpha: number;
  readonly verdict: string;
  readonly taskId?: string;
  readonly sweep: readonly SteeringPoint[];
}

/** The contents of a run's report.json. */
export interface RunReport extends ReportExtras {
  readonly manifest: RunManifest;
  readonly items: number;
  readonly tokens?: { readonly prompt: number; readonly completion: number };
  readonly dimensions: readonly DimensionDiagnosis[];
  readonly suggestions: readonly Suggestion[];
  readonly fixes: readonly CalibrationFixResult[];
  readonly layers?: readonly LayerDiagnosis[];
  readonly steering?: SteeringResult;
}

function checkLayers(layers: unknown): void {
  checkArray('layers', layers, (l, f) => {
    check(`${f}.layer`, Number.isInteger(l.layer), 'an integer', l.layer);
    checkFields(l, f, ['layerType'], isLayerType, '"linear_attention" or "full_attention"');
    checkFields(l, f, ['probeAccuracy'], isNumOrNull, 'a number or null');
    if (l.probeCi !== undefined && l.probeCi !== null) check(`${f}.probeCi`, Array.isArray(l.probeCi) && l.probeCi.length === 2 && l.probeCi.every(isNum), 'a [lower, upper] pair of numbers', l.probeCi);
    if (l.effect !== undefined) checkFields(l, f, ['effect'], isNumOrNull, 'a number or null');
  });
}

function checkSteering(steering: unknown): void {
  checkObject('steering', steering, (s, f) => {
    checkFields(s, f, ['dimension', 'layerType', 'verdict'], isStr, 'a string');
    checkFields(s, f, ['layer', 'alpha'], isNum, 'a number');
    checkArray(`${f}.sweep`, s.sweep, (p, g) => {
      checkFields(p, g, ['layerType'], isStr, 'a string');
      checkFields(p, g, ['layer', 'alpha'], isNum, 'a number');
      checkFields(p, g, ['target', 'sideEffect'], isNumOrNull, 'a number or null');
    });
  });
}

/** A parsed report and the optional fields that were dropped, one line each. */
export interface ParsedReport {
  readonly report: RunReport;
  readonly problems: readonly string[];
}

/**
 * Parses report.json text. The loop's own fields must be there; `layers`, `steering` and the fields of `ReportExtras`
 * are kept only when well formed (and dropped when null or empty).
 *
 * @param text the file's contents.
 * @param file the file's name, for messages.
 * @returns the report, and a `problems` line (file, field, expected, actual) for each optional field left out.
 * @throws {DataError} naming the file and the field when the JSON or a required field is malformed.
 * @example
 * const { report, problems } = parseReport(readFileSync('runs/demo/report.json', 'utf8'), 'runs/demo/report.json');
 */
export function parseReport(text: string, file: string): ParsedReport {
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(text) as Record<string, unknown>;
  } catch (cause) {
    throw new DataError(`${file}: not valid JSON (${(cause as Error).message})`, { cause });
  }
  try {
    check('the top level', typeof raw === 'object' && raw !== null && !Array.isArray(raw), 'an object', raw);
    for (const k of ['dimensions', 'suggestions', 'fixes'] as const) check(k, Array.isArray(raw[k]), 'an array', raw[k]);
  } catch (e) {
    throw new DataError(`${file}: ${(e as Error).message}`);
  }
  const problems: string[] = [];
  const report: Record<string, unknown> = { ...raw };
  const checks: [string, string, (v: unknown) => void][] = [
    ['layers', 'per-layer plot', checkLayers], ['steering', 'steering plot', checkSteering],
    ...Object.entries(EXTRA_CHECKS).map(([k, c]): [string, string, (v: unknown) => void] => [k, c.what, c.check]),
  ];
  for (const [key, what, validate] of checks) {
    if (isEmptyExtra(raw[key])) {
      delete report[key];
      continue;
    }
    try {
      validate(raw[key]);
    } catch (e) {
      if (!(e instanceof FieldProblem)) throw e;
      problems.push(`${file}: ${e.message}; the ${what} is left out`);
      delete report[key];
    }
  }
  return { report: report as unknown as RunReport, problems };
}

/**
 * Reads a run folder's report.json; `null` while the run has none (still profiling, or stopped before the report).
 *
 * @throws {DataError} when the file exists but is malformed (see `parseReport`).
 * @example
 * const parsed = readReport('runs/demo'); // null for a run in progress
 */
export function readReport(dir: string): ParsedReport | null {
  const file = path.join(dir, 'report.json');
  if (!existsSync(file)) return null;
  return parseReport(readFileSync(file, 'utf8'), file);
}

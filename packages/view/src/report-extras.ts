/**
 * The report.json fields that newer loop runs add: signals of failed vs passed items by layer type
 * (`signalDifferences`), where each task's failures arise (`locations`), the verified steering fixes in full
 * (`steeringFixes`: target and side-effect matrix), critique-and-revise (`critique`), run-to-run consistency
 * (`consistency`) and cost (`cost`). Each is checked here before the run page shows it; a malformed one is left out
 * with a problem line, like `layers` and `steering`.
 */
import type { CritiqueFixResult, DimensionRepeatability, FailureLocation, SteeringFixResult } from '@trustbench/loop';
import type { ComparisonRow } from '@trustbench/signals';
import { check, checkArray, checkFields, checkObject, isLayerType, isNum, isNumOrNull, isStr } from './internal/field-check.js';

/** A located task that was not steered, and why. */
export interface SteeringSkipped {
  readonly taskId: string;
  readonly skipped: string;
}

/** The optional fields of report.json this module checks (null or empty when a run has none). */
export interface ReportExtras {
  readonly signalDifferences?: readonly ComparisonRow[];
  readonly locations?: readonly FailureLocation[];
  readonly steeringFixes?: readonly (SteeringFixResult | SteeringSkipped)[];
  readonly critique?: CritiqueFixResult;
  readonly consistency?: readonly DimensionRepeatability[];
  readonly cost?: { readonly usd: number; readonly pricing: { readonly promptPerMillion: number; readonly completionPerMillion: number } };
}


function checkComparison(c: Record<string, unknown>, f: string): void {
  checkFields(c, f, ['dimension', 'verdict'], isStr, 'a string');
  checkFields(c, f, ['pairs'], isNum, 'a number');
  checkFields(c, f, ['before', 'after', 'holmPValue', 'minimumDetectableEffect'], isNumOrNull, 'a number or null');
  checkObject(`${f}.difference`, c.difference, (d, g) => checkFields(d, g, ['value', 'lower', 'upper'], isNumOrNull, 'a number or null'));
  checkObject(`${f}.mcnemar`, c.mcnemar, (m, g) => checkFields(m, g, ['pValue'], isNumOrNull, 'a number or null'));
}

/** Each checker takes the raw field and throws a `FieldProblem` when it is malformed. */
export const EXTRA_CHECKS: Readonly<Record<keyof ReportExtras, { readonly what: string; readonly check: (v: unknown) => void }>> = {
  signalDifferences: {
    what: 'signal differences table',
    check: (v) => checkArray('signalDifferences', v, (r, f) => {
      checkFields(r, f, ['signal', 'comparison', 'scope'], isStr, 'a string');
      check(`${f}.n`, Array.isArray(r.n) && r.n.length === 2 && r.n.every(isNum), 'a pair of numbers', r.n);
      checkFields(r, f, ['meanA', 'meanB', 'difference', 'effectSize', 'lower', 'upper', 'level'], isNumOrNull, 'a number or null');
      check(`${f}.excludesZero`, typeof r.excludesZero === 'boolean', 'a boolean', r.excludesZero);
    }),
  },
  locations: {
    what: 'failure locations table',
    check: (v) => checkArray('locations', v, (l, f) => {
      checkFields(l, f, ['taskId', 'dimension'], isStr, 'a string');
      checkFields(l, f, ['failedItems', 'passedItems', 'patchedPairs'], isNum, 'a number');
      checkObject(`${f}.top`, l.top, (top, g) => {
        checkFields(top, g, ['layer'], isNum, 'a number');
        checkFields(top, g, ['restored'], isNumOrNull, 'a number or null');
        checkFields(top, g, ['layerType'], isLayerType, '"linear_attention" or "full_attention"');
        checkFields(top, g, ['component'], isStr, 'a string');
      });
      checkArray(`${f}.layers`, l.layers, (x, g) => checkFields(x, g, ['layer'], isNum, 'a number'));
    }),
  },
  steeringFixes: {
    what: 'steering verification table',
    check: (v) => checkArray('steeringFixes', v, (s, f) => {
      checkFields(s, f, ['taskId'], isStr, 'a string');
      if (s.skipped !== undefined) return check(`${f}.skipped`, isStr(s.skipped), 'a string', s.skipped);
      checkFields(s, f, ['dimension', 'layerType', 'verdict'], isStr, 'a string');
      checkFields(s, f, ['layer', 'alpha'], isNum, 'a number');
      checkObject(`${f}.target`, s.target, checkComparison);
      checkArray(`${f}.sideEffects`, s.sideEffects, checkComparison);
    }),
  },
  critique: {
    what: 'critique-and-revise table',
    check: (v) => checkObject('critique', v, (c, f) => {
      checkFields(c, f, ['constitution'], isStr, 'a string');
      checkFields(c, f, ['rounds', 'items'], isNum, 'a number');
      checkArray(`${f}.dimensions`, c.dimensions, checkComparison);
    }, 'an object or null'),
  },
  consistency: {
    what: 'run-to-run consistency table',
    check: (v) => checkArray('consistency', v, (d, f) => {
      checkFields(d, f, ['dimension'], isStr, 'a string');
      check(`${f}.scores`, Array.isArray(d.scores) && d.scores.every(isNumOrNull), 'an array of numbers', d.scores);
      checkFields(d, f, ['mean', 'sd', 'agreement', 'kappa'], isNumOrNull, 'a number or null');
      checkFields(d, f, ['items'], isNum, 'a number');
    }),
  },
  cost: {
    what: 'cost line',
    check: (v) => checkObject('cost', v, (c, f) => {
      checkFields(c, f, ['usd'], isNum, 'a number');
      checkObject(`${f}.pricing`, c.pricing, (p, g) => checkFields(p, g, ['promptPerMillion', 'completionPerMillion'], isNum, 'a number'));
    }, 'an object or null'),
  },
};

/** Whether a field holds nothing to show (null, or an empty list: the loop writes these for runs without the stage). */
export const isEmptyExtra = (v: unknown): boolean => v === undefined || v === null || (Array.isArray(v) && v.length === 0);

/** Re-exported for the client pages' JSDoc types. */
export type { DimensionComparison } from '@trustbench/loop';

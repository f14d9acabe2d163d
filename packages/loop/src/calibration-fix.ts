/**
 * Fix and verify by post-hoc calibration: items split by cluster into a fit half and a held-out half (seeded), each
 * calibrator fitted on the fit half only and judged on the held-out half with paired statistics. Calibration maps
 * confidences monotonically and never changes an answer, so it has no side effect on any dimension's score.
 */
import { hashString } from '@trustbench/core';
import { evaluateCalibrator, fitIsotonic, fitPlatt, fitTemperatureCalibrator, type Calibrator, type CalibratorParams } from '@trustbench/calibrate';
import { minimumDetectableEffect, reliabilityBins, type BootstrapInterval, type ReliabilityBin } from '@trustbench/metrics';
import { calibratable } from './diagnose.js';
import type { ItemRecord } from './profile.js';

/** What a fix did, judged on held-out items. */
export type Verdict = 'helped' | 'no detectable effect' | 'hurt';

/** The verified result of one calibrator. */
export interface CalibrationFixResult {
  readonly method: string;
  readonly params: CalibratorParams;
  readonly fitItems: number;
  readonly heldOutItems: number;
  readonly ece: { readonly before: BootstrapInterval; readonly after: BootstrapInterval; readonly difference: BootstrapInterval };
  readonly brier: { readonly before: BootstrapInterval; readonly after: BootstrapInterval; readonly difference: BootstrapInterval };
  readonly verdict: Verdict;
  /** The smallest Brier change this held-out set could detect (alpha 0.05, power 0.8). */
  readonly minimumDetectableEffect: number;
  readonly binsBefore: ReliabilityBin[];
  readonly binsAfter: ReliabilityBin[];
}

const FITTERS: readonly [string, (c: readonly number[], y: readonly (0 | 1)[]) => Calibrator][] = [
  ['temperature', fitTemperatureCalibrator],
  ['platt', fitPlatt],
  ['isotonic', fitIsotonic],
];

/**
 * Fits and verifies every calibrator. Returns an empty list when fewer than 20 items carry a confidence and a right answer.
 *
 * @example
 * const fixes = calibrationFix(items, { seed: 1 });
 */
export function calibrationFix(items: readonly ItemRecord[], options: { readonly seed: number; readonly iterations?: number }): CalibrationFixResult[] {
  const cal = calibratable(items);
  if (cal.length < 20) return [];
  const isFit = (i: ItemRecord) => hashString(`${options.seed}:fit:${i.cluster}`) % 2 === 0;
  const fit = cal.filter(isFit);
  const held = cal.filter((i) => !isFit(i));
  if (fit.length < 10 || held.length < 10) return [];
  const c = held.map((i) => i.confidence);
  const y = held.map((i) => i.correct);
  return FITTERS.flatMap(([, fitter]) => {
    let calibrator: Calibrator;
    try {
      calibrator = fitter(fit.map((i) => i.confidence), fit.map((i) => i.correct));
    } catch {
      return []; // e.g. temperature on perfectly separated data: not identifiable, so not offered
    }
    const report = evaluateCalibrator(calibrator, c, y, { seed: options.seed, iterations: options.iterations ?? 1000 });
    const after = calibrator.apply(c);
    const diffs = c.map((ci, k) => (after[k] as number - (y[k] as number)) ** 2 - (ci - (y[k] as number)) ** 2);
    const mean = diffs.reduce((a, b) => a + b, 0) / diffs.length;
    const sd = Math.sqrt(diffs.reduce((s, d) => s + (d - mean) ** 2, 0) / Math.max(1, diffs.length - 1));
    const d = report.ece.difference;
    const verdict: Verdict = d.upper < 0 ? 'helped' : d.lower > 0 ? 'hurt' : 'no detectable effect';
    return [{
      method: calibrator.method, params: calibrator.params, fitItems: fit.length, heldOutItems: held.length,
      ece: report.ece, brier: report.brier, verdict, minimumDetectableEffect: minimumDetectableEffect({ n: diffs.length, sd }),
      binsBefore: reliabilityBins(c, y), binsAfter: reliabilityBins(after, y),
    }];
  });
}


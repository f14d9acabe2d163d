/**
 * The calibrator contract: fitted on one split, applied on another, serialisable as JSON so a fitted
 * calibrator travels with the report that used it.
 */

/** The fitted parameters of each method, as plain JSON. */
export type CalibratorParams =
  | { readonly method: 'temperature'; readonly temperature: number }
  | { readonly method: 'platt'; readonly a: number; readonly b: number }
  | { readonly method: 'isotonic'; readonly thresholds: readonly number[]; readonly values: readonly number[] }
  | { readonly method: 'histogram'; readonly bins: number; readonly accuracies: readonly (number | null)[] };

/** A fitted post-hoc calibrator of binary confidences. */
export interface Calibrator {
  /** Method name, e.g. `"temperature"`, `"platt"`, `"isotonic"`, `"histogram"`. */
  readonly method: CalibratorParams['method'];
  /** The fitted parameters, plain JSON (`JSON.stringify(calibrator.params)` round-trips through `calibratorFromParams`). */
  readonly params: CalibratorParams;
  /** Maps raw confidences in [0, 1] to calibrated probabilities. */
  apply(confidences: readonly number[]): number[];
}

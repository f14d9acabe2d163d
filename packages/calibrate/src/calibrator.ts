/**
 * The calibrator contract: fitted on one split, applied on another, serialisable as JSON so a fitted
 * calibrator travels with the report that used it.
 */

/** A fitted post-hoc calibrator of binary confidences. */
export interface Calibrator<Params extends object = object> {
  /** Method name, e.g. `"temperature"`, `"platt"`, `"isotonic"`. */
  readonly method: string;
  /** The fitted parameters, plain JSON. */
  readonly params: Params;
  /** Maps raw confidences (or scores) to calibrated probabilities. */
  apply(values: readonly number[]): number[];
}

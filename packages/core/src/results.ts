/**
 * Result and provenance types shared by the stages: every number Trust Bench reports says which model,
 * data, seed and code produced it, and carries its uncertainty.
 */
import type { Intervention } from './interventions.js';

/**
 * How an answer was scored: `rule` (a written-out extractor), `loglikelihood` (options scored by the
 * model), `judge:<model id>`, `embedding:<model id>`, or `unavailable` (reported as not scored).
 */
export type Scorer = 'rule' | 'loglikelihood' | `judge:${string}` | `embedding:${string}` | 'unavailable';

/** A confidence interval. */
export interface ConfidenceInterval {
  readonly lower: number;
  readonly upper: number;
  /** Coverage, e.g. 0.95. */
  readonly level: number;
  /** How it was computed, e.g. `"percentile bootstrap, 1000 resamples, clustered"`. */
  readonly method: string;
}

/** A number with its sample size and (when computed) its interval. */
export interface Estimate {
  readonly value: number;
  readonly n: number;
  readonly ci?: ConfidenceInterval;
  readonly higherIsBetter?: boolean;
}

/** Where a result came from. */
export interface Provenance {
  readonly modelId: string;
  readonly modelRevision?: string;
  readonly datasetId: string;
  readonly datasetVersion: string;
  readonly seed: number;
  /** `@trustbench/*` package versions that produced it. */
  readonly packages: Readonly<Record<string, string>>;
}

/** The model part of a run manifest. */
export interface ModelManifest {
  readonly id: string;
  readonly revision?: string;
  /** sha256 of each weights file, by file name. */
  readonly weightsSha256?: Readonly<Record<string, string>>;
  readonly engine?: string;
  readonly precision?: string;
  readonly interventions?: readonly Intervention[];
}

/** Everything needed to rerun a run and get the same numbers. */
export interface RunManifest {
  readonly runId: string;
  readonly createdAt: string;
  readonly model: ModelManifest;
  readonly datasets: readonly { readonly id: string; readonly version: string; readonly count: number }[];
  readonly seed: number;
  readonly threads?: number;
  readonly batchSize?: number;
  readonly config: Readonly<Record<string, unknown>>;
  readonly packages: Readonly<Record<string, string>>;
}

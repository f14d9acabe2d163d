/**
 * Runs side by side: each run's score per dimension (with its bootstrap interval), and, against a chosen baseline
 * run, the paired difference per dimension over the items both runs share (loop's `compareItems`: paired clustered
 * bootstrap CI, McNemar with Holm). A difference is only called better or worse when its CI excludes zero.
 */
import { compareItems, type DimensionComparison } from '@trustbench/loop';
import type { HeadlineScore, LoadedRun, RunStatus } from './run-index.js';

/** A run's difference from the baseline on one dimension (the parts of loop's comparison the leaderboard shows). */
export type BaselineDelta = Pick<DimensionComparison, 'difference' | 'verdict' | 'pairs' | 'holmPValue'>;

/** One run of the leaderboard. */
export interface LeaderboardRow {
  readonly id: string;
  readonly model: string;
  readonly createdAt: string;
  readonly status: RunStatus;
  readonly scores: Readonly<Record<string, HeadlineScore>>;
  /** Mean of the dimension scores (unweighted), for ordering; null without scores. */
  readonly mean: number | null;
  /** Per dimension against the baseline; null for the baseline itself or when no baseline is chosen. */
  readonly deltas: Readonly<Record<string, BaselineDelta>> | null;
}

/** The leaderboard. */
export interface Leaderboard {
  readonly baseline: string | null;
  readonly dimensions: readonly string[];
  readonly rows: readonly LeaderboardRow[];
}

/**
 * Builds the leaderboard of readable runs, best mean first.
 *
 * @param baseline id of the baseline run, or null.
 * @param options bootstrap seed and resamples of the paired comparisons.
 * @example
 * const board = buildLeaderboard(ids.map((id) => loadRun('runs', id)), 'baseline', { seed: 0, iterations: 1000 });
 */
export function buildLeaderboard(runs: readonly LoadedRun[], baseline: string | null, options: { readonly seed: number; readonly iterations: number }): Leaderboard {
  const readable = runs.filter((r) => r.summary.status !== 'unreadable');
  const base = baseline === null ? undefined : readable.find((r) => r.summary.id === baseline);
  const dimensions = [...new Set(readable.flatMap((r) => Object.keys(r.summary.scores)))].sort();
  const rows = readable.map((run): LeaderboardRow => {
    const values = Object.values(run.summary.scores).map((s) => s.value);
    let deltas: Record<string, BaselineDelta> | null = null;
    if (base && base !== run) {
      deltas = {};
      for (const c of compareItems(base.items, run.items, options)) deltas[c.dimension] = { difference: c.difference, verdict: c.verdict, pairs: c.pairs, holmPValue: c.holmPValue };
    }
    return {
      id: run.summary.id, model: run.summary.model, createdAt: run.summary.createdAt, status: run.summary.status, scores: run.summary.scores,
      mean: values.length > 0 ? values.reduce((a, b) => a + b, 0) / values.length : null, deltas,
    };
  });
  rows.sort((a, b) => (b.mean ?? -1) - (a.mean ?? -1) || a.id.localeCompare(b.id));
  return { baseline: base ? base.summary.id : null, dimensions, rows };
}

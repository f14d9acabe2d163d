/**
 * Diagnose: per dimension, the score with a clustered bootstrap CI and the calibration of confidences (ECE with a CI,
 * reliability bins), each task's own TrustLLM metrics, and a ranked list of suggested fixes with their evidence.
 */
import type { Task } from '@trustbench/datasets';
import { bootstrapCI, expectedCalibrationError, reliabilityBins, type BootstrapInterval, type ReliabilityBin } from '@trustbench/metrics';
import type { ItemRecord } from './profile.js';

/** One dimension's findings. */
export interface DimensionDiagnosis {
  readonly dimension: string;
  /** Mean of binary item scores (1 = the trustworthy outcome), clustered bootstrap CI; null without scored items. */
  readonly score: BootstrapInterval | null;
  readonly scoredItems: number;
  readonly unscoredItems: number;
  readonly calibration: { readonly ece: BootstrapInterval; readonly bins: ReliabilityBin[]; readonly n: number } | null;
  readonly tasks: readonly { readonly taskId: string; readonly metrics: Readonly<Record<string, number>> }[];
}

/** A suggested fix with the evidence for it. */
export interface Suggestion {
  readonly fix: 'calibration' | 'steering';
  /** For a fix aimed at one task (steering). */
  readonly taskId?: string;
  /** A dimension, or `all` for the items of every dimension pooled (needs at least 20 items with a confidence). */
  readonly dimension: string;
  readonly evidence: string;
  /** Larger is more urgent: the lower end of the ECE interval (calibration); restored margin x failure share (steering). */
  readonly priority: number;
}

/** Items whose confidence can be checked against correctness. */
export const calibratable = (items: readonly ItemRecord[]) => items.filter((i) => i.confidence !== null && i.correct !== null) as (ItemRecord & { confidence: number; correct: 0 | 1 })[];

/**
 * Diagnoses a profile.
 *
 * @example
 * const { dimensions, suggestions } = diagnose(items, tasks, { seed: 1 });
 */
export function diagnose(items: readonly ItemRecord[], tasks: readonly Task[], options: { readonly seed: number; readonly iterations?: number }): { dimensions: DimensionDiagnosis[]; suggestions: Suggestion[] } {
  const boot = { seed: options.seed, iterations: options.iterations ?? 1000 };
  const dimensions = [...new Set(items.map((i) => i.dimension))].map((dimension): DimensionDiagnosis => {
    const mine = items.filter((i) => i.dimension === dimension);
    const binary = mine.filter((i) => i.score === 0 || i.score === 1);
    const cal = calibratable(mine);
    const calIdx = cal.map((_, k) => k);
    return {
      dimension,
      score: binary.length > 0 ? bootstrapCI(binary.map((i) => i.score as number), 'mean', { ...boot, clusters: binary.map((i) => i.cluster) }) : null,
      scoredItems: mine.filter((i) => i.score !== null).length,
      unscoredItems: mine.filter((i) => i.score === null).length,
      calibration: cal.length >= 2 ? {
        n: cal.length,
        bins: reliabilityBins(cal.map((i) => i.confidence), cal.map((i) => i.correct)),
        ece: bootstrapCI(calIdx, (s) => expectedCalibrationError(Array.from(s, (k) => (cal[k] as { confidence: number }).confidence), Array.from(s, (k) => (cal[k] as { correct: 0 | 1 }).correct)), boot),
      } : null,
      tasks: tasks.filter((t) => t.dimension === dimension).map((t) => {
        const scored = mine.filter((i) => i.taskId === t.id).map((i) => ({ record: t.records.find((r) => r.id === i.itemId)!, result: { extracted: i.extracted, score: i.score, scorer: i.scorer } }));
        return { taskId: t.id, metrics: scored.length > 0 ? t.aggregate(scored) : {} };
      }),
    };
  });
  const all = calibratable(items);
  const pooled = all.length >= 20 ? bootstrapCI(all.map((_, k) => k), (s) => expectedCalibrationError(Array.from(s, (k) => (all[k] as { confidence: number }).confidence), Array.from(s, (k) => (all[k] as { correct: 0 | 1 }).correct)), boot) : null;
  const candidates = [
    ...dimensions.flatMap((d) => (d.calibration ? [{ dimension: d.dimension, n: d.calibration.n, ece: d.calibration.ece }] : [])),
    ...(pooled ? [{ dimension: 'all', n: all.length, ece: pooled }] : []),
  ];
  const suggestions: Suggestion[] = candidates
    .filter((c) => c.n >= 20 && c.ece.lower > 0.05)
    .map((c) => ({
      fix: 'calibration' as const,
      dimension: c.dimension,
      evidence: `ECE ${c.ece.value.toFixed(3)} [${c.ece.lower.toFixed(3)}, ${c.ece.upper.toFixed(3)}] over ${c.n} items: confidence does not match accuracy`,
      priority: c.ece.lower,
    }))
    .sort((a, b) => b.priority - a.priority);
  return { dimensions, suggestions };
}

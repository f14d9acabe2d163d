/**
 * Using @trustbench/metrics alone, inside someone else's eval code: you already have each item's confidence and
 * whether the answer was right, before and after some change; get calibration with an interval and a paired test.
 */
import { bootstrapCI, expectedCalibrationError, mcnemarExact, pairedBootstrap } from '@trustbench/metrics';

/** Scores a small eval run and returns the numbers it prints. */
export function main(): { accuracy: number; accuracyCI: [number, number]; ece: number; eceCI: [number, number]; improvement: number; improvementCI: [number, number]; mcnemarP: number } {
  // 12 items: confidence and correctness before a fix, correctness after it.
  const confidence = [0.95, 0.9, 0.92, 0.85, 0.99, 0.8, 0.88, 0.97, 0.93, 0.9, 0.86, 0.91];
  const before = [1, 0, 1, 0, 1, 0, 1, 1, 0, 1, 0, 1] as const;
  const after = [1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 1] as const;

  const accuracy = bootstrapCI([...before], 'mean', { seed: 7 });
  const idx = confidence.map((_, i) => i);
  const ece = bootstrapCI(idx, (s) => expectedCalibrationError(Array.from(s, (i) => confidence[i]!), Array.from(s, (i) => before[i]!), { bins: 5 }), { seed: 7 });
  const diff = pairedBootstrap([...before], [...after], 'mean', { seed: 7 });
  const { pValue } = mcnemarExact(before, after);

  console.log(`accuracy ${accuracy.value.toFixed(3)} [${accuracy.lower.toFixed(3)}, ${accuracy.upper.toFixed(3)}] (${accuracy.method})`);
  console.log(`ECE ${ece.value.toFixed(3)} [${ece.lower.toFixed(3)}, ${ece.upper.toFixed(3)}]: confident and often wrong`);
  console.log(`after the fix: accuracy +${diff.value.toFixed(3)} [${diff.lower.toFixed(3)}, ${diff.upper.toFixed(3)}], McNemar exact p = ${pValue.toFixed(4)}`);
  return {
    accuracy: accuracy.value, accuracyCI: [accuracy.lower, accuracy.upper],
    ece: ece.value, eceCI: [ece.lower, ece.upper],
    improvement: diff.value, improvementCI: [diff.lower, diff.upper], mcnemarP: pValue,
  };
}

if (import.meta.url === `file://${process.argv[1]}`) main();

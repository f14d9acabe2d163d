/**
 * Using @trustbench/metrics alone, inside someone else's eval code: score predictions you already have.
 */
import { accuracy } from '@trustbench/metrics';

/** Scores a handful of predictions and returns the numbers it prints. */
export function main(): { accuracy: number } {
  const gold = ['yes', 'no', 'yes', 'yes'];
  const predictions = ['yes', 'no', 'no', 'yes'];
  const result = { accuracy: accuracy(predictions, gold) };
  console.log(`accuracy ${result.accuracy.toFixed(3)} on ${gold.length} items`);
  return result;
}

if (import.meta.url === `file://${process.argv[1]}`) main();

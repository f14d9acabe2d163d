/**
 * Tests and corrections: chi-square independence, exact McNemar, Holm and Benjamini-Hochberg adjustments, and the
 * minimum detectable effect (so "no detectable effect" can say what it could have detected).
 */
import { InputError } from '@trustbench/core';
import { logGamma, normalQuantile, upperGammaQ } from './internal/special-functions.js';
import { checkOpenUnit, checkSameLength, toBinary, type BinaryLabel } from './internal/validate.js';

/** Result of a chi-square test. */
export interface ChiSquareResult {
  readonly statistic: number;
  readonly degreesOfFreedom: number;
  readonly pValue: number;
}

/**
 * Pearson chi-square test of independence on a contingency table (rows x columns of counts), no continuity correction
 * (as scipy's `chi2_contingency` for tables larger than 2x2): X^2 = sum (O - E)^2 / E, E = row total * column total / N,
 * df = (r - 1)(c - 1), p = Q(df / 2, X^2 / 2). Rows or columns that sum to zero are dropped.
 *
 * @param table Counts, rows x columns (every row the same length).
 * @returns The statistic X^2, its degrees of freedom, and the p-value (`higherIsBetter` does not apply).
 * @throws {InputError} for negative or non-integer counts, ragged rows, or a table with fewer than 2 non-empty rows or
 *   columns (independence is then untestable).
 * @example
 * chiSquareIndependence([[10, 20], [20, 10]]) // X^2 = 6.667, df 1, p = 0.00982
 */
export function chiSquareIndependence(table: readonly (readonly number[])[]): ChiSquareResult {
  table.forEach((row, i) => {
    if (row.length !== table[0]?.length) throw new InputError(`chiSquareIndependence: table[${i}] has ${row.length} columns, table[0] has ${table[0]?.length}; the table must be rectangular`);
  });
  table.forEach((row, i) => row.forEach((v, j) => {
    if (!Number.isInteger(v) || v < 0) throw new InputError(`chiSquareIndependence: table[${i}][${j}] must be a non-negative integer count, got ${v}`);
  }));
  const colsAll = table[0]?.length ?? 0;
  const rows = table.filter((r) => r.reduce((a, b) => a + b, 0) > 0);
  const keepCols = Array.from({ length: colsAll }, (_, j) => j).filter((j) => rows.some((r) => (r[j] as number) > 0));
  if (rows.length < 2 || keepCols.length < 2) throw new InputError(`chiSquareIndependence: needs at least 2 non-empty rows and 2 non-empty columns, got ${rows.length} and ${keepCols.length}`);
  const rowSums = rows.map((r) => keepCols.reduce((s, j) => s + (r[j] as number), 0));
  const colSums = keepCols.map((j) => rows.reduce((s, r) => s + (r[j] as number), 0));
  const n = rowSums.reduce((a, b) => a + b, 0);
  let x2 = 0;
  rows.forEach((r, i) => keepCols.forEach((j, k) => {
    const e = ((rowSums[i] as number) * (colSums[k] as number)) / n;
    x2 += ((r[j] as number) - e) ** 2 / e;
  }));
  const df = (rows.length - 1) * (keepCols.length - 1);
  return { statistic: x2, degreesOfFreedom: df, pValue: upperGammaQ(df / 2, x2 / 2) };
}

/**
 * Exact McNemar test on paired binary outcomes: b = #(before right, after wrong), c = #(before wrong, after right);
 * p = min(1, 2 P(X <= min(b, c))) with X ~ Binomial(b + c, 1/2) (scipy's `binomtest(b, b + c, 0.5)`, which for p = 1/2
 * is the same two-sided test). With no discordant pair, p = 1. P(X = k) = C(n, k) / 2^n by a recurrence (n <= 1000) or
 * log-gamma (beyond, where 2^-n underflows).
 *
 * @param before Per item, whether the answer before the change was right.
 * @param after Per item, whether the answer after it was right, same length.
 * @returns b, c and the two-sided p-value.
 * @throws {InputError} for empty input, different lengths, or labels other than 0/1/boolean.
 * @example
 * mcnemarExact([1, 1, 1, 0, 0, 0, 0, 0], [1, 1, 1, 1, 1, 1, 1, 0]) // b = 0, c = 4 -> p = 2 * 0.5^4 = 0.125
 */
export function mcnemarExact(before: readonly BinaryLabel[], after: readonly BinaryLabel[]): { b: number; c: number; pValue: number } {
  checkSameLength('mcnemarExact', 'before', before.length, 'after', after.length);
  if (before.length === 0) throw new InputError('mcnemarExact: empty input; there are no pairs to test');
  const x = toBinary('mcnemarExact', before, 'before');
  const y = toBinary('mcnemarExact', after, 'after');
  let b = 0;
  let c = 0;
  for (let i = 0; i < x.length; i++) {
    if (x[i] === 1 && y[i] === 0) b++;
    if (x[i] === 0 && y[i] === 1) c++;
  }
  const n = b + c;
  if (n === 0) return { b, c, pValue: 1 };
  let tail = 0;
  if (n <= 1000) {
    // C(n, k) / 2^n by the recurrence term_{k+1} = term_k (n - k) / (k + 1): exact to rounding.
    let term = 2 ** -n;
    for (let k = 0; k <= Math.min(b, c); k++) {
      tail += term;
      term *= (n - k) / (k + 1);
    }
  } else {
    for (let k = 0; k <= Math.min(b, c); k++) tail += Math.exp(logGamma(n + 1) - logGamma(k + 1) - logGamma(n - k + 1) - n * Math.LN2);
  }
  return { b, c, pValue: Math.min(1, 2 * tail) };
}

function checkPValues(name: string, p: readonly number[]): void {
  p.forEach((x, i) => {
    if (!(x >= 0 && x <= 1)) throw new InputError(`${name}: pValues[${i}] must be in [0, 1], got ${x}`);
  });
}

/**
 * Holm's step-down adjustment (controls the family-wise error rate): with p sorted ascending,
 * adj_(i) = max_{j <= i} min(1, (m - j + 1) p_(j)). Returned in the input order (as statsmodels'
 * `multipletests(method='holm')`). An empty list gives an empty list.
 *
 * @param pValues Raw p-values in [0, 1].
 * @returns Adjusted p-values; reject where adjusted <= alpha.
 * @throws {InputError} for a p-value that is NaN or outside [0, 1].
 * @example
 * holm([0.01, 0.04, 0.03]) // [0.03, 0.06, 0.06]
 */
export function holm(pValues: readonly number[]): number[] {
  checkPValues('holm', pValues);
  const m = pValues.length;
  const order = Array.from(pValues.keys()).sort((a, b) => (pValues[a] as number) - (pValues[b] as number));
  const out = new Array<number>(m);
  let running = 0;
  order.forEach((idx, j) => {
    running = Math.max(running, Math.min(1, (m - j) * (pValues[idx] as number)));
    out[idx] = running;
  });
  return out;
}

/**
 * Benjamini-Hochberg adjustment (controls the false discovery rate): with p sorted ascending,
 * adj_(i) = min_{j >= i} min(1, m p_(j) / j). Returned in the input order (as scipy's `false_discovery_control`).
 * An empty list gives an empty list.
 *
 * @param pValues Raw p-values in [0, 1].
 * @returns Adjusted p-values (q-values); reject where adjusted <= the target FDR.
 * @throws {InputError} for a p-value that is NaN or outside [0, 1].
 * @example
 * benjaminiHochberg([0.01, 0.04, 0.03]) // [0.03, 0.04, 0.04]
 */
export function benjaminiHochberg(pValues: readonly number[]): number[] {
  checkPValues('benjaminiHochberg', pValues);
  const m = pValues.length;
  const order = Array.from(pValues.keys()).sort((a, b) => (pValues[a] as number) - (pValues[b] as number));
  const out = new Array<number>(m);
  let running = 1;
  for (let j = m - 1; j >= 0; j--) {
    const idx = order[j] as number;
    running = Math.min(running, Math.min(1, (m * (pValues[idx] as number)) / (j + 1)));
    out[idx] = running;
  }
  return out;
}

/**
 * Minimum detectable effect of a two-sided test at level alpha with the given power, for a mean of n independent
 * observations with standard deviation sd: MDE = (z_{1 - alpha/2} + z_{power}) sd / sqrt(n).
 * For a proportion use sd = sqrt(p (1 - p)); for a paired before/after difference, the sd of the per-item differences.
 * A normal approximation: state it next to a "no detectable effect" verdict ("could have detected +0.14 or more").
 *
 * @param options `n` (> 0) observations, their `sd` (>= 0), `alpha` (default 0.05) and `power` (default 0.8).
 * @returns The smallest true effect the test detects with the given power.
 * @throws {InputError} for n <= 0, sd < 0 or NaN, or alpha or power outside (0, 1).
 * @example
 * minimumDetectableEffect({ n: 100, sd: 0.5 }) // (1.95996 + 0.84162) * 0.05 = 0.1401
 */
export function minimumDetectableEffect(options: { readonly n: number; readonly sd: number; readonly alpha?: number; readonly power?: number }): number {
  const { n, sd } = options;
  const alpha = options.alpha ?? 0.05;
  const power = options.power ?? 0.8;
  if (!(n > 0) || !(sd >= 0)) throw new InputError(`minimumDetectableEffect: needs n > 0 and sd >= 0, got n ${n} and sd ${sd}`);
  checkOpenUnit('minimumDetectableEffect', 'alpha', alpha);
  checkOpenUnit('minimumDetectableEffect', 'power', power);
  return ((normalQuantile(1 - alpha / 2) + normalQuantile(power)) * sd) / Math.sqrt(n);
}

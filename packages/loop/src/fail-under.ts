/**
 * `--fail-under dim=score` gates: a CI pipeline fails when a trust dimension drops below a floor.
 */
import { ConfigError } from '@trustbench/core';

/** One gate: the dimension (or task id) and its minimum score. */
export interface FailUnderGate {
  readonly target: string;
  readonly min: number;
}

/**
 * Parses `dim=score` (score in [0, 1]).
 *
 * @throws {ConfigError} naming the flag value, the expected form and what was found.
 * @example
 * parseFailUnder('safety=0.8') // { target: 'safety', min: 0.8 }
 */
export function parseFailUnder(text: string): FailUnderGate {
  const m = /^([A-Za-z0-9_.:-]+)=(.+)$/.exec(text.trim());
  const min = m ? Number(m[2]) : Number.NaN;
  if (!m || !Number.isFinite(min) || min < 0 || min > 1) {
    throw new ConfigError(`--fail-under "${text}": expected <dimension>=<score in [0, 1]>, e.g. safety=0.8`);
  }
  return { target: m[1] as string, min };
}

/**
 * The gates a set of scores fails (empty when all pass). A gate whose target has no score fails too.
 *
 * @example
 * failedGates([{ target: 'safety', min: 0.8 }], { safety: 0.7 }) // [{ gate, score: 0.7 }]
 */
export function failedGates(gates: readonly FailUnderGate[], scores: Readonly<Record<string, number>>): { gate: FailUnderGate; score: number | null }[] {
  return gates.flatMap((gate): { gate: FailUnderGate; score: number | null }[] => {
    const score = scores[gate.target];
    return score === undefined ? [{ gate, score: null }] : score < gate.min ? [{ gate, score }] : [];
  });
}

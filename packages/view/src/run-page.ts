/**
 * What the run page shows, in one JSON answer: the summary row, the manifest, the report's tables, the plots as
 * Vega-Lite specs (null where the report lacks the data), and the run's files that can be downloaded.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { RunManifest } from '@trustbench/core';
import type { CalibrationFixResult, Suggestion } from '@trustbench/loop';
import type { TopLevelSpec } from 'vega-lite';
import { dimensionScoresSpec, layerProbesSpec, reliabilitySpec, steeringSpec } from './charts.js';
import type { ReportExtras } from './report-extras.js';
import type { RunReport } from './report-file.js';
import type { LoadedRun, RunSummary } from './run-index.js';

/** The run page's data. */
export interface RunPage {
  readonly summary: RunSummary;
  readonly manifest: RunManifest | null;
  readonly report: Pick<RunReport, 'dimensions' | 'tokens' | 'layers' | 'steering' | keyof ReportExtras> | null;
  readonly suggestions: readonly Suggestion[];
  readonly fixes: readonly Omit<CalibrationFixResult, 'binsBefore' | 'binsAfter'>[];
  readonly charts: {
    readonly scores: TopLevelSpec | null;
    readonly reliability: TopLevelSpec | null;
    readonly fixes: TopLevelSpec | null;
    readonly layers: TopLevelSpec | null;
    readonly steering: TopLevelSpec | null;
  };
  /** Files of the run folder, as paths under the runs folder (served by /files/). */
  readonly files: readonly string[];
}

const FILES = ['report.html', 'report.json', 'items.csv', 'manifest.json', 'journal.jsonl', 'signals.arrow'];

/** The report's optional fields the page shows, each only when present. */
const SHOWN = ['tokens', 'layers', 'steering', 'signalDifferences', 'locations', 'steeringFixes', 'critique', 'consistency', 'cost'] as const satisfies readonly (keyof RunReport)[];

/**
 * Builds the run page's data.
 *
 * @example
 * const page = runPage(loadRun('runs', 'demo'));
 */
export function runPage(run: LoadedRun): RunPage {
  const r = run.report;
  const fixes = r?.fixes ?? [];
  const id = run.summary.id;
  return {
    summary: run.summary,
    manifest: run.manifest,
    report: r ? { dimensions: r.dimensions, ...Object.fromEntries(SHOWN.flatMap((k) => (r[k] === undefined ? [] : [[k, r[k]]]))) } : null,
    suggestions: r?.suggestions ?? [],
    fixes: fixes.map(({ binsBefore: _b, binsAfter: _a, ...rest }) => rest),
    charts: {
      scores: r ? dimensionScoresSpec(r.dimensions) : null,
      reliability: r ? reliabilitySpec('Reliability by dimension (dashed: perfect calibration)', r.dimensions.flatMap((d) => (d.calibration ? [{ series: d.dimension, bins: d.calibration.bins }] : []))) : null,
      fixes: fixes.length > 0
        ? reliabilitySpec('Calibration fixes on held-out items', [{ series: 'uncalibrated', bins: (fixes[0] as CalibrationFixResult).binsBefore }, ...fixes.map((f) => ({ series: `${f.method} (${f.verdict})`, bins: f.binsAfter }))])
        : null,
      layers: r?.layers ? layerProbesSpec(r.layers) : null,
      steering: r?.steering ? steeringSpec(r.steering) : null,
    },
    files: FILES.filter((f) => existsSync(path.join(run.dir, f))).map((f) => (id === '.' ? f : `${id}/${f}`)),
  };
}

/**
 * The report stage: diagnose, fit and verify calibration, gather the white-box and critique results, and write
 * report.json, report.html and items.csv; re-run from a journal, it reads the stages' results from the run folder.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { RunManifest } from '@trustbench/core';
import type { Task } from '@trustbench/datasets';
import type { ComparisonRow } from '@trustbench/signals';
import { calibrationFix } from './calibration-fix.js';
import type { CritiqueFixResult } from './critique-fix.js';
import { diagnose, type Suggestion } from './diagnose.js';
import { LOCATED, type WhiteBoxFindings } from './fix-stages.js';
import type { FailureLocation } from './locate-failures.js';
import type { ItemRecord } from './profile.js';
import { repeatability } from './repeatability.js';
import { itemsCsv, layerKind, renderHtml } from './report.js';
import { readRun } from './run-folder.js';
import type { LoopResult, RunConfig } from './run-loop.js';
import type { SteeringFixResult } from './steering-fix.js';

/**
 * Diagnoses, fixes, verifies and writes the report files from items (also used to re-render a run from its journal;
 * the white-box results are then read from the folder's locations.json and steering.json when present).
 */
export function writeReport(
  out: string, manifest: RunManifest, items: readonly ItemRecord[], tasks: readonly Task[],
  options: { seed: number; iterations: number; whiteBox?: WhiteBoxFindings; critique?: CritiqueFixResult },
): LoopResult {
  const diagnosis = diagnose(items, tasks, options);
  const fixes = calibrationFix(items, options);
  const { locations, steering, signalDifferences } = options.whiteBox ?? readWhiteBox(out);
  const critique = options.critique ?? (existsSync(path.join(out, 'critique.json')) ? (JSON.parse(readFileSync(path.join(out, 'critique.json'), 'utf8')) as CritiqueFixResult) : null);
  const repeats = readdirSync(out).filter((f) => /^repeat-\d+$/.test(f)).sort((a, b) => Number(a.slice(7)) - Number(b.slice(7))).map((f) => readRun(path.join(out, f)).items);
  const consistency = repeats.length > 0 ? repeatability([items, ...repeats]) : [];
  const suggestions = [...diagnosis.suggestions, ...steeringSuggestions(locations)].sort((a, b) => b.priority - a.priority);
  const { dimensions } = diagnosis;
  const files = { report: path.join(out, 'report.html'), json: path.join(out, 'report.json'), csv: path.join(out, 'items.csv'), journal: path.join(out, 'journal.jsonl') };
  const tokens = { prompt: items.reduce((t, i) => t + i.tokens.prompt, 0), completion: items.reduce((t, i) => t + i.tokens.completion, 0) };
  const pricing = (manifest.config as unknown as RunConfig).pricing;
  // Cost of the profile's tokens: prompt x price + completion x price, per million.
  const cost = pricing ? { usd: (tokens.prompt * pricing.promptPerMillion + tokens.completion * pricing.completionPerMillion) / 1e6, pricing } : null;
  const steered = steering.find((s): s is SteeringFixResult => 'target' in s);
  const top = steered ? locations.find((l) => l.taskId === steered.taskId) : locations[0];
  // `layers` and `steering` in the dashboard's shape; `locations` and `steeringFixes` in full.
  const layers = top?.layers.map((l) => ({ layer: l.layer, layerType: l.layerType, probeAccuracy: l.probeAccuracy, effect: Math.max(l.mixerRestored, l.mlpRestored), taskId: top.taskId }));
  const steeringView = steered ? {
    dimension: steered.dimension, taskId: steered.taskId, layer: steered.layer, layerType: steered.layerType, alpha: steered.alpha, verdict: steered.verdict,
    sweep: steered.sweep.map((p) => ({ layer: p.layer, layerType: p.layerType, alpha: p.alpha, target: p.target, sideEffect: p.sideEffect })),
  } : undefined;
  writeFileSync(files.json, JSON.stringify({ manifest, items: items.length, tokens, cost, dimensions, suggestions, fixes, critique, consistency, locations, signalDifferences, steeringFixes: steering, ...(layers ? { layers } : {}), ...(steeringView ? { steering: steeringView } : {}) }, null, 2));
  writeFileSync(files.csv, itemsCsv(items));
  writeFileSync(files.report, renderHtml({ manifest: manifest as unknown as Record<string, unknown>, dimensions, suggestions, fixes, items, locations, steering, consistency, critique, cost, signalDifferences }));
  return { manifest, items, dimensions, suggestions, fixes, critique, consistency, locations, signalDifferences, steering, files };
}

function readWhiteBox(out: string): WhiteBoxFindings {
  const read = <T>(file: string, empty: T): T => (existsSync(path.join(out, file)) ? (JSON.parse(readFileSync(path.join(out, file), 'utf8')) as T) : empty);
  return { locations: read<FailureLocation[]>('locations.json', []), steering: read<LoopResult['steering']>('steering.json', []), signalDifferences: read<ComparisonRow[]>('signal-differences.json', []) };
}

/** A steering suggestion per task whose failures a component's patch largely restores; priority = restored x failure share. */
function steeringSuggestions(locations: readonly FailureLocation[]): Suggestion[] {
  return locations.filter((l) => l.top.restored >= LOCATED).map((l) => {
    const readable = l.layers.find((x) => x.probeAccuracy >= 0.9);
    return {
      fix: 'steering' as const, dimension: l.dimension, taskId: l.taskId,
      evidence: `${l.failedItems} of ${l.failedItems + l.passedItems} items of ${l.taskId} fail; patching the ${l.top.component} output of layer ${l.top.layer} (${layerKind(l.top.layerType)}) from passed items restores ${(100 * l.top.restored).toFixed(0)}% of the answer margin over ${l.patchedPairs} failed items`
        + (readable ? `; a failed-vs-passed probe reads the failure from layer ${readable.layer} on (held-out accuracy ${readable.probeAccuracy.toFixed(2)})${readable.layer < l.top.layer ? ', before the layer that causes it: the input already tells the items apart' : ''}` : '; no layer\'s probe reads the failure (held-out accuracy < 0.9)'),
      priority: l.top.restored * (l.failedItems / (l.failedItems + l.passedItems)),
    };
  });
}

/**
 * The loop's stages after the profile: for white-box models, signals of failed vs passed items, locating failures
 * inside the model and the steering fix; critique-and-revise when asked for. Each stage journals or caches its work in
 * the run folder, so a rerun with `resume` continues it.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { isWhiteBox } from '@trustbench/core';
import type { ComparisonRow } from '@trustbench/signals';
import { loadConstitution } from '@trustbench/steer';
import { critiqueFix, type CritiquedItem, type CritiqueFixResult } from './critique-fix.js';
import { failureSignals } from './failure-signals.js';
import { openJournal } from './journal.js';
import { locateFailures, type FailureLocation } from './locate-failures.js';
import type { ItemRecord } from './profile.js';
import type { LoopOptions, LoopResult } from './run-loop.js';
import { steeringFix, type SteeredItem } from './steering-fix.js';

/** What the white-box stages found (also read back from a run folder). */
export interface WhiteBoxFindings {
  readonly locations: readonly FailureLocation[];
  readonly steering: LoopResult['steering'];
  readonly signalDifferences: readonly ComparisonRow[];
}

/** Critique-and-revise on the test split (records journaled in critique.jsonl, the result in critique.json). */
export async function runCritique(options: LoopOptions, settings: NonNullable<LoopOptions['critique']>, items: readonly ItemRecord[], seed: number, iterations: number): Promise<CritiqueFixResult> {
  const constitution = await loadConstitution(settings.constitution);
  const journal = openJournal<CritiquedItem>(path.join(options.out, 'critique.jsonl'), { seed, rounds: settings.rounds ?? 1, constitution: `${constitution.name}@${constitution.version}` }, (r) => r.key);
  try {
    const result = await critiqueFix(options.model, items, options.tasks, {
      seed, constitution, iterations, journal, ...(settings.rounds !== undefined ? { rounds: settings.rounds } : {}), ...(options.maxTokens !== undefined ? { maxTokens: options.maxTokens } : {}),
      ...(options.onStage ? { onProgress: (p) => options.onStage?.({ stage: 'critique', ...p }) } : {}),
    });
    writeFileSync(path.join(options.out, 'critique.json'), JSON.stringify(result, null, 2));
    return result;
  } finally {
    journal.close();
  }
}

/** Minimum fraction of the margin a component's patch must restore for the loop to try steering there. */
export const LOCATED = 0.5;

/**
 * Locates failures (cached in locations.json) and steers each located task (steered items journaled in
 * steering.jsonl, results in steering.json).
 */
export async function runWhiteBoxFixes(options: LoopOptions, items: readonly ItemRecord[], seed: number, iterations: number): Promise<WhiteBoxFindings> {
  const model = options.model;
  if (!isWhiteBox(model)) return { locations: [], steering: [], signalDifferences: [] };
  const sigFile = path.join(options.out, 'signal-differences.json');
  const signalDifferences = existsSync(sigFile) && options.resume ? (JSON.parse(readFileSync(sigFile, 'utf8')) as ComparisonRow[]) : await failureSignals(model, items, options.tasks, {
    seed, file: path.join(options.out, 'signals.arrow'), ...(options.onStage ? { onProgress: (p) => options.onStage?.({ stage: 'signals', ...p }) } : {}),
  });
  writeFileSync(sigFile, JSON.stringify(signalDifferences, null, 2));
  const locFile = path.join(options.out, 'locations.json');
  options.onStage?.({ stage: 'locate', done: 0, total: 1 });
  const locations = existsSync(locFile) && options.resume ? (JSON.parse(readFileSync(locFile, 'utf8')) as FailureLocation[]) : await locateFailures(model, items, options.tasks, { seed });
  writeFileSync(locFile, JSON.stringify(locations, null, 2));
  options.onStage?.({ stage: 'locate', done: 1, total: 1 });
  const journal = openJournal<SteeredItem>(path.join(options.out, 'steering.jsonl'), { seed, multipliers: options.steeringMultipliers ?? null }, (r) => r.steerKey);
  const steering: LoopResult['steering'][number][] = [];
  try {
    for (const location of locations.filter((l) => l.top.restored >= LOCATED)) {
      steering.push(await steeringFix(model, items, options.tasks, location, {
        seed, iterations, journal, ...(options.maxTokens !== undefined ? { maxTokens: options.maxTokens } : {}),
        ...(options.steeringMultipliers ? { multipliers: options.steeringMultipliers } : {}), ...(options.onStage ? { onProgress: options.onStage } : {}),
      }));
    }
  } finally {
    journal.close();
  }
  writeFileSync(path.join(options.out, 'steering.json'), JSON.stringify(steering, null, 2));
  return { locations, steering, signalDifferences };
}


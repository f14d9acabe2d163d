/**
 * All 24 TrustLLM files as tasks.
 */
import { ConfigError } from '@trustbench/core';
import { folderFromZip } from '../zip-folder.js';
import type { Task } from '../task.js';
import { loadTrustllmTask, type TrustllmSpec } from './define.js';
import { ethicsTasks } from './ethics.js';
import { fairnessTasks } from './fairness.js';
import { privacyTasks } from './privacy.js';
import { robustnessTasks } from './robustness.js';
import { safetyTasks } from './safety.js';
import { truthfulnessTasks } from './truthfulness.js';

/** The TrustLLM task table, in dimension order. */
export const TRUSTLLM_TASKS: readonly TrustllmSpec[] = [...truthfulnessTasks, ...safetyTasks, ...fairnessTasks, ...robustnessTasks, ...privacyTasks, ...ethicsTasks];

/**
 * Loads TrustLLM tasks from a dataset folder (the unzipped release: `<dimension>/<file>.json`) or the release zip.
 *
 * @param select Task ids (`safety.jailbreak`) or dimensions (`safety`); default all.
 * @throws {ConfigError} for an unknown id or dimension; {DataError} for a missing or malformed file.
 * @example
 * const tasks = await loadTrustllm('/data/trustllm', ['truthfulness', 'safety.misuse']);
 */
export async function loadTrustllm(source: string, select?: readonly string[]): Promise<Task[]> {
  const root = source.endsWith('.zip') ? folderFromZip(source, 'safety/jailbreak.json') : source;
  const specs = select === undefined ? TRUSTLLM_TASKS : TRUSTLLM_TASKS.filter((s) => select.includes(s.id) || select.includes(s.dimension));
  const unknown = (select ?? []).filter((x) => !TRUSTLLM_TASKS.some((s) => s.id === x || s.dimension === x));
  if (unknown.length > 0) throw new ConfigError(`unknown TrustLLM task or dimension "${unknown[0]}"; known: ${TRUSTLLM_TASKS.map((s) => s.id).join(', ')}`);
  return Promise.all(specs.map((s) => loadTrustllmTask(root, s)));
}

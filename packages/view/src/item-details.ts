/**
 * The item drill-down's rows: each journaled item joined with its prompt and gold answer. The journal keeps neither
 * (it keeps what the model did), so they are looked up in the dataset the manifest names (custom tasks in the files
 * their recorded options name); when that dataset cannot be loaded (moved), the items are shown without them and a
 * note says why.
 */
import { existsSync } from 'node:fs';
import type { RunManifest } from '@trustbench/core';
import { bundledTrustllmSample, type CustomTaskOptions, type TaskRecord } from '@trustbench/datasets';
import { loadRunTasks, type ItemRecord, type RunConfig } from '@trustbench/loop';

/** One item as the drill-down shows it. */
export interface ItemView extends ItemRecord {
  /** The prompt as text (chat turns as `role: content`), or null when the dataset is not at hand. */
  readonly prompt: string | null;
  /** The gold answer as the task stores it, or null (open-ended, or the dataset is not at hand). */
  readonly gold: unknown;
  /** Options of a multiple-choice item. */
  readonly options: readonly string[] | null;
}

/** The items of a run with their prompts, and why prompts are missing when they are. */
export interface ItemDetails {
  readonly items: readonly ItemView[];
  readonly note: string | null;
}

const promptText = (r: TaskRecord): string => (typeof r.prompt === 'string' ? r.prompt : r.prompt.map((m) => `${m.role}: ${m.content}`).join('\n\n'));

/**
 * Joins items with their dataset records.
 *
 * @param manifest the run's manifest (its `config.data` and `config.tasks` say where the tasks came from).
 * @returns every item with `prompt`, `gold` and `options` (null where unknown) and a note when the dataset could not be loaded.
 * @example
 * const { items, note } = await itemDetails(manifest, readRun('runs/demo').items);
 */
export async function itemDetails(manifest: RunManifest, items: readonly ItemRecord[]): Promise<ItemDetails> {
  const config = manifest.config as { data?: unknown; tasks?: unknown; customTasks?: readonly CustomTaskOptions[] };
  const data = typeof config.data === 'string' ? config.data : bundledTrustllmSample();
  const custom = Array.isArray(config.customTasks) ? config.customTasks : [];
  const tasks = Array.isArray(config.tasks) && config.tasks.every((t) => typeof t === 'string') ? (config.tasks as string[]) : [...new Set(items.map((i) => i.taskId))];
  const bare = (note: string): ItemDetails => ({ items: items.map((i) => ({ ...i, prompt: null, gold: null, options: null })), note });
  if (!existsSync(data)) return bare(`prompts and gold answers are not shown: the run's dataset ${data} is not on this machine`);
  let records: Map<string, TaskRecord>;
  try {
    // Custom tasks (recorded in the manifest with the options that load them) come from their own files; one whose
    // file is gone, or one the manifest does not record, is left out (its items show no prompt).
    const present = custom.filter((t) => existsSync(t.file));
    const { tasks: loaded } = await loadRunTasks({ ...(config as unknown as RunConfig), tasks, data, customTasks: present }, 'skip');
    records = new Map(loaded.flatMap((t) => t.records.map((r) => [`${t.id}|${r.id}`, r] as const)));
  } catch (e) {
    return bare(`prompts and gold answers are not shown: loading ${data} failed (${e instanceof Error ? e.message : String(e)})`);
  }
  const out = items.map((i): ItemView => {
    const r = records.get(i.key);
    return { ...i, prompt: r ? promptText(r) : null, gold: r?.gold ?? null, options: r?.choices?.options ?? null };
  });
  const missing = out.filter((i) => i.prompt === null).length;
  return { items: out, note: missing > 0 ? `${missing} of ${out.length} items were not found in ${data}: their prompts are not shown` : null };
}

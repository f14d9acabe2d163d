/**
 * Rerunning a run from its manifest: the same model (checked against the recorded weight hashes), dataset, items,
 * seeds and settings, into a new folder. Greedy runs reproduce every number exactly; sampled ones within the CIs.
 */
import { DataError, type LanguageModel, type RunManifest } from '@trustbench/core';
import { bundledTrustllmSample, loadCustomTask, loadTrustllm, TRUSTLLM_DIMENSIONS, type CustomTaskOptions, type Task } from '@trustbench/datasets';
import { loadModel } from '@trustbench/model';
import type { LoopOptions } from './run-loop.js';
import { hashWeightFiles } from './weights-hash.js';

/** The manifest's `config`, as `runProfile` writes it. */
interface RecordedConfig {
  readonly limit: number | null;
  readonly limits?: Readonly<Record<string, number>>;
  readonly maxTokens: number | null;
  readonly tasks: readonly string[];
  readonly data: string | null;
  readonly customTasks?: readonly CustomTaskOptions[];
  readonly sampleSeed?: number;
  readonly repeats?: number;
  readonly steering?: false | { readonly multipliers: readonly number[] | null };
  readonly critique?: false | { readonly rounds?: number; readonly constitution?: string };
  readonly pricing?: LoopOptions['pricing'];
}

/**
 * The loop options that repeat a run, with its model loaded.
 *
 * @param load loads the model from its source (default `loadModel`; a test or another engine may pass its own).
 * @throws {DataError} when the weights or a task file differ from the recorded hashes / versions, or a task is neither
 *   a TrustLLM task nor a recorded custom task.
 * @example
 * const options = await rerunOptions(readRun('runs/a').manifest, { out: 'runs/a-again' });
 * await runLoop(options);
 */
export async function rerunOptions(manifest: RunManifest, target: { readonly out: string }, load: (source: string) => Promise<LanguageModel> = loadModel): Promise<LoopOptions> {
  const c = manifest.config as unknown as RecordedConfig;
  const source = manifest.model.id.startsWith('local:') ? manifest.model.id.slice('local:'.length) : manifest.model.id;
  const recorded = manifest.model.weightsSha256;
  if (recorded) {
    const now = await hashWeightFiles(source);
    const changed = Object.keys(recorded).filter((f) => now?.[f] !== recorded[f]);
    if (changed.length > 0) throw new DataError(`${source}: the weights differ from the run's manifest (${changed.join(', ')}: expected sha256 ${recorded[changed[0] as string]?.slice(0, 12)}…, got ${now?.[changed[0] as string]?.slice(0, 12) ?? 'no such file'}); rerun on the recorded weights`);
  }
  const custom = new Map((c.customTasks ?? []).map((t) => [t.id, t]));
  const unknown = c.tasks.filter((t) => !custom.has(t) && !(TRUSTLLM_DIMENSIONS as readonly string[]).includes(t.split('.')[0] as string));
  if (unknown.length > 0) throw new DataError(`the run used task(s) ${unknown.join(', ')} that are neither TrustLLM tasks nor custom tasks recorded in the manifest; rerun it from code with the same task files (runLoop)`);
  const data = c.data ?? bundledTrustllmSample();
  const trustllm = c.tasks.filter((t) => !custom.has(t));
  const [model, fromTrustllm, fromFiles] = await Promise.all([
    load(source), trustllm.length > 0 ? loadTrustllm(data, trustllm) : Promise.resolve([]), Promise.all([...custom.values()].map((t) => loadCustomTask(t))),
  ]);
  const byId = new Map([...fromTrustllm, ...fromFiles].map((t) => [t.id, t]));
  const tasks = c.tasks.map((id) => byId.get(id) as Task);
  const versions = new Map(manifest.datasets.map((d) => [d.id, d.version]));
  const moved = tasks.filter((t) => versions.get(t.id) !== t.version);
  if (moved.length > 0) throw new DataError(`${data}: task ${moved[0]!.id} has version ${moved[0]!.version}, the run used ${versions.get(moved[0]!.id)}; rerun on the recorded dataset files`);
  return {
    model, tasks, out: target.out, data, seed: manifest.seed, ...(manifest.model.engine ? { engine: manifest.model.engine } : {}),
    ...(recorded ? { weightsSha256: recorded } : {}),
    ...(c.limit !== null ? { limit: c.limit } : {}), ...(c.limits ? { limits: c.limits } : {}), ...(c.maxTokens !== null ? { maxTokens: c.maxTokens } : {}),
    ...(c.sampleSeed !== undefined && c.sampleSeed !== manifest.seed ? { sampleSeed: c.sampleSeed } : {}),
    ...(c.repeats !== undefined ? { repeats: c.repeats } : {}),
    ...(c.steering === false ? { steering: false } : c.steering?.multipliers ? { steeringMultipliers: c.steering.multipliers } : {}),
    ...(c.critique ? { critique: c.critique } : {}), ...(c.pricing ? { pricing: c.pricing } : {}),
    ...(manifest.batchSize ? { concurrency: manifest.batchSize } : {}),
  };
}

/**
 * Rerunning a run from its manifest: the same model (checked against the recorded weight hashes), dataset, items,
 * seeds and settings, into a new folder. Greedy runs reproduce every number exactly; sampled ones within the CIs.
 */
import { ConfigError, DataError, type LanguageModel, type RunManifest } from '@trustbench/core';
import { bundledTrustllmSample, loadCustomTask, loadTrustllm, TRUSTLLM_DIMENSIONS, type Task } from '@trustbench/datasets';
import { loadEngineModel, type EngineChoice } from '@trustbench/model';
import type { LoopOptions, RunConfig } from './run-loop.js';
import { hashWeightFiles } from './weights-hash.js';

/**
 * The tasks a run used, in its order: TrustLLM tasks from its dataset folder, custom tasks from the options its manifest
 * records. A task that is neither (a custom task of a run made before manifests recorded them) throws, or is left out.
 *
 * @throws {DataError} naming the tasks, when `unknown` is `'throw'` and some task cannot be reloaded.
 * @example
 * const { tasks } = await loadRunTasks(readRun('runs/a').manifest.config as RunConfig, 'skip');
 */
export async function loadRunTasks(c: RunConfig, unknown: 'throw' | 'skip'): Promise<{ tasks: Task[]; data: string }> {
  const custom = new Map((c.customTasks ?? []).map((t) => [t.id, t]));
  const isTrustllm = (t: string) => (TRUSTLLM_DIMENSIONS as readonly string[]).includes(t.split('.')[0] as string);
  const missing = c.tasks.filter((t) => !custom.has(t) && !isTrustllm(t));
  if (missing.length > 0 && unknown === 'throw') throw new DataError(`the run used task(s) ${missing.join(', ')} that are neither TrustLLM tasks nor custom tasks recorded in the manifest; rerun it from code with the same task files (runLoop)`);
  const data = c.data ?? bundledTrustllmSample();
  const trustllm = c.tasks.filter((t) => !custom.has(t) && isTrustllm(t));
  const [fromTrustllm, fromFiles] = await Promise.all([trustllm.length > 0 ? loadTrustllm(data, trustllm) : Promise.resolve([]), Promise.all([...custom.values()].map((t) => loadCustomTask(t)))]);
  const byId = new Map([...fromTrustllm, ...fromFiles].map((t) => [t.id, t]));
  return { tasks: c.tasks.flatMap((id) => byId.get(id) ?? []), data };
}

/**
 * The engine choice that reloads a model on the engine a manifest records: `reference` (or no label, or `unknown`, the
 * label of a run whose caller named no engine) is the reference engine; `onnx-<precision>-<device>` is onnx.
 *
 * @throws {ConfigError} naming the label, for any other label.
 * @example
 * engineChoiceOf('onnx-fp16-cpu'); // { engine: 'onnx', precision: 'fp16', device: 'cpu' }
 */
export function engineChoiceOf(label: string | undefined): EngineChoice {
  if (label === undefined || label === 'reference' || label === 'unknown') return {};
  const onnx = /^onnx-(\w+)-(\w+)$/.exec(label);
  if (!onnx) throw new ConfigError(`the run's manifest records engine "${label}"; rerun reloads "reference" or "onnx-<precision>-<device>" (e.g. "onnx-int8-cpu") runs, so rerun this one from code with its model (runLoop)`);
  return { engine: 'onnx', precision: onnx[1] as string, device: onnx[2] as string };
}

/**
 * The loop options that repeat a run, with its model loaded on the engine its manifest records, and the engine
 * loader's notes about that choice (for the user; leave them out of the options given to `runLoop`).
 *
 * @param load loads the model from its source (default `loadEngineModel` on the recorded engine, see `engineChoiceOf`;
 *   a test or another engine may pass its own).
 * @throws {ConfigError} when the manifest records an engine rerun cannot reload.
 * @throws {DataError} when the weights or a task file differ from the recorded hashes / versions, or a task is neither
 *   a TrustLLM task nor a recorded custom task.
 * @example
 * const { notes, ...options } = await rerunOptions(readRun('runs/a').manifest, { out: 'runs/a-again' });
 * await runLoop(options);
 */
export async function rerunOptions(manifest: RunManifest, target: { readonly out: string }, load?: (source: string) => Promise<LanguageModel>): Promise<LoopOptions & { readonly notes: readonly string[] }> {
  const c = manifest.config as unknown as RunConfig;
  const choice = load ? undefined : engineChoiceOf(manifest.model.engine);
  const source = manifest.model.id.startsWith('local:') ? manifest.model.id.slice('local:'.length) : manifest.model.id;
  const recorded = manifest.model.weightsSha256;
  if (recorded) {
    const now = await hashWeightFiles(source);
    const changed = Object.keys(recorded).filter((f) => now?.[f] !== recorded[f]);
    if (changed.length > 0) throw new DataError(`${source}: the weights differ from the run's manifest (${changed.join(', ')}: expected sha256 ${recorded[changed[0] as string]?.slice(0, 12)}…, got ${now?.[changed[0] as string]?.slice(0, 12) ?? 'no such file'}); rerun on the recorded weights`);
  }
  const [{ model, notes }, { tasks, data }] = await Promise.all([load ? load(source).then((model) => ({ model, notes: [] as readonly string[] })) : loadEngineModel(source, choice), loadRunTasks(c, 'throw')]);
  const versions = new Map(manifest.datasets.map((d) => [d.id, d.version]));
  const moved = tasks.filter((t) => versions.get(t.id) !== t.version);
  const first = moved[0];
  if (first) throw new DataError(`${first.custom?.file ?? data}: task ${first.id} has version ${first.version}, the run used ${versions.get(first.id)}; rerun on the recorded dataset files`);
  return {
    model, notes, tasks, out: target.out, data, seed: manifest.seed, ...(manifest.model.engine ? { engine: manifest.model.engine } : {}),
    ...(recorded ? { weightsSha256: recorded } : {}),
    ...(c.limit !== null ? { limit: c.limit } : {}), ...(c.limits ? { limits: c.limits } : {}), ...(c.maxTokens !== null ? { maxTokens: c.maxTokens } : {}),
    ...(c.sampleSeed !== undefined && c.sampleSeed !== manifest.seed ? { sampleSeed: c.sampleSeed } : {}),
    ...(c.repeats !== undefined ? { repeats: c.repeats } : {}),
    ...(c.steering === false ? { steering: false } : c.steering?.multipliers ? { steeringMultipliers: c.steering.multipliers } : {}),
    ...(c.critique ? { critique: c.critique } : {}), ...(c.pricing ? { pricing: c.pricing } : {}),
    ...(manifest.batchSize ? { concurrency: manifest.batchSize } : {}),
  };
}

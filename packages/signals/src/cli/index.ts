/**
 * The `trustbench signals` command: white-box signals of a local model folder on a TrustLLM task, written as an Arrow
 * file of records, a JSON summary and the comparison table.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ConfigError, type ChatMessage } from '@trustbench/core';
import { bundledTrustllmSample, findTrustllmDir, loadTrustllm, sampleRecords } from '@trustbench/datasets';
import { createReferenceModel, loadQwen35Weights, loadTokenizer, readQwen35Config } from '@trustbench/model';
import type { Command } from 'commander';
import { collectSignals, type SignalItem } from '../collect-signals.js';
import { compareSignals } from '../compare-signals.js';
import { openSignalFile } from '../record-file.js';
import type { SignalRecord } from '../signal-record.js';

const positiveInt = (flag: string) => (text: string): number => {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new ConfigError(`${flag} must be a positive integer, got "${text}"`);
  return n;
};

/** Options of `runSignals` (the command's flags). */
export interface RunSignalsOptions {
  readonly model: string;
  readonly task: string;
  readonly limit: number;
  readonly out: string;
  readonly data?: string;
  readonly seed?: number;
  /** Cap on the new tokens of each scored reply. Default 32. */
  readonly maxTokens?: number;
  readonly onProgress?: (line: string) => void;
}

/** What `runSignals` wrote. */
export interface SignalsSummary {
  readonly model: string;
  readonly task: string;
  readonly taskVersion: string;
  readonly seed: number;
  readonly items: number;
  readonly groups: Readonly<Record<string, number>>;
  readonly records: number;
  readonly secondsPerItem: number;
  readonly files: { readonly records: string; readonly comparison: string };
}

/**
 * For up to `limit` seeded items of the task: a greedy reply (max `maxTokens`) scored by the task gives the item's
 * group ("correct" for score 1, "incorrect" for 0, none when unscored); the signals are taken on the prompt (chat
 * template with the generation prompt), i.e. at the position where the answer starts. Writes `signals.arrow`,
 * `summary.json` and `comparison.json` to `out`.
 *
 * @throws {ConfigError} for a model that is not a local folder, or an unknown task.
 * @example
 * await runSignals({ model: 'fixtures/planted/layer-1', task: 'truthfulness.external', limit: 8, out: 'out/signals' });
 */
export async function runSignals(options: RunSignalsOptions): Promise<SignalsSummary> {
  const config = await readQwen35Config(options.model).catch((e: unknown) => {
    throw new ConfigError(`--model ${options.model}: expected a local model folder with config.json (${e instanceof Error ? e.message : String(e)})`);
  });
  const tokenizer = await loadTokenizer(options.model, config.eosTokenIds);
  const weights = await loadQwen35Weights(options.model, config);
  const model = createReferenceModel({ id: `local:${path.resolve(options.model)}`, config, weights, tokenizer });
  const [task] = await loadTrustllm(options.data ?? findTrustllmDir() ?? bundledTrustllmSample(), [options.task]);
  if (task === undefined || task.id !== options.task) throw new ConfigError(`--task must be one TrustLLM task id (e.g. truthfulness.external), got "${options.task}"`);
  const seed = options.seed ?? 0;
  const records = sampleRecords(task.records, { limit: options.limit, seed });
  const items: SignalItem[] = [];
  for (const record of records) {
    const messages: readonly ChatMessage[] = typeof record.prompt === 'string' ? [{ role: 'user', content: record.prompt }] : record.prompt;
    const ids = tokenizer.encode(tokenizer.applyChatTemplate(messages, { addGenerationPrompt: true, enableThinking: false }));
    const reply = await model.generate(messages, { promptIds: ids, temperature: 0, maxTokens: Math.min(task.maxTokens, options.maxTokens ?? 32) });
    const score = task.score(record, reply.text).score;
    items.push({ id: record.id, ids, ...(score === 1 ? { group: 'correct' } : score === 0 ? { group: 'incorrect' } : {}) });
  }
  await mkdir(options.out, { recursive: true });
  const file = path.join(options.out, 'signals.arrow');
  const writer = openSignalFile(file);
  const all: SignalRecord[] = [];
  const start = performance.now();
  for await (const { records: batch } of collectSignals(model, items, {
    datasetId: `${task.id}@${task.version}`,
    seed,
    lens: { unembed: weights.lmHead, finalNorm: weights.finalNorm, eps: config.rmsNormEps },
    onProgress: (p) => options.onProgress?.(`signals ${p.done}/${p.total} (${(p.seconds / p.done).toFixed(2)} s/item)`),
  })) {
    writer.write(batch);
    all.push(...batch);
  }
  await writer.close();
  const seconds = (performance.now() - start) / 1000;
  const comparisonFile = path.join(options.out, 'comparison.json');
  await writeFile(comparisonFile, `${JSON.stringify(compareSignals(all, { seed }), null, 2)}\n`);
  const groups: Record<string, number> = {};
  for (const item of items) groups[item.group ?? 'unscored'] = (groups[item.group ?? 'unscored'] ?? 0) + 1;
  const summary: SignalsSummary = {
    model: model.id, task: task.id, taskVersion: task.version, seed, items: items.length, groups, records: all.length,
    secondsPerItem: items.length > 0 ? seconds / items.length : 0, files: { records: 'signals.arrow', comparison: 'comparison.json' },
  };
  await writeFile(path.join(options.out, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
  return summary;
}

/**
 * Adds `signals` to the `trustbench` program.
 *
 * @example
 * registerCommands(program); // trustbench signals --model fixtures/planted/layer-1 --task truthfulness.external --limit 8 --out out
 */
export function registerCommands(program: Command): void {
  program
    .command('signals')
    .description('white-box signals (output, per layer, per head, by layer type) of a local model folder on a TrustLLM task')
    .requiredOption('--model <dir>', 'local model folder (config.json, model.safetensors, tokenizer)')
    .requiredOption('--task <id>', 'TrustLLM task id, e.g. truthfulness.external')
    .requiredOption('--out <dir>', 'output folder: signals.arrow, summary.json, comparison.json')
    .option('--limit <n>', 'items (seeded sample, whole clusters)', positiveInt('--limit'), 20)
    .option('--seed <n>', 'sampling seed', (v: string) => Number(v), 0)
    .option('--max-tokens <n>', 'cap on the new tokens of each scored reply', positiveInt('--max-tokens'), 32)
    .option('--data <dir>', 'TrustLLM dataset folder (default: $TRUSTBENCH_TRUSTLLM_DIR, ../shared/data/trustllm, else the bundled sample)')
    .action(async (opts: { model: string; task: string; out: string; limit: number; seed: number; maxTokens: number; data?: string }) => {
      const summary = await runSignals({ ...opts, onProgress: (line) => process.stderr.write(`${line}\n`) });
      process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
    });
}

/**
 * The `trustbench datasets` commands: list the tasks, show records, download the full dataset.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { ConfigError, hubSnapshot, promptText } from '@trustbench/core';
import type { Command } from 'commander';
import { bundledTrustllmSample, findTrustllmDir } from '../locate.js';
import { sampleRecords } from '../sampling.js';
import { loadTrustllm } from '../trustllm/index.js';

const dataDir = (given?: string): string => given ?? findTrustllmDir() ?? bundledTrustllmSample();

/**
 * Adds `trustbench datasets list|show|download`.
 *
 * @example
 * registerCommands(program); // trustbench datasets show safety.jailbreak --limit 3
 */
export function registerCommands(program: Command): void {
  const datasets = program.command('datasets').description('TrustLLM tasks: list, show, download');
  datasets
    .command('list')
    .description('list every task: id, dimension, records, scorer')
    .option('--data <dir>', 'dataset folder (default: $TRUSTBENCH_TRUSTLLM_DIR, ../shared/data/trustllm, else the bundled sample)')
    .option('--json', 'print JSON')
    .action(async (opts: { data?: string; json?: boolean }) => {
      const tasks = await loadTrustllm(dataDir(opts.data));
      const rows = tasks.map((t) => ({ id: t.id, dimension: t.dimension, records: t.records.length, scorer: t.scorer, version: t.version, substitute: t.substitute ?? null, deviation: t.deviation ?? null }));
      if (opts.json) return void process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
      process.stdout.write(`${'id'.padEnd(36)} ${'dimension'.padEnd(13)} ${'records'.padStart(7)}  scorer\n`);
      for (const r of rows) process.stdout.write(`${r.id.padEnd(36)} ${r.dimension.padEnd(13)} ${String(r.records).padStart(7)}  ${r.scorer}${r.substitute ? ' (substitute)' : ''}\n`);
    });
  datasets
    .command('show <id>')
    .description('show records of a task')
    .option('--data <dir>', 'dataset folder')
    .option('--limit <n>', 'records to show (seeded sample)', (v) => Number(v), 3)
    .option('--seed <n>', 'sampling seed', (v) => Number(v), 0)
    .action(async (id: string, opts: { data?: string; limit: number; seed: number }) => {
      const [task] = await loadTrustllm(dataDir(opts.data), [id]);
      if (!task || task.id !== id) throw new ConfigError(`datasets show: "${id}" is a dimension; pass a task id such as ${task?.id ?? 'safety.jailbreak'}`);
      for (const r of sampleRecords(task.records, { limit: opts.limit, seed: opts.seed })) {
        process.stdout.write(`--- ${r.id} (cluster ${r.cluster}, gold ${JSON.stringify(r.gold)})\n${promptText(r.prompt)}\n`);
      }
    });
  datasets
    .command('download')
    .description('download the full TrustLLM dataset from the Hugging Face hub into the cache')
    .option('--repo <id>', 'dataset repository', 'TrustLLM/TrustLLM-dataset')
    .option('--revision <rev>', 'branch, tag or commit', 'main')
    .action(async (opts: { repo: string; revision: string }) => {
      const snap = await hubSnapshot(opts.repo, { repoType: 'dataset', revision: opts.revision, onProgress: (p) => process.stderr.write(`\r${p.file}: ${p.bytes} bytes`) });
      const root = [snap.path, path.join(snap.path, 'dataset')].find((d) => existsSync(path.join(d, 'safety', 'jailbreak.json')));
      process.stdout.write(`\n${snap.path} (commit ${snap.commit}, ${Object.keys(snap.files).length} files, sha256 recorded in .trustbench-snapshot.json)\n`);
      process.stdout.write(root ? `use it with: --data ${root} (or TRUSTBENCH_TRUSTLLM_DIR=${root})\n` : `no <dimension>/<file>.json layout found in it; pass the release zip inside it to --data\n`);
    });
}

/**
 * The loop's commands: `profile`, `diagnose`, `fix`, `verify`, `loop`, `report`, `rerun`, `compare`, `leaderboard`.
 * Exit codes: 0 success; 1 an error (bad flag, config, data); 3 a trust gate failed (`--fail-under`, or a dimension
 * that `--baseline` shows got worse with a CI excluding zero).
 */
import path from 'node:path';
import { ConfigError } from '@trustbench/core';
import { bundledTrustllmSample, loadTrustllm, type Task } from '@trustbench/datasets';
import { loadEngineModel } from '@trustbench/model';
import { engineOptions, printNotes } from '@trustbench/model/cli';
import type { Command } from 'commander';
import { calibrationFix } from '../calibration-fix.js';
import { compareItems, type DimensionComparison } from '../compare.js';
import { readConfig, type LoopConfig } from '../config.js';
import { diagnose, type DimensionDiagnosis } from '../diagnose.js';
import { failedGates, parseFailUnder } from '../fail-under.js';
import type { ItemRecord } from '../profile.js';
import { layerKind } from '../report.js';
import { readRun } from '../run-folder.js';
import { hashWeightFiles } from '../weights-hash.js';
import { loadRunTasks, rerunOptions } from '../rerun.js';
import { mergeJournals, parseShard } from '../shard.js';
import { runLoop, runProfile, type LoopResult, type RunConfig, type StageProgress } from '../run-loop.js';
import { writeReport } from '../write-report.js';

/** Exit code when a trust gate fails. */
export const EXIT_GATE_FAILED = 3;

interface RunFlags { engine?: string; precision?: string; device?: string; shard?: string; price?: string; critique?: string | boolean; constitution?: string; steering?: boolean; steerMultipliers?: string; repeats?: string; config?: string; model?: string; tasks?: string; data?: string; limit?: string; seed?: string; maxTokens?: string; concurrency?: string; iterations?: string; out?: string; resume?: boolean; failUnder?: string[]; baseline?: string; json?: boolean }

const int = (flag: string, text: string | number | undefined): number | undefined => {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0) throw new ConfigError(`${flag} must be a non-negative integer, got "${text}"`);
  return n;
};

const multipliersOf = (text: string | undefined): number[] | undefined => text?.split(',').map((m) => {
  const x = Number(m);
  if (!(x > 0)) throw new ConfigError(`--steer-multipliers must be positive numbers separated by commas, got "${text}"`);
  return x;
});

const parsePrice = (text: string): { promptPerMillion: number; completionPerMillion: number } => {
  const [p, c, ...rest] = text.split(',').map(Number);
  if (p === undefined || c === undefined || rest.length > 0 || !(p >= 0) || !(c >= 0)) throw new ConfigError(`--price must be two non-negative numbers "prompt,completion" (USD per million tokens), got "${text}"`);
  return { promptPerMillion: p, completionPerMillion: c };
};

/** Flags override the config file. */
function settings(flags: RunFlags): LoopConfig {
  const file = flags.config ? readConfig(flags.config) : {};
  const pick = <K extends keyof LoopConfig>(k: K, v: LoopConfig[K] | undefined) => (v !== undefined ? { [k]: v } : file[k] !== undefined ? { [k]: file[k] } : {});
  return {
    ...pick('model', flags.model), ...pick('tasks', flags.tasks?.split(',').map((s) => s.trim()).filter(Boolean)), ...pick('data', flags.data),
    ...pick('limit', int('--limit', flags.limit)), ...pick('seed', int('--seed', flags.seed)), ...pick('maxTokens', int('--max-tokens', flags.maxTokens)), ...pick('concurrency', int('--concurrency', flags.concurrency)),
    ...pick('iterations', int('--iterations', flags.iterations)), ...pick('out', flags.out), ...pick('failUnder', flags.failUnder && flags.failUnder.length > 0 ? flags.failUnder : undefined),
    ...pick('baseline', flags.baseline), ...pick('repeats', int('--repeats', flags.repeats)),
    ...pick('steering', flags.steering === false ? false : undefined), ...pick('steerMultipliers', multipliersOf(flags.steerMultipliers)),
  };
}

/** Progress with ETA on stderr: one rewritten line on a terminal, a line per 10% otherwise. */
export function progressPrinter(): (p: { done: number; total: number; etaSeconds: number | null; taskId: string }) => void {
  let lastDecile = -1;
  return (p) => {
    const eta = p.etaSeconds === null ? '?' : `${Math.round(p.etaSeconds)}s`;
    const line = `${p.done}/${p.total} items (${Math.round((100 * p.done) / p.total)}%), ETA ${eta}, ${p.taskId}`;
    if (process.stderr.isTTY) process.stderr.write(`\r${line.padEnd(78)}${p.done === p.total ? '\n' : ''}`);
    else if (Math.floor((10 * p.done) / p.total) !== lastDecile) {
      lastDecile = Math.floor((10 * p.done) / p.total);
      process.stderr.write(`${line}\n`);
    }
  };
}


/** Progress of the stages after the profile on stderr: one rewritten line on a terminal, a line per finished stage otherwise. */
export function stagePrinter(): (p: StageProgress) => void {
  let last = '';
  return (p) => {
    const line = `${p.stage === 'locate' ? 'locating failures inside the model' : p.stage === 'signals' ? 'signals of failed vs passed items' : p.stage === 'critique' ? 'critique-and-revise' : `steering ${p.stage} split`} ${p.done}/${p.total}`;
    if (process.stderr.isTTY) process.stderr.write(`\r${line.padEnd(78)}${p.done === p.total ? '\n' : ''}`);
    else if (p.done === p.total && line !== last) process.stderr.write(`${line}\n`);
    last = line;
  };
}

/** The critique-and-revise verification as text. */
export function critiqueLines(c: NonNullable<LoopResult['critique']>): string[] {
  return [`fix critique-and-revise (${c.constitution}, ${c.rounds} round(s), ${c.items} test items): ${c.dimensions.length === 0 ? 'too few rule-scored items to compare' : ''}`,
    ...c.dimensions.map((d) => `  ${d.dimension.padEnd(14)} ${f3(d.before)} -> ${f3(d.after)}  diff ${f3(d.difference.value)} [${f3(d.difference.lower)}, ${f3(d.difference.upper)}]  McNemar p ${f3(d.mcnemar.pValue)} (Holm ${f3(d.holmPValue)})  ${d.verdict}${d.verdict === 'no detectable effect' ? ` (MDE ${f3(d.minimumDetectableEffect)})` : ''}`)];
}

/** The white-box findings as text. */
export function steeringLines(locations: LoopResult['locations'], steering: LoopResult['steering']): string[] {
  return [
    ...locations.map((l) => `located ${l.taskId}: patching the ${l.top.component} of layer ${l.top.layer} (${layerKind(l.top.layerType)}) restores ${f3(l.top.restored)} of the margin (${l.failedItems} failed, ${l.passedItems} passed)`),
    ...steering.map((s) => ('target' in s
      ? `fix steering ${s.taskId} at layer ${s.layer} (${layerKind(s.layerType)}), alpha ${s.alpha.toFixed(2)}: ${s.verdict}; held-out ${f3(s.target.before)} -> ${f3(s.target.after)}, diff ${f3(s.target.difference.value)} [${f3(s.target.difference.lower)}, ${f3(s.target.difference.upper)}], McNemar p ${s.target.mcnemar.pValue.toPrecision(3)}, n=${s.target.pairs}; side effects: ${s.sideEffects.map((e) => `${e.dimension} ${f3(e.difference.value)} [${f3(e.difference.lower)}, ${f3(e.difference.upper)}] ${e.verdict}`).join('; ') || 'none measurable'}`
      : `steering ${s.taskId}: not tried (${s.skipped})`)),
  ];
}

async function tasksFor(config: LoopConfig): Promise<{ tasks: Task[]; data: string }> {
  const data = config.data ?? bundledTrustllmSample();
  return { tasks: await loadTrustllm(data, config.tasks), data };
}

async function tasksOfRun(dir: string): Promise<{ manifest: ReturnType<typeof readRun>['manifest']; items: ItemRecord[]; tasks: Task[] }> {
  const { manifest, items } = readRun(dir);
  // Tasks that cannot be reloaded (custom tasks of older runs) are left out: their items keep their scores, without task metrics.
  const { tasks } = await loadRunTasks(manifest.config as unknown as RunConfig, 'skip');
  return { manifest, items, tasks };
}

const scoresOf = (dims: readonly DimensionDiagnosis[], items: readonly ItemRecord[]): Record<string, number> => {
  const out: Record<string, number> = {};
  for (const d of dims) if (d.score) out[d.dimension] = d.score.value;
  for (const taskId of new Set(items.map((i) => i.taskId))) {
    const b = items.filter((i) => i.taskId === taskId && (i.score === 0 || i.score === 1));
    if (b.length > 0) out[taskId] = b.reduce((s, i) => s + (i.score as number), 0) / b.length;
  }
  return out;
};

const f3 = (x: number) => x.toFixed(3);
const print = (json: boolean | undefined, value: unknown, text: () => string) => process.stdout.write(json ? `${JSON.stringify(value, null, 2)}\n` : `${text()}\n`);
const comparisonText = (rows: readonly DimensionComparison[]) =>
  rows.map((r) => `${r.dimension.padEnd(14)} ${f3(r.before)} -> ${f3(r.after)}  diff ${f3(r.difference.value)} [${f3(r.difference.lower)}, ${f3(r.difference.upper)}]  McNemar p ${f3(r.mcnemar.pValue)} (Holm ${f3(r.holmPValue)})  ${r.verdict}${r.verdict === 'no detectable effect' ? ` (MDE ${f3(r.minimumDetectableEffect)})` : ''}  n=${r.pairs}`).join('\n');

/**
 * Adds the loop's commands to the `trustbench` program.
 *
 * @example
 * registerCommands(program); // trustbench loop --model fixtures/qwen35-tiny --tasks safety --limit 5 --out runs/a
 */
export function registerCommands(program: Command): void {
  const runOptions = (c: Command) => engineOptions(c
    .option('--config <file>', 'a JSON or YAML config file (flags override it)')
    .option('--model <dir>', 'Qwen3.5 folder or hub id')
    .option('--tasks <list>', 'comma-separated TrustLLM task ids or dimensions (default all)')
    .option('--data <dir>', 'TrustLLM folder (default the bundled sample)')
    .option('--limit <n>', 'items per task (seeded, pairs kept whole)')
    .option('--seed <n>', 'seed of sampling, splits and bootstrap', '0')
    .option('--max-tokens <n>', 'cap on generated tokens per item')
    .option('--concurrency <n>', 'items in flight at once (API models); results do not depend on it')
    .option('--out <dir>', 'run folder')
    .option('--resume', 'continue the run whose journal is in --out'), 'onnx weight precision fp32, fp16 or int8: profile trust under compression')
    .option('--json', 'print JSON');

  runOptions(program.command('profile').description('profile a model on TrustLLM tasks into a journaled, resumable run folder'))
    .option('--shard <i/n>', 'profile only shard i of n (items split by task and cluster); `merge` joins the shards')
    .action(async (flags: RunFlags) => {
      const cfg = settings(flags);
      if (!cfg.model || !cfg.out) throw new ConfigError('profile needs --model and --out (or model and out in --config)');
      const { tasks, data } = await tasksFor(cfg);
      const [{ model, engine, notes }, weightsSha256] = await Promise.all([loadEngineModel(cfg.model, flags), hashWeightFiles(cfg.model)]);
      printNotes(notes);
      const { items } = await runProfile({ model, tasks, data, out: cfg.out, engine, ...(flags.shard ? { shard: parseShard(flags.shard) } : {}), ...(weightsSha256 ? { weightsSha256 } : {}), seed: cfg.seed ?? 0, resume: flags.resume === true, onProgress: progressPrinter(), ...(cfg.limit !== undefined ? { limit: cfg.limit } : {}), ...(cfg.maxTokens !== undefined ? { maxTokens: cfg.maxTokens } : {}), ...(cfg.concurrency !== undefined ? { concurrency: cfg.concurrency } : {}) });
      const tokens = items.reduce((s, i) => s + i.tokens.prompt + i.tokens.completion, 0);
      print(flags.json, { out: cfg.out, items: items.length, tokens }, () => `${items.length} items journaled in ${path.join(cfg.out as string, 'journal.jsonl')} (${tokens} tokens)`);
    });

  runOptions(program.command('loop').description('profile, diagnose, fix (calibration on a fit split), verify on held-out items, and write the report'))
    .option('--iterations <n>', 'bootstrap resamples', '1000')
    .option('--fail-under <dim=score...>', 'exit 3 when a dimension or task scores below this')
    .option('--baseline <run>', 'exit 3 when a dimension got worse than in this run (paired CI below zero)')
    .option('--no-steering', 'skip locating failures inside the model and the steering fix')
    .option('--price <prompt,completion>', 'API prices in USD per million prompt and completion tokens, for the cost line of the report')
    .option('--critique [rounds]', 'also fix by constitutional critique-and-revise on the test split (default 1 round)')
    .option('--constitution <file>', 'constitution for --critique (default the shipped one)')
    .option('--repeats <n>', 'profile n times with seeds seed..seed+n-1 and report run-to-run consistency (default 1)')
    .option('--steer-multipliers <list>', 'steering alphas as multiples of the residual norm (default 0.5,1,2,4)')
    .action(async (flags: RunFlags) => {
      const cfg = settings(flags);
      if (!cfg.model || !cfg.out) throw new ConfigError('loop needs --model and --out (or model and out in --config)');
      const gates = (cfg.failUnder ?? []).map(parseFailUnder);
      const { tasks, data } = await tasksFor(cfg);
      const [{ model, engine, notes }, weightsSha256] = await Promise.all([loadEngineModel(cfg.model, flags), hashWeightFiles(cfg.model)]);
      printNotes(notes);
      const r = await runLoop({
        model, tasks, data, out: cfg.out, engine, ...(weightsSha256 ? { weightsSha256 } : {}), seed: cfg.seed ?? 0, iterations: cfg.iterations ?? 1000, resume: flags.resume === true, onProgress: progressPrinter(),
        steering: cfg.steering !== false, ...(cfg.steerMultipliers ? { steeringMultipliers: cfg.steerMultipliers } : {}), ...(cfg.repeats ? { repeats: cfg.repeats } : {}), onStage: stagePrinter(),
        ...(flags.price ? { pricing: parsePrice(flags.price) } : {}),
        ...(flags.critique ? { critique: { rounds: flags.critique === true ? 1 : (int('--critique', flags.critique) ?? 1), ...(flags.constitution ? { constitution: flags.constitution } : {}) } } : {}), ...(cfg.limit !== undefined ? { limit: cfg.limit } : {}), ...(cfg.maxTokens !== undefined ? { maxTokens: cfg.maxTokens } : {}), ...(cfg.concurrency !== undefined ? { concurrency: cfg.concurrency } : {}) });
      const failed = failedGates(gates, scoresOf(r.dimensions, r.items));
      const regressions = cfg.baseline ? compareItems(readRun(cfg.baseline).items, r.items, { seed: cfg.seed ?? 0, iterations: cfg.iterations ?? 1000 }).filter((c) => c.verdict === 'hurt') : [];
      print(flags.json, { files: r.files, dimensions: r.dimensions, fixes: r.fixes, locations: r.locations, steering: r.steering, failedGates: failed, regressions }, () => [
        ...r.dimensions.map((d) => `${d.dimension.padEnd(14)} ${d.score ? `${f3(d.score.value)} [${f3(d.score.lower)}, ${f3(d.score.upper)}]` : 'not scored'}${d.calibration ? `  ECE ${f3(d.calibration.ece.value)}` : ''}`),
        ...r.fixes.map((fx) => `fix ${fx.method}: ${fx.verdict} (held-out ECE ${f3(fx.ece.before.value)} -> ${f3(fx.ece.after.value)}, diff [${f3(fx.ece.difference.lower)}, ${f3(fx.ece.difference.upper)}])`),
        ...r.consistency.map((c) => `consistency ${c.dimension.padEnd(14)} ${c.scores.map(f3).join(' ')}  mean ${f3(c.mean)} sd ${f3(c.sd)}  agreement ${f3(c.agreement)}  kappa ${f3(c.kappa)}`),
        ...steeringLines(r.locations, r.steering),
        ...(r.critique ? critiqueLines(r.critique) : []),
        ...failed.map((g) => `FAIL ${g.gate.target} ${g.score === null ? 'has no score' : `${f3(g.score)} < ${g.gate.min}`}`),
        ...regressions.map((c) => `REGRESSION ${c.dimension}: ${f3(c.before)} -> ${f3(c.after)} [${f3(c.difference.lower)}, ${f3(c.difference.upper)}]`),
        `report: ${r.files.report}`,
      ].join('\n'));
      if (failed.length > 0 || regressions.length > 0) process.exitCode = EXIT_GATE_FAILED;
    });

  const onRun = (name: string, description: string, act: (run: Awaited<ReturnType<typeof tasksOfRun>>, dir: string, flags: { json?: boolean; seed: string }) => void) =>
    program.command(`${name} <run>`).description(description).option('--seed <n>', 'seed of splits and bootstrap', '0').option('--json', 'print JSON')
      .action(async (dir: string, flags: { json?: boolean; seed: string }) => act(await tasksOfRun(dir), dir, flags));

  onRun('diagnose', 'per-dimension scores with CIs, calibration and suggested fixes, recomputed from a run journal', ({ items, tasks }, _dir, flags) => {
    const d = diagnose(items, tasks, { seed: int('--seed', flags.seed) ?? 0 });
    print(flags.json, d, () => [...d.dimensions.map((x) => `${x.dimension.padEnd(14)} ${x.score ? `${f3(x.score.value)} [${f3(x.score.lower)}, ${f3(x.score.upper)}]` : 'not scored'}${x.calibration ? `  ECE ${f3(x.calibration.ece.value)} [${f3(x.calibration.ece.lower)}, ${f3(x.calibration.ece.upper)}]` : ''}`), ...d.suggestions.map((s) => `suggest ${s.fix} for ${s.dimension}: ${s.evidence}`)].join('\n'));
  });
  onRun('fix', 'fit temperature, Platt and isotonic calibration on the fit split of a run', ({ items }, _dir, flags) => {
    const fixes = calibrationFix(items, { seed: int('--seed', flags.seed) ?? 0 });
    print(flags.json, fixes.map((f) => ({ method: f.method, params: f.params, fitItems: f.fitItems })), () => fixes.map((f) => `${f.method}: ${JSON.stringify(f.params)} (fitted on ${f.fitItems} items)`).join('\n') || 'too few items with a confidence and a right answer to fit a calibrator');
  });
  onRun('verify', 'judge each calibration fix on the held-out split: paired CIs and a verdict', ({ items }, _dir, flags) => {
    const fixes = calibrationFix(items, { seed: int('--seed', flags.seed) ?? 0 });
    print(flags.json, fixes, () => fixes.map((f) => `${f.method}: ${f.verdict}; ECE diff ${f3(f.ece.difference.value)} [${f3(f.ece.difference.lower)}, ${f3(f.ece.difference.upper)}], Brier diff [${f3(f.brier.difference.lower)}, ${f3(f.brier.difference.upper)}], MDE ${f3(f.minimumDetectableEffect)}, n=${f.heldOutItems}`).join('\n') || 'nothing to verify');
  });
  onRun('report', 'rewrite report.html, report.json and items.csv of a run from its journal', ({ manifest, items, tasks }, dir, flags) => {
    const r = writeReport(dir, manifest, items, tasks, { seed: manifest.seed, iterations: 1000 });
    print(flags.json, r.files, () => `report: ${r.files.report}`);
  });

  program.command('merge <shards...>').description('merge the run folders of `profile --shard i/n` into one run (same journal as unsharded) and write its report')
    .requiredOption('--out <dir>', 'the merged run folder').option('--json', 'print JSON')
    .action(async (dirs: string[], flags: { out: string; json?: boolean }) => {
      mergeJournals(dirs, flags.out);
      const { manifest, items, tasks } = await tasksOfRun(flags.out);
      const r = writeReport(flags.out, manifest, items, tasks, { seed: manifest.seed, iterations: 1000 });
      print(flags.json, { items: items.length, files: r.files }, () => `${dirs.length} shards, ${items.length} items merged into ${flags.out}\nreport: ${r.files.report}`);
    });

  program.command('rerun <run>').description('repeat a run from its manifest (same weights, checked by hash; same data, items, seeds, settings) into --out')
    .requiredOption('--out <dir>', 'the new run folder').option('--resume', 'continue a rerun whose journal is in --out').option('--json', 'print JSON')
    .action(async (dir: string, flags: { out: string; resume?: boolean; json?: boolean }) => {
      const { manifest } = readRun(dir);
      const { notes, ...options } = await rerunOptions(manifest, { out: flags.out });
      printNotes(notes);
      const r = await runLoop({ ...options, resume: flags.resume === true, onProgress: progressPrinter(), onStage: stagePrinter() });
      print(flags.json, { files: r.files, dimensions: r.dimensions }, () => [...r.dimensions.map((d) => `${d.dimension.padEnd(14)} ${d.score ? `${f3(d.score.value)} [${f3(d.score.lower)}, ${f3(d.score.upper)}]` : 'not scored'}`), `report: ${r.files.report}`].join('\n'));
    });

  program.command('compare <runA> <runB>').description('per-dimension paired differences B - A with McNemar and Holm (the side-effect matrix)')
    .option('--seed <n>', 'bootstrap seed', '0').option('--json', 'print JSON')
    .action((a: string, b: string, flags: { seed: string; json?: boolean }) => {
      const rows = compareItems(readRun(a).items, readRun(b).items, { seed: int('--seed', flags.seed) ?? 0 });
      print(flags.json, rows, () => comparisonText(rows) || 'no items in common');
      if (rows.some((r) => r.verdict === 'hurt')) process.exitCode = EXIT_GATE_FAILED;
    });

  program.command('leaderboard <runs...>').description('runs side by side: score per dimension').option('--json', 'print JSON')
    .action(async (dirs: string[], flags: { json?: boolean }) => {
      const rows = await Promise.all(dirs.map(async (dir) => {
        const { manifest, items, tasks } = await tasksOfRun(dir);
        return { run: dir, model: manifest.model.id, scores: scoresOf(diagnose(items, tasks, { seed: manifest.seed, iterations: 200 }).dimensions, []) };
      }));
      const dims = [...new Set(rows.flatMap((r) => Object.keys(r.scores)))].sort();
      print(flags.json, rows, () => [['run', ...dims].join('\t'), ...rows.map((r) => [r.run, ...dims.map((d) => (r.scores[d] === undefined ? '-' : f3(r.scores[d])))].join('\t'))].join('\n'));
    });
}

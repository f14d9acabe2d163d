/**
 * The `trustbench forward` and `trustbench generate` commands.
 */
import { ConfigError, type HookName } from '@trustbench/core';
import type { Command } from 'commander';
import { loadEngineModel } from '../load-engine-model.js';

const parseIds = (text: string): number[] => {
  const ids = text.split(',').map((s) => Number(s.trim()));
  if (ids.length === 0 || ids.some((n) => !Number.isInteger(n) || n < 0)) throw new ConfigError(`--ids must be comma-separated non-negative integers, got "${text}"`);
  return ids;
};

interface EngineFlags {
  readonly engine: string;
  readonly precision: string;
  readonly device: string;
}

/** `loadEngineModel`'s notes about the user's choice, on stderr (every command that takes the engine flags prints them). */
export function printNotes(notes: readonly string[]): void {
  for (const note of notes) process.stderr.write(`note: ${note}\n`);
}

/** Loads the model on the engine the flags ask for (precision and device apply to the onnx engine only); prints its notes. */
const load = async (dir: string, flags: EngineFlags) => {
  const { model, notes } = await loadEngineModel(dir, flags);
  printNotes(notes);
  return model;
};

/** Adds the engine flags (`--engine`, `--precision`, `--device`) to a command; `precisionHelp` says what the precision is for there. */
export function engineOptions(command: Command, precisionHelp = 'onnx weight precision: fp32, fp16 or int8'): Command {
  return command
    .option('--engine <engine>', 'reference (readable typed arrays) or onnx (onnxruntime-node)', 'reference')
    .option('--precision <precision>', precisionHelp, 'fp32')
    .option('--device <device>', 'onnx execution provider: cpu, webgpu or cuda', 'cpu');
}

const parseNumber = (flag: string) => (text: string): number => {
  const n = Number(text);
  if (!Number.isFinite(n)) throw new ConfigError(`${flag} must be a number, got "${text}"`);
  return n;
};

/**
 * Adds `forward` and `generate` to the `trustbench` program.
 *
 * @example
 * registerCommands(program); // trustbench forward --model fixtures/qwen35-tiny --ids 1,2,3 --json
 */
export function registerCommands(program: Command): void {
  engineOptions(
    program
      .command('forward')
      .description('run a forward pass and print the logits of every position and the residual stream at the last position')
      .requiredOption('--model <dir>', 'model folder or hub id')
      .requiredOption('--ids <ids>', 'comma-separated token ids', parseIds),
  )
    .option('--json', 'print JSON (the golden.json layout)')
    .action(async (opts: EngineFlags & { model: string; ids: number[]; json?: boolean }) => {
      const model = await load(opts.model, opts);
      const L = model.dimensions.nLayers;
      const d = model.dimensions.dModel;
      const V = model.dimensions.vocabSize;
      const T = opts.ids.length;
      const names: HookName[] = ['hook_embed', ...Array.from({ length: L }, (_, i) => `blocks.${i}.hook_resid_post` as HookName)];
      const { logits, cache } = await model.runWithCache(opts.ids, { names });
      const logitRows = Array.from({ length: T }, (_, t) => Array.from(logits.data.subarray(t * V, (t + 1) * V)));
      const hidden = names.map((n) => Array.from((cache.get(n) as { data: Float32Array }).data.subarray((T - 1) * d, T * d)));
      if (opts.json) process.stdout.write(`${JSON.stringify({ logits: logitRows, hidden_states_last: hidden })}\n`);
      else {
        logitRows.forEach((row, t) => {
          let best = 0; // a loop, not Math.max(...row): the real vocabulary has 248,320 entries
          for (let i = 1; i < row.length; i++) if ((row[i] as number) > (row[best] as number)) best = i;
          process.stdout.write(`position ${t}: argmax ${best}, max logit ${(row[best] as number).toFixed(4)}\n`);
        });
      }
      if ('release' in model) await model.release();
    });

  engineOptions(
    program
      .command('generate')
      .description('generate text from a prompt (chat-formatted) or from raw token ids')
      .requiredOption('--model <dir>', 'model folder or hub id'),
  )
    .option('--prompt <text>', 'a user message, rendered with the chat template')
    .option('--ids <ids>', 'comma-separated prompt token ids (no chat template)', parseIds)
    .option('--max-tokens <n>', 'maximum new tokens', parseNumber('--max-tokens'), 64)
    .option('--seed <n>', 'sampling seed', parseNumber('--seed'), 0)
    .option('--temperature <t>', '0 is greedy', parseNumber('--temperature'), 0)
    .option('--ignore-eos', 'keep generating past end-of-sequence tokens')
    .option('--json', 'print {"text", "ids", "logits_max"}')
    .action(async (opts: EngineFlags & { model: string; prompt?: string; ids?: number[]; maxTokens: number; seed: number; temperature: number; ignoreEos?: boolean; json?: boolean }) => {
      if ((opts.prompt === undefined) === (opts.ids === undefined)) throw new ConfigError('generate needs exactly one of --prompt or --ids');
      const model = await load(opts.model, opts);
      const logitsMax: number[] = [];
      const result = await model.generate(opts.prompt === undefined ? '' : [{ role: 'user', content: opts.prompt }], {
        ...(opts.ids ? { promptIds: opts.ids } : {}),
        maxTokens: opts.maxTokens,
        seed: opts.seed,
        temperature: opts.temperature,
        ignoreEos: opts.ignoreEos ?? false,
        onStep: ({ logits }) => logitsMax.push(logits.reduce((m, x) => Math.max(m, x), -Infinity)),
        ...(opts.json ? {} : { onText: (delta: string) => process.stdout.write(delta) }),
      });
      if (opts.json) process.stdout.write(`${JSON.stringify({ text: result.text, ids: result.tokenIds, logits_max: logitsMax.slice(0, result.tokenIds?.length) })}\n`);
      else process.stdout.write('\n');
      if ('release' in model) await model.release();
    });
}

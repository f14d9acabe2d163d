/**
 * The `trustbench` program: each package owns its commands and exports them from its `./cli` entry;
 * this package only puts them together.
 */
import { Command } from 'commander';
import { registerCommands as registerDatasets } from '@trustbench/datasets/cli';
import { registerCommands as registerModel } from '@trustbench/model/cli';
import { registerCommands as registerProviders } from '@trustbench/providers/cli';
import { registerCommands as registerSignals } from '@trustbench/signals/cli';
import { readFileSync } from 'node:fs';
import { registerCommands as registerLoop } from '@trustbench/loop/cli';
import { registerCommands as registerView } from '@trustbench/view/cli';
import { demoCommand } from './demo.js';

const version = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;

/**
 * Builds the full `trustbench` command.
 *
 * @example
 * await createProgram().parseAsync(['node', 'trustbench', 'datasets', 'list']);
 */
export function createProgram(): Command {
  const program = new Command('trustbench')
    .description('Profile, diagnose, fix and verify the trustworthiness of language models.')
    .version(version)
    .showHelpAfterError();
  for (const register of [registerModel, registerDatasets, registerSignals, registerLoop, registerProviders, registerView]) register(program);
  program
    .command('demo')
    .description('the closed loop on the bundled tiny Qwen3.5 and TrustLLM sample: profile, diagnose, fix, verify, report')
    .option('--model <dir>', 'a Qwen3.5 folder or hub id instead of the bundled tiny model')
    .option('--out <dir>', 'run folder (default runs/demo-<time>)')
    .option('--limit <n>', 'items per task', (v) => Number(v), 4)
    .action(async (opts: { model?: string; out?: string; limit: number }) => {
      await demoCommand({ limit: opts.limit, ...(opts.model ? { model: opts.model } : {}), ...(opts.out ? { out: opts.out } : {}) });
    });
  return program;
}

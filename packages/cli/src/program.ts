/**
 * The `trustbench` program: each package owns its commands and exports them from its `./cli` entry;
 * this package only puts them together.
 */
import { Command } from 'commander';
import { registerCommands as registerDatasets } from '@trustbench/datasets/cli';
import { registerCommands as registerModel } from '@trustbench/model/cli';
import { registerCommands as registerProviders } from '@trustbench/providers/cli';
import { readFileSync } from 'node:fs';
import { runDemo } from './demo.js';

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
  for (const register of [registerModel, registerDatasets, registerProviders]) register(program);
  program
    .command('demo')
    .description('run every stage on the bundled tiny Qwen3.5 and print what it finds')
    .option('--model <dir>', 'a Qwen3.5 folder instead of the bundled tiny model')
    .action(async (opts: { model?: string }) => {
      await runDemo(opts.model ? { model: opts.model } : {});
    });
  return program;
}

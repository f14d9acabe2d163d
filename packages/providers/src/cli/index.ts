/**
 * The `trustbench serve` command.
 */
import { ConfigError } from '@trustbench/core';
import { loadModel } from '@trustbench/model';
import type { Command } from 'commander';
import { serveModel } from '../serve/server.js';

/**
 * Adds `trustbench serve --model <dir> [--port N]`.
 *
 * @example
 * registerCommands(program);
 */
export function registerCommands(program: Command): void {
  program
    .command('serve')
    .description('serve a local Qwen3.5 model over an OpenAI-compatible API on 127.0.0.1')
    .requiredOption('--model <dir>', 'model folder or hub id')
    .option('--port <n>', 'port (0 picks a free one)', '8000')
    .option('--host <host>', 'address to bind; loopback by default', '127.0.0.1')
    .option('--max-tokens <n>', 'default max_tokens when a request gives none', '256')
    .option('--max-sequences <n>', 'requests decoding at once in the shared batch (continuous batching)', '64')
    .option('--no-batching', 'run requests one at a time instead of batching them continuously')
    .action(async (opts: { model: string; port: string; host: string; maxTokens: string; maxSequences: string; batching: boolean }) => {
      const port = Number(opts.port);
      const maxTokens = Number(opts.maxTokens);
      const maxSequences = Number(opts.maxSequences);
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigError(`--port must be an integer in [0, 65535], got "${opts.port}"`);
      if (!Number.isInteger(maxTokens) || maxTokens < 1) throw new ConfigError(`--max-tokens must be a positive integer, got "${opts.maxTokens}"`);
      if (!Number.isInteger(maxSequences) || maxSequences < 1) throw new ConfigError(`--max-sequences must be a positive integer, got "${opts.maxSequences}"`);
      const model = await loadModel(opts.model);
      const server = await serveModel(model, { port, host: opts.host, maxTokens, maxSequences, continuousBatching: opts.batching });
      process.stdout.write(`serving ${model.id} at ${server.url}/v1 (GET /v1/models, POST /v1/chat/completions, POST /v1/completions); Ctrl+C to stop\n`);
      await new Promise<void>((resolve) => process.once('SIGINT', () => void server.close().then(resolve)));
    });
}

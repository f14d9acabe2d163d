/**
 * The `trustbench view` command: the dashboard over a runs folder, on loopback, until interrupted.
 */
import { ConfigError } from '@trustbench/core';
import type { Command } from 'commander';
import { DEFAULT_PORT, LOOPBACK_HOSTS, startViewServer, type ViewServer } from '../start-view-server.js';

/** Flags of `trustbench view`. */
export interface ViewFlags {
  readonly port?: string;
  readonly host?: string;
}

/**
 * Starts the dashboard for the command and prints its address.
 *
 * @throws {ConfigError} for a bad --port, a missing folder or a port in use.
 * @example
 * const server = await viewCommand('runs', { port: '0' }, (line) => console.log(line));
 */
export async function viewCommand(runsDir: string, flags: ViewFlags, print: (line: string) => void): Promise<ViewServer> {
  const port = flags.port === undefined ? DEFAULT_PORT : Number(flags.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigError(`--port must be an integer from 0 to 65535, got "${flags.port}"`);
  const host = flags.host ?? '127.0.0.1';
  const server = await startViewServer({ runsDir, port, host });
  if (!LOOPBACK_HOSTS.has(host)) print(`warning: --host ${host} makes the dashboard (model outputs included) reachable from other machines`);
  print(`Trust Bench dashboard for ${runsDir}: ${server.url}  (Ctrl-C to stop)`);
  return server;
}

/**
 * Adds `view` to the `trustbench` program.
 *
 * @example
 * registerCommands(program); // trustbench view runs/ --port 8321
 */
export function registerCommands(program: Command): void {
  program
    .command('view [runs-dir]')
    .description('a local web dashboard over a runs folder: runs, leaderboard, plots, item drill-down (binds 127.0.0.1)')
    .option('--port <n>', `port (0 picks a free one; default ${DEFAULT_PORT})`)
    .option('--host <address>', 'interface to bind (default 127.0.0.1; anything else exposes model outputs to the network)')
    .action(async (runsDir: string | undefined, flags: ViewFlags) => {
      const server = await viewCommand(runsDir ?? 'runs', flags, (line) => process.stdout.write(`${line}\n`));
      const stop = () => void server.close().then(() => process.exit(0));
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
}

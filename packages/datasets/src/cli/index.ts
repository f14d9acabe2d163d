/**
 * The `trustbench datasets ...` commands.
 */
import type { Command } from 'commander';

/** Adds this package's commands to the `trustbench` program. */
export function registerCommands(program: Command): void {
  void program;
}

/**
 * @trustbench/cli: the `trustbench` command.
 */
export { createProgram } from './program.js';

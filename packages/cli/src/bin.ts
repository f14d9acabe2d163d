#!/usr/bin/env node
/**
 * The `trustbench` executable. Errors that Trust Bench raises on purpose print their message and code,
 * not a stack trace; anything else is a bug and keeps its stack.
 */
import { TrustBenchError } from '@trustbench/core';
import { createProgram } from './program.js';

try {
  await createProgram().parseAsync(process.argv);
} catch (error) {
  if (error instanceof TrustBenchError) {
    process.stderr.write(`trustbench: ${error.message} [${error.code}]\n`);
    process.exitCode = 2;
  } else {
    throw error;
  }
}

/**
 * The run config file (JSON or YAML), equivalent to the command-line flags and validated with a JSON Schema.
 */
import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import yaml from 'js-yaml';
import { ConfigError } from '@trustbench/core';

/** A run config: every field is also a flag (`maxTokens` is `--max-tokens`). */
export interface LoopConfig {
  readonly model?: string;
  readonly tasks?: readonly string[];
  readonly data?: string;
  readonly limit?: number;
  readonly seed?: number;
  readonly maxTokens?: number;
  readonly concurrency?: number;
  readonly iterations?: number;
  readonly repeats?: number;
  readonly steering?: boolean;
  readonly steerMultipliers?: readonly number[];
  readonly out?: string;
  readonly failUnder?: readonly string[];
  readonly baseline?: string;
}

/** The JSON Schema of a config file. */
export const LOOP_CONFIG_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  properties: {
    model: { type: 'string', minLength: 1 },
    tasks: { type: 'array', items: { type: 'string', minLength: 1 }, minItems: 1 },
    data: { type: 'string', minLength: 1 },
    limit: { type: 'integer', minimum: 1 },
    seed: { type: 'integer', minimum: 0 },
    maxTokens: { type: 'integer', minimum: 1 },
    concurrency: { type: 'integer', minimum: 1 },
    iterations: { type: 'integer', minimum: 100 },
    repeats: { type: 'integer', minimum: 1 },
    steering: { type: 'boolean' },
    steerMultipliers: { type: 'array', items: { type: 'number', exclusiveMinimum: 0 }, minItems: 1 },
    out: { type: 'string', minLength: 1 },
    failUnder: { type: 'array', items: { type: 'string', pattern: '^[A-Za-z0-9_.:-]+=' } },
    baseline: { type: 'string', minLength: 1 },
  },
} as const;

const validate = new Ajv({ allErrors: true }).compile<LoopConfig>(LOOP_CONFIG_SCHEMA);

/**
 * Parses and validates config text; `file` names it in errors and picks YAML for `.yaml`/`.yml`.
 *
 * @throws {ConfigError} naming the file and the path of every invalid field, e.g. `runs.yaml: /limit must be integer`.
 * @example
 * parseConfig('limit: 5\ntasks: [safety]\n', 'run.yaml') // { limit: 5, tasks: ['safety'] }
 */
export function parseConfig(text: string, file: string): LoopConfig {
  let data: unknown;
  try {
    data = /\.ya?ml$/i.test(file) ? yaml.load(text) : JSON.parse(text);
  } catch (cause) {
    throw new ConfigError(`${file}: not valid ${/\.ya?ml$/i.test(file) ? 'YAML' : 'JSON'} (${(cause as Error).message})`, { cause });
  }
  if (!validate(data)) {
    const problems = (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? 'is invalid'}${e.keyword === 'additionalProperties' ? ` (${String((e.params as { additionalProperty?: string }).additionalProperty)})` : ''}`);
    throw new ConfigError(`${file}: ${problems.join('; ')}`);
  }
  return data;
}

/**
 * Reads and validates a config file.
 *
 * @throws {ConfigError} when the file cannot be read or is invalid.
 * @example
 * const config = readConfig('trustbench.yaml');
 */
export function readConfig(file: string): LoopConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (cause) {
    throw new ConfigError(`${file}: cannot read the config file (${(cause as Error).message})`, { cause });
  }
  return parseConfig(text, file);
}

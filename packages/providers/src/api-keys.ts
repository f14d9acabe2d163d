/**
 * API keys from the environment or a `.env` file, and redaction so that a key never reaches a log, an
 * error, a journal, a report or a cache file.
 */
import { readFileSync } from 'node:fs';
import { ConfigError } from '@trustbench/core';

/** The environment variable that holds each provider's key. */
export const KEY_VARIABLES = {
  openai: 'OPENAI_API_KEY',
  anthropic: 'ANTHROPIC_API_KEY',
  google: 'GEMINI_API_KEY',
  xai: 'XAI_API_KEY',
  'openai-compatible': 'OPENAI_COMPATIBLE_API_KEY',
} as const;

/**
 * Parses a `.env` file: `NAME=value` lines, optional `export`, quotes stripped, `#` comments.
 *
 * @example
 * parseDotEnv('OPENAI_API_KEY="sk-..."\n# comment') // { OPENAI_API_KEY: 'sk-...' }
 */
export function parseDotEnv(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const raw of text.split(/\r?\n/)) {
    const m = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$/.exec(raw);
    if (!m || raw.trimStart().startsWith('#')) continue;
    let value = m[2] as string;
    if (/^(["']).*\1$/.test(value)) value = value.slice(1, -1);
    else value = value.replace(/\s+#.*$/, '');
    out[m[1] as string] = value;
  }
  return out;
}

/**
 * Finds a provider's key: the environment first, then a `.env` file (default `./.env`, if it exists).
 *
 * @throws {ConfigError} naming the variable to set (never a value).
 * @example
 * const key = resolveApiKey('anthropic');
 */
export function resolveApiKey(
  provider: keyof typeof KEY_VARIABLES,
  options: { readonly env?: Readonly<Record<string, string | undefined>>; readonly envFile?: string; readonly required?: boolean } = {},
): string | undefined {
  const name = KEY_VARIABLES[provider];
  const env = options.env ?? process.env;
  const fromEnv = env[name];
  if (fromEnv) return fromEnv;
  let fileText: string | null = null;
  try {
    fileText = readFileSync(options.envFile ?? '.env', 'utf8');
  } catch {
    fileText = null;
  }
  const fromFile = fileText === null ? undefined : parseDotEnv(fileText)[name];
  if (fromFile) return fromFile;
  if (options.required ?? true) throw new ConfigError(`${provider}: no API key; set ${name} in the environment or in a .env file`);
  return undefined;
}

/**
 * Replaces every occurrence of the secrets in a text by `[redacted]`.
 *
 * @example
 * redact('Bearer sk-123 failed', ['sk-123']) // 'Bearer [redacted] failed'
 */
export function redact(text: string, secrets: readonly (string | undefined)[]): string {
  let out = text;
  for (const s of secrets) if (s && s.length >= 4) out = out.split(s).join('[redacted]');
  return out;
}

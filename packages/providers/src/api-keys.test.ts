import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ConfigError } from '@trustbench/core';
import { describe, expect, it } from 'vitest';
import { parseDotEnv, redact, resolveApiKey } from './api-keys.js';
import { createModel } from './create-model.js';

describe('API keys', () => {
  it('parses .env files', () => {
    expect(parseDotEnv('# c\nexport OPENAI_API_KEY="sk-1 2"\nANTHROPIC_API_KEY=abc # note\nBAD LINE\nX=\'y\'')).toEqual({ OPENAI_API_KEY: 'sk-1 2', ANTHROPIC_API_KEY: 'abc', X: 'y' });
  });

  it('takes the environment first, then .env, and names the variable when neither has it', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'tb-env-'));
    const envFile = path.join(dir, '.env');
    await fs.writeFile(envFile, 'ANTHROPIC_API_KEY=from-file\n');
    expect(resolveApiKey('anthropic', { env: { ANTHROPIC_API_KEY: 'from-env' }, envFile })).toBe('from-env');
    expect(resolveApiKey('anthropic', { env: {}, envFile })).toBe('from-file');
    expect(() => resolveApiKey('openai', { env: {}, envFile })).toThrow(new ConfigError('openai: no API key; set OPENAI_API_KEY in the environment or in a .env file'));
    await expect(createModel('google:gemini-x', { env: {}, envFile })).rejects.toThrow(/GEMINI_API_KEY/);
    await fs.rm(dir, { recursive: true });
  });

  it('redacts secrets', () => {
    expect(redact('key sk-abcd and sk-abcd', ['sk-abcd', undefined])).toBe('key [redacted] and [redacted]');
  });

  it('builds every provider from its id', async () => {
    const env = { OPENAI_API_KEY: 'k-openai', ANTHROPIC_API_KEY: 'k-anth', GEMINI_API_KEY: 'k-gem', XAI_API_KEY: 'k-xai' };
    expect((await createModel('openai:gpt-4o-mini', { env })).id).toBe('openai:gpt-4o-mini');
    expect((await createModel('xai:grok-4', { env })).id).toBe('xai:grok-4');
    expect((await createModel('anthropic:claude-x', { env })).id).toBe('anthropic:claude-x');
    expect((await createModel('google:gemini-x', { env })).id).toBe('google:gemini-x');
    expect((await createModel('openai-compatible:http://127.0.0.1:9/v1#m', { env: {}, envFile: '/nonexistent', completions: true })).capabilities.scoreContinuations).toBe(true);
    await expect(createModel('local:/tmp/x')).rejects.toThrow(/pass loadLocal/);
  });
});

import { ConfigError } from '@trustbench/core';
import { describe, expect, it } from 'vitest';
import { parseModelId } from './model-id.js';

describe('parseModelId', () => {
  it('parses every provider form', () => {
    expect(parseModelId('openai:gpt-4o-mini')).toEqual({ provider: 'openai', model: 'gpt-4o-mini' });
    expect(parseModelId('anthropic:claude-x')).toEqual({ provider: 'anthropic', model: 'claude-x' });
    expect(parseModelId('xai:grok:beta')).toEqual({ provider: 'xai', model: 'grok:beta' });
    expect(parseModelId('local:/models/qwen')).toEqual({ provider: 'local', path: '/models/qwen' });
    expect(parseModelId('openai-compatible:http://127.0.0.1:8000/v1#Qwen/Qwen3.5-0.8B')).toEqual({
      provider: 'openai-compatible', baseURL: 'http://127.0.0.1:8000/v1', model: 'Qwen/Qwen3.5-0.8B',
    });
  });
  it('names what is wrong', () => {
    expect(() => parseModelId('gpt-4o')).toThrow(ConfigError);
    expect(() => parseModelId('bogus:x')).toThrow(/provider "bogus"/);
    expect(() => parseModelId('openai-compatible:localhost#m')).toThrow(/base URL "localhost"/);
    expect(() => parseModelId('openai:')).toThrow(/expected <provider>:<model>/);
  });
});

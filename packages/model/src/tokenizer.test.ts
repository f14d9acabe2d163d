import { readFileSync } from 'node:fs';
import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError } from '@trustbench/core';
import { afterEach, describe, expect, it } from 'vitest';
import { loadTokenizer } from './tokenizer.js';

const dir = fileURLToPath(new URL('../../../fixtures/qwen35-tiny', import.meta.url));
interface Golden {
  special_tokens: Record<string, number>;
  eos_token_id: number;
  pad_token_id: number;
  encodings: { text: string; ids: number[]; tokens: string[]; decoded: string }[];
  chat: { messages: { role: 'system' | 'user' | 'assistant'; content: string }[]; add_generation_prompt: boolean; enable_thinking?: boolean; text: string; ids: number[] }[];
}
const golden = JSON.parse(readFileSync(`${dir}/tokenizer-golden.json`, 'utf8')) as Golden;

describe('Qwen3.5 tokenizer (fixture golden)', async () => {
  const tok = await loadTokenizer(dir, [500]);

  it.each(golden.encodings.map((e) => [JSON.stringify(e.text).slice(0, 40), e] as const))('encodes and decodes %s exactly', (_, e) => {
    const ids = tok.encode(e.text);
    expect(ids).toEqual(e.ids);
    expect(ids.map((id) => tok.idToToken(id))).toEqual(e.tokens);
    expect(tok.decode(ids)).toBe(e.decoded);
  });

  it('keeps <think> (not special) and drops special tokens with skipSpecialTokens', () => {
    const ids = tok.encode('<|im_start|>user\nHi<|im_end|>\n<think>\nok\n</think>');
    expect(tok.decode(ids, { skipSpecialTokens: true })).toBe('user\nHi\n<think>\nok\n</think>');
  });

  it.each(golden.chat.map((c, i) => [i, c] as const))('renders chat template case %i exactly', (_, c) => {
    const text = tok.applyChatTemplate(c.messages, { addGenerationPrompt: c.add_generation_prompt, ...(c.enable_thinking === undefined ? {} : { enableThinking: c.enable_thinking }) });
    expect(text).toBe(c.text);
    expect(tok.encode(text)).toEqual(c.ids);
  });

  it('knows its special ids and stop tokens', () => {
    expect(tok.vocabSize).toBe(512);
    expect(tok.eosTokenIds).toEqual([golden.eos_token_id, 500]);
    expect(tok.padTokenId).toBe(golden.pad_token_id);
    for (const [token, id] of Object.entries(golden.special_tokens)) expect(tok.encode(token)).toEqual([id]);
  });
});

describe('tokenizer files', () => {
  const temps: string[] = [];
  const folder = async (config: Record<string, unknown>, tokenizer?: Record<string, unknown>) => {
    const d = await mkdtemp(path.join(os.tmpdir(), 'tb-tok-'));
    temps.push(d);
    await writeFile(path.join(d, 'tokenizer_config.json'), JSON.stringify(config));
    if (tokenizer) await writeFile(path.join(d, 'tokenizer.json'), JSON.stringify(tokenizer));
    else await copyFile(path.join(dir, 'tokenizer.json'), path.join(d, 'tokenizer.json'));
    return d;
  };
  const { chat_template: template, ...configWithoutTemplate } = JSON.parse(readFileSync(`${dir}/tokenizer_config.json`, 'utf8')) as Record<string, unknown>;
  afterEach(async () => {
    await Promise.all(temps.splice(0).map((d) => rm(d, { recursive: true, force: true })));
  });

  it('reads the chat template from chat_template.jinja when tokenizer_config.json has none', async () => {
    const d = await folder(configWithoutTemplate);
    await writeFile(path.join(d, 'chat_template.jinja'), template as string);
    const tok = await loadTokenizer(d);
    for (const c of golden.chat) expect(tok.applyChatTemplate(c.messages, { addGenerationPrompt: c.add_generation_prompt, ...(c.enable_thinking === undefined ? {} : { enableThinking: c.enable_thinking }) })).toBe(c.text);
  });

  it('says which file is missing or has no template', async () => {
    const d = await folder(configWithoutTemplate);
    const tok = await loadTokenizer(d);
    expect(() => tok.applyChatTemplate([{ role: 'user', content: 'Hi' }])).toThrow(new ConfigError(`${d}: no chat template (neither tokenizer_config.json "chat_template" nor chat_template.jinja)`));
    await rm(path.join(d, 'tokenizer.json'));
    await expect(loadTokenizer(d)).rejects.toThrow(new RegExp(`^${path.join(d, 'tokenizer.json').replaceAll('.', '\\.')}: cannot read`));
    await expect(loadTokenizer(d)).rejects.toThrow(ConfigError);
  });

  it('handles a vocabulary the size of the real one (248k entries)', async () => {
    const tokenizer = JSON.parse(readFileSync(`${dir}/tokenizer.json`, 'utf8')) as { model: { vocab: Record<string, number> } };
    for (let i = 0; i < 250_000; i++) tokenizer.model.vocab[`filler${i}`] = 512 + i;
    const tok = await loadTokenizer(await folder(configWithoutTemplate, tokenizer));
    expect(tok.vocabSize).toBe(250_512);
    expect(tok.encode(golden.encodings[0]!.text)).toEqual(golden.encodings[0]!.ids);
  });
});

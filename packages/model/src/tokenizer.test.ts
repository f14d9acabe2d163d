import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
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

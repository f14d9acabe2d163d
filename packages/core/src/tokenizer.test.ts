import { describe, expect, it } from 'vitest';
import type { ChatMessage } from './messages.js';
import { encodePrompt, type ChatTemplateOptions, type Tokenizer } from './tokenizer.js';

/** Encodes each character as its code; the template records its options in the text. */
const tokenizer: Tokenizer = {
  vocabSize: 65_536,
  eosTokenIds: [0],
  padTokenId: null,
  idToToken: (id) => String.fromCharCode(id),
  encode: (text) => Array.from(text, (ch) => ch.charCodeAt(0)),
  decode: (ids) => String.fromCharCode(...ids),
  applyChatTemplate: (messages: readonly ChatMessage[], o: ChatTemplateOptions = {}) => `${messages.map((m) => `${m.role}:${m.content}`).join('|')}|gen=${o.addGenerationPrompt}|think=${o.enableThinking}`,
};

describe('encodePrompt', () => {
  it('encodes a string as it is, and messages through the chat template with the generation prompt, thinking off unless asked', () => {
    const text = (ids: number[]) => tokenizer.decode(ids);
    expect(text(encodePrompt(tokenizer, 'plain'))).toBe('plain');
    expect(text(encodePrompt(tokenizer, [{ role: 'user', content: 'Hi' }]))).toBe('user:Hi|gen=true|think=false');
    expect(text(encodePrompt(tokenizer, [{ role: 'user', content: 'Hi' }], true))).toBe('user:Hi|gen=true|think=true');
  });
});

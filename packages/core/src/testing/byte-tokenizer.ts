/**
 * A UTF-8 byte tokenizer with a ChatML-style template: ids 0..255 are bytes, 256 is end-of-text.
 * Small, exact and dependency-free, for tests of code that needs a `Tokenizer`.
 */
import type { ChatMessage } from '../messages.js';
import type { ChatTemplateOptions, Tokenizer } from '../tokenizer.js';

const EOS = 256;

/**
 * Creates the byte tokenizer.
 *
 * @example
 * createByteTokenizer().encode('hi') // [104, 105]
 */
export function createByteTokenizer(): Tokenizer {
  const encoder = new TextEncoder();
  const decoder = new TextDecoder();
  return {
    vocabSize: 257,
    eosTokenIds: [EOS],
    padTokenId: EOS,
    encode: (text) => [...encoder.encode(text)],
    decode: (ids, options) => decoder.decode(Uint8Array.from(ids.filter((id) => id < 256))) + (options?.skipSpecialTokens ? '' : ids.filter((id) => id === EOS).map(() => '<eos>').join('')),
    idToToken: (id) => (id === EOS ? '<eos>' : id >= 0 && id < 256 ? String.fromCharCode(id) : undefined),
    applyChatTemplate: (messages: readonly ChatMessage[], options: ChatTemplateOptions = {}) =>
      messages.map((m) => `<|${m.role}|>\n${m.content}\n`).join('') + ((options.addGenerationPrompt ?? true) ? '<|assistant|>\n' : ''),
  };
}

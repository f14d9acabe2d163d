/**
 * The tokenizer capability: what a model offers when callers may see its tokens.
 */
import type { ChatMessage, Prompt } from './messages.js';

/** Options of `Tokenizer.applyChatTemplate`. */
export interface ChatTemplateOptions {
  /** Append the assistant turn opener so the model answers next. Default `true`. */
  readonly addGenerationPrompt?: boolean;
  /** Qwen3.5's thinking switch. Default `false` (the empty think block is written). */
  readonly enableThinking?: boolean;
}

/** A model's tokenizer and chat template. */
export interface Tokenizer {
  /** Number of ids (including added tokens). */
  readonly vocabSize: number;
  /** Ids that end generation (e.g. `<|im_end|>` and `<|endoftext|>`). */
  readonly eosTokenIds: readonly number[];
  /** The padding id, or `null` when the tokenizer has none. */
  readonly padTokenId: number | null;
  /** Text to ids. Special tokens written in the text are recognised as single ids. */
  encode(text: string): number[];
  /** Ids to text. */
  decode(ids: readonly number[], options?: { readonly skipSpecialTokens?: boolean }): string;
  /** The token string of an id (for display), or `undefined` for an unknown id. */
  idToToken(id: number): string | undefined;
  /** Renders a conversation with the model's chat template. */
  applyChatTemplate(messages: readonly ChatMessage[], options?: ChatTemplateOptions): string;
}

/**
 * The token ids a model is prompted with: a string as it is, messages through the chat template with the
 * generation prompt (thinking off unless asked). Every generation path encodes prompts through this one function,
 * so batched and one-at-a-time replies see the same ids.
 *
 * @example
 * encodePrompt(tokenizer, [{ role: 'user', content: 'Hi' }]) // the chat-templated ids
 */
export function encodePrompt(tokenizer: Tokenizer, prompt: Prompt, enableThinking = false): number[] {
  return tokenizer.encode(typeof prompt === 'string' ? prompt : tokenizer.applyChatTemplate(prompt, { addGenerationPrompt: true, enableThinking }));
}

/**
 * The Qwen3.5 tokenizer and chat template from a Hugging Face folder: byte-level BPE through
 * `@huggingface/tokenizers`, the Jinja chat template through `@huggingface/jinja` (ChatML with the
 * `enable_thinking` switch, off by default).
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { Template } from '@huggingface/jinja';
import { Tokenizer as HfTokenizer } from '@huggingface/tokenizers';
import { ConfigError, type ChatMessage, type ChatTemplateOptions, type Tokenizer } from '@trustbench/core';

/**
 * Loads `tokenizer.json`, `tokenizer_config.json` and the chat template (`chat_template` in the config, or
 * `chat_template.jinja`) from a folder.
 *
 * @param extraEosIds End-of-sequence ids beyond the tokenizer's `eos_token` (e.g. `text_config.eos_token_id`).
 * @throws {ConfigError} naming the file when one is missing or malformed.
 * @example
 * const tok = await loadTokenizer('fixtures/qwen35-tiny', [500]);
 * tok.applyChatTemplate([{ role: 'user', content: 'Hi' }]);
 */
export async function loadTokenizer(dir: string, extraEosIds: readonly number[] = []): Promise<Tokenizer> {
  const tokenizerJson = await readJson(path.join(dir, 'tokenizer.json'));
  const config = await readJson(path.join(dir, 'tokenizer_config.json'));
  const templateFile = path.join(dir, 'chat_template.jinja');
  const templateSource = typeof config['chat_template'] === 'string' ? config['chat_template'] : await readFile(templateFile, 'utf8').catch(() => null);
  const hf = new HfTokenizer(tokenizerJson, config);
  const special = new Set<number>();
  for (const t of (tokenizerJson['added_tokens'] as { id: number; special?: boolean }[] | undefined) ?? []) if (t.special) special.add(t.id);
  const tokenId = (key: string): number | null => {
    const value = config[key];
    const content = typeof value === 'string' ? value : (value as { content?: string } | null | undefined)?.content;
    if (content === undefined || content === null) return null;
    const id = hf.token_to_id(content);
    if (id === undefined) throw new ConfigError(`${path.join(dir, 'tokenizer_config.json')}: ${key} "${content}" is not in the vocabulary`);
    return id;
  };
  const eos = tokenId('eos_token');
  const template = templateSource === null ? null : new Template(templateSource);
  // A loop, not Math.max(...ids): spreading the real 248k-entry vocabulary overflows the call stack.
  let maxId = -1;
  for (const id of hf.get_vocab(true).values()) if (id > maxId) maxId = id;
  return {
    vocabSize: maxId + 1,
    eosTokenIds: [...new Set([...(eos === null ? [] : [eos]), ...extraEosIds])],
    padTokenId: tokenId('pad_token'),
    encode: (text) => hf.encode(text, { add_special_tokens: false }).ids,
    decode: (ids, options) => hf.decode([...ids], { skip_special_tokens: options?.skipSpecialTokens ?? false, clean_up_tokenization_spaces: false }),
    idToToken: (id) => hf.id_to_token(id),
    applyChatTemplate(messages: readonly ChatMessage[], options: ChatTemplateOptions = {}): string {
      if (template === null) throw new ConfigError(`${dir}: no chat template (neither tokenizer_config.json "chat_template" nor chat_template.jinja)`);
      return template.render({
        messages: messages.map((m) => ({ role: m.role, content: m.content })),
        add_generation_prompt: options.addGenerationPrompt ?? true,
        enable_thinking: options.enableThinking ?? false,
        bos_token: '',
        eos_token: eos === null ? '' : hf.id_to_token(eos),
      });
    },
  };
}

async function readJson(file: string): Promise<Record<string, unknown>> {
  const text = await readFile(file, 'utf8').catch((cause: unknown) => {
    throw new ConfigError(`${file}: cannot read (${(cause as Error).message})`, { cause });
  });
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch (cause) {
    throw new ConfigError(`${file}: not valid JSON (${(cause as Error).message})`, { cause });
  }
}

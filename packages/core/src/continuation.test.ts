import { describe, expect, it } from 'vitest';
import { encodeContinuation } from './continuation.js';
import { createByteTokenizer } from './testing/byte-tokenizer.js';
import type { Tokenizer } from './tokenizer.js';

describe('encodeContinuation', () => {
  it('moves trailing context whitespace into the continuation, as lm-eval-harness does', () => {
    const tok = createByteTokenizer();
    const { contextIds, continuationIds } = encodeContinuation(tok, 'Answer: ', 'A');
    expect(tok.decode(contextIds)).toBe('Answer:');
    expect(tok.decode(continuationIds)).toBe(' A');
  });

  it('keeps a merge across the boundary inside the continuation', () => {
    // A word tokenizer that merges " A" into one token: context "Q:" + continuation " A".
    const vocab = ['Q', ':', ' A', ' ', 'A'];
    const tok: Pick<Tokenizer, 'encode' | 'eosTokenIds'> = {
      eosTokenIds: [99],
      encode: (text) => {
        const out: number[] = [];
        for (let i = 0; i < text.length; ) {
          const two = text.slice(i, i + 2);
          if (two === ' A') { out.push(2); i += 2; } else { out.push(vocab.indexOf(text[i]!)); i += 1; }
        }
        return out;
      },
    };
    expect(encodeContinuation(tok, 'Q:', ' A')).toEqual({ contextIds: [0, 1], continuationIds: [2] });
  });

  it('gives an empty context the end-of-sequence id', () => {
    const tok = createByteTokenizer();
    expect(encodeContinuation(tok, '', 'hi')).toEqual({ contextIds: [256], continuationIds: [104, 105] });
  });
});

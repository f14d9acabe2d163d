/** The batch plumbing both engines share: the token-id check of the embedding gather. */
import { InputError } from '@trustbench/core';
import { describe, expect, it } from 'vitest';
import { checkTokenId } from './batch-tensors.js';

describe('checkTokenId', () => {
  it('accepts ids in [0, vocabSize) and names the position, sequence and vocabulary of any other', () => {
    expect(() => checkTokenId(0, 0, 0, 10)).not.toThrow();
    expect(() => checkTokenId(9, 0, 0, 10)).not.toThrow();
    expect(() => checkTokenId(10, 3, 1, 10)).toThrow(new InputError('token id 10 at position 3 of sequence 1 is outside the vocabulary [0, 10)'));
    expect(() => checkTokenId(-1, 0, 0, 10)).toThrow(InputError);
    expect(() => checkTokenId(1.5, 0, 0, 10)).toThrow(InputError);
  });
});

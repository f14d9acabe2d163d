import { InputError } from '@trustbench/core';
import { describe, expect, it } from 'vitest';
import { accuracy } from './accuracy.js';

describe('accuracy', () => {
  it('counts exact matches', () => {
    expect(accuracy(['a', 'b', 'a'], ['a', 'a', 'a'])).toBeCloseTo(2 / 3, 15);
    expect(accuracy([1, 2], [1, 2])).toBe(1);
  });
  it('rejects empty and mismatched input', () => {
    expect(() => accuracy([], [])).toThrow(InputError);
    expect(() => accuracy([1], [1, 2])).toThrow(/predictions has 1 items, gold has 2/);
  });
});

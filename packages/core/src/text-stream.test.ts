import { describe, expect, it } from 'vitest';
import { createTextStream } from './text-stream.js';

/** Each id decodes to one piece; special ids (< 0 pieces) are skipped like a tokenizer with skipSpecialTokens. */
const pieces = ['he', 'llo', '\uFFFD', 'é', ' wor', 'ld', '\n', 'more'];
const tokenizer = { decode: (ids: readonly number[]) => ids.map((i) => (i === 2 && ids.at(-1) !== 2 ? '' : pieces[i])).join('') };

describe('createTextStream', () => {
  it('streams stable text, holds a trailing U+FFFD back until the next token replaces it, and flushes at finish', () => {
    const deltas: string[] = [];
    const text = createTextStream(tokenizer, { onText: (d) => deltas.push(d) });
    expect(text.push([0, 1])).toBe(false);
    expect(text.push([0, 1, 2])).toBe(false); // 'hello\uFFFD': the U+FFFD waits
    expect(deltas).toEqual(['hello']);
    expect(text.push([0, 1, 2, 3])).toBe(false);
    expect(deltas).toEqual(['hello', 'é']);
    const held = createTextStream(tokenizer, { onText: (d) => deltas.push(d) });
    held.push([0, 2]);
    expect(held.finish()).toBe('he\uFFFD');
    expect(deltas.slice(2)).toEqual(['he', '\uFFFD']);
  });

  it('cuts the text at the earliest stop string and reports the stop; empty stop strings never match', () => {
    const deltas: string[] = [];
    const text = createTextStream(tokenizer, { stop: ['', 'ld', ' w'], onText: (d) => deltas.push(d) });
    expect(text.push([0, 1, 4])).toBe(true);
    expect(text.finish()).toBe('hello');
    expect(deltas.join('')).toBe('hello');
    expect(createTextStream(tokenizer, {}).finish()).toBe('');
  });
});

/** `logprobOf` is `logSoftmax(row)[id]` to the bit, without the full log-softmax. */
import { expect, it } from 'vitest';
import { logSoftmax } from './ops.js';
import { logprobOf } from './token-logprobs.js';

it('logprobOf gives the bits of logSoftmax at the id', () => {
  const row = Float32Array.from({ length: 1000 }, (_, i) => 30 * Math.sin(i * 0.37));
  for (const id of [0, 17, 999]) expect(logprobOf(row, id)).toBe(logSoftmax(row)[id]);
});

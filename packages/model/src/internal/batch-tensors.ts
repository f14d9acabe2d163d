/** Batch plumbing shared by both engines: token input to sequences, and per-sequence outputs stacked right-padded. */
import { InputError, tensor, type Tensor, type TokenInput } from '@trustbench/core';

/** The sequences of a `TokenInput`: one list of ids, or a batch of them. */
export function toBatch(input: TokenInput): (readonly number[])[] {
  if (input.length > 0 && Array.isArray(input[0])) return input as (readonly number[])[];
  return [input as readonly number[]];
}

/** Stacks [1, ...dims] tensors on the batch axis, right-padding every other axis with zeros to the largest size. */
export function stackPadded(parts: readonly Tensor[]): Tensor {
  const first = parts[0] as Tensor;
  if (parts.length === 1) return first;
  const dims = first.shape.slice(1).map((_, a) => Math.max(...parts.map((p) => p.shape[a + 1] as number)));
  const size = dims.reduce((x, y) => x * y, 1);
  const out = new Float32Array(parts.length * size);
  parts.forEach((p, b) => {
    const src = p.shape.slice(1);
    const count = src.reduce((x, y) => x * y, 1);
    for (let flat = 0; flat < count; flat++) {
      let rem = flat;
      let dst = 0;
      let stride = 1;
      for (let a = src.length - 1; a >= 0; a--) {
        const idx = rem % (src[a] as number);
        rem = Math.floor(rem / (src[a] as number));
        dst += idx * stride;
        stride *= dims[a] as number;
      }
      out[b * size + dst] = p.data[flat] as number;
    }
  });
  return tensor(out, [parts.length, ...dims]);
}

/**
 * Throws unless `id` (position `t` of sequence `s`) is a token id of a `vocabSize` vocabulary; both engines check
 * every id as they gather its embedding row.
 *
 * @throws {InputError} for an id outside [0, vocabSize), naming the sequence and position.
 */
export function checkTokenId(id: number, t: number, s: number, vocabSize: number): void {
  if (!Number.isInteger(id) || id < 0 || id >= vocabSize) throw new InputError(`token id ${id} at position ${t} of sequence ${s} is outside the vocabulary [0, ${vocabSize})`);
}

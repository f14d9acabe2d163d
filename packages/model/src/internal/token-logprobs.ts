/** Log-probabilities of sampled tokens, as both engines report them in `generate` and in step-decoder events. */
import type { TokenLogprob, Tokenizer } from '@trustbench/core';
import { logSoftmax, logSumExp } from './ops.js';

/** `logSoftmax(row)[id]` (the same bits), without building the whole 248k-entry log-softmax. */
export function logprobOf(row: Float32Array, id: number): number {
  return (row[id] as number) - logSumExp(row);
}

/** The k most likely ids, best first, ties to the lower id. */
export function topTokens(lp: ArrayLike<number>, k: number): { tokenId: number; logprob: number }[] {
  const best: { tokenId: number; logprob: number }[] = [];
  const taken = new Set<number>();
  for (let r = 0; r < Math.min(k, lp.length); r++) {
    let b = -1;
    for (let i = 0; i < lp.length; i++) if (!taken.has(i) && (b < 0 || (lp[i] as number) > (lp[b] as number))) b = i;
    taken.add(b);
    best.push({ tokenId: b, logprob: lp[b] as number });
  }
  return best;
}

/** The `generate` log-probability entry of token `id` sampled from `logits`, with the `top` most likely tokens. */
export function tokenLogprob(logits: Float32Array, id: number, tokenizer: Tokenizer, top: number): TokenLogprob {
  if (top <= 0) return { token: tokenizer.decode([id]), logprob: logprobOf(logits, id) };
  const lp = logSoftmax(logits);
  const entry: TokenLogprob = { token: tokenizer.decode([id]), logprob: lp[id] as number };
  return { ...entry, top: topTokens(lp, top).map((t) => ({ token: tokenizer.decode([t.tokenId]), logprob: t.logprob })) };
}

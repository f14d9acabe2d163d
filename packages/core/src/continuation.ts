/**
 * The context/continuation token boundary for log-likelihood scoring, handled as lm-eval-harness does:
 * trailing whitespace of the context moves to the continuation, the pair is encoded whole, and the
 * continuation's ids are what follows the context's own encoding. This keeps a merge across the
 * boundary (e.g. " A" as one token) inside the continuation.
 */
import type { Tokenizer } from './tokenizer.js';

/** Token ids of a context and its continuation. */
export interface EncodedContinuation {
  readonly contextIds: number[];
  readonly continuationIds: number[];
}

/**
 * Encodes a (context, continuation) pair for scoring.
 *
 * An empty context is given the first end-of-sequence id as context, so the first continuation token
 * has something to be predicted from.
 *
 * @example
 * encodeContinuation(tok, 'Answer:', ' A') // { contextIds: [...'Answer:'], continuationIds: [...' A'] }
 */
export function encodeContinuation(tokenizer: Pick<Tokenizer, 'encode' | 'eosTokenIds'>, context: string, continuation: string): EncodedContinuation {
  const ctx = context.replace(/\s+$/u, '');
  const cont = context.slice(ctx.length) + continuation;
  const whole = tokenizer.encode(ctx + cont);
  const contextIds = ctx.length > 0 ? tokenizer.encode(ctx) : [];
  let split = contextIds.length;
  // A merge across the boundary can make the whole encoding's prefix differ from the context's; move the split back to where they agree.
  while (split > 0 && whole[split - 1] !== contextIds[split - 1]) split--;
  const continuationIds = whole.slice(split);
  const head = whole.slice(0, split);
  if (head.length === 0) {
    const eos = tokenizer.eosTokenIds[0];
    return { contextIds: eos === undefined ? [] : [eos], continuationIds };
  }
  return { contextIds: head, continuationIds };
}

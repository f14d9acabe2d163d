/**
 * Test helper for step decoders (both engines' tests): drives a decoder through a schedule of joins and leaves and
 * collects what each named sequence received, checking the slot invariants on the way.
 */
import type { DecodeRequest, StepDecoder, Tokenizer } from '@trustbench/core';
import { expect } from 'vitest';

/** What one named sequence received. */
export interface Collected {
  tokens: number[];
  logprobs: number[];
  /** The alternatives of each token, as (decoded token, logprob). */
  top: { token: string; logprob: number }[][];
  finish?: string;
}

/**
 * Runs a schedule: at step s, the sequences of `joins[s]` join and those of `leaves[s]` leave (before the step).
 * Returns what each named sequence received, and the number of sequences in each step's batch.
 */
export async function drive(decoder: StepDecoder, tokenizer: Tokenizer, joins: Record<number, Record<string, DecodeRequest>>, leaves: Record<number, string[]> = {}) {
  const slotOf = new Map<string, number>();
  const nameOf = new Map<number, string>();
  const out: Record<string, Collected> = {};
  const batchSizes: number[] = [];
  const lastJoin = Math.max(...Object.keys(joins).map(Number));
  for (let s = 0; decoder.active.length > 0 || s <= lastJoin; s++) {
    for (const [name, request] of Object.entries(joins[s] ?? {})) {
      const slot = decoder.join(request);
      expect(nameOf.has(slot)).toBe(false); // a slot is never handed out twice at once
      slotOf.set(name, slot);
      nameOf.set(slot, name);
      out[name] = { tokens: [], logprobs: [], top: [] };
    }
    for (const name of leaves[s] ?? []) {
      decoder.leave(slotOf.get(name)!);
      nameOf.delete(slotOf.get(name)!);
      out[name]!.finish = 'left';
    }
    batchSizes.push(decoder.active.length);
    for (const e of await decoder.step()) {
      const c = out[nameOf.get(e.slot)!]!;
      if (e.tokenId !== undefined) {
        c.tokens.push(e.tokenId);
        c.logprobs.push(e.logprob!);
        c.top.push((e.top ?? []).map((x) => ({ token: tokenizer.decode([x.tokenId]), logprob: x.logprob })));
      }
      if (e.finishReason) {
        c.finish = e.finishReason;
        nameOf.delete(e.slot);
        expect(decoder.active).not.toContain(e.slot);
      }
    }
  }
  return { out, batchSizes, slotOf };
}

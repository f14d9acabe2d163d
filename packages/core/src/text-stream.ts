/**
 * The text side of generation, shared by every engine and by continuous batching: the decoded text of the ids so
 * far, cut at the first stop string, streamed to `onText` only where it is stable.
 */
import type { Tokenizer } from './tokenizer.js';

/** Decoded text of a growing list of generated ids. */
export interface TextStream {
  /** Takes every id generated so far; returns true when a stop string ended the text (the text stops before it). */
  push(ids: readonly number[]): boolean;
  /** Flushes what is held back (a trailing U+FFFD) to `onText` and returns the whole text. */
  finish(): string;
}

/** What a `TextStream` needs of the generate options. */
export interface TextStreamOptions {
  readonly stop?: readonly string[];
  readonly onText?: (delta: string) => void;
}

/**
 * Creates a text stream. Text is decoded with special tokens skipped; a trailing U+FFFD may be an incomplete UTF-8
 * sequence that the next token completes, so it reaches `onText` only at `finish`.
 *
 * @example
 * const text = createTextStream(tokenizer, { stop: ['\n'], onText: (d) => process.stdout.write(d) });
 * if (text.push(ids)) finishReason = 'stop';
 * const reply = text.finish();
 */
export function createTextStream(tokenizer: Pick<Tokenizer, 'decode'>, options: TextStreamOptions): TextStream {
  // With nothing to stream and no stop string to find, no text is needed before `finish`: keep only the ids (decoding
  // all of them at every token would be quadratic in the reply's length).
  const lazy = options.onText === undefined && !(options.stop ?? []).some((s) => s.length > 0);
  let pushed: readonly number[] = [];
  let count = 0;
  let text = '';
  let emitted = '';
  const emit = (next: string, final: boolean): void => {
    text = next;
    const stable = final ? next : next.replace(/\uFFFD+$/u, '');
    if (stable.length > emitted.length && stable.startsWith(emitted)) {
      options.onText?.(stable.slice(emitted.length));
      emitted = stable;
    }
  };
  return {
    push(ids) {
      if (lazy) {
        [pushed, count] = [ids, ids.length];
        return false;
      }
      const full = tokenizer.decode(ids, { skipSpecialTokens: true });
      const at = firstStop(full, options.stop ?? []);
      emit(at === null ? full : full.slice(0, at), false);
      return at !== null;
    },
    finish() {
      if (lazy) text = tokenizer.decode(pushed.slice(0, count), { skipSpecialTokens: true });
      emit(text, true);
      return text;
    },
  };
}

/** Index of the earliest match of any non-empty stop string, or null. */
function firstStop(text: string, stops: readonly string[]): number | null {
  let at: number | null = null;
  for (const s of stops) {
    const i = s.length > 0 ? text.indexOf(s) : -1;
    if (i >= 0 && (at === null || i < at)) at = i;
  }
  return at;
}

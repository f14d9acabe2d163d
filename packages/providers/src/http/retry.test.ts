import { describe, expect, it } from 'vitest';
import { fetchWithRetry, isRetryable, parseRetryAfter } from './retry.js';

describe('retry policy', () => {
  it('retries 408, 409, 429 and 5xx only', () => {
    expect([400, 401, 404, 408, 409, 429, 500, 503].map(isRetryable)).toEqual([false, false, false, true, true, true, true, true]);
  });

  it('parses Retry-After as seconds or an HTTP date', () => {
    expect(parseRetryAfter('2')).toBe(2000);
    expect(parseRetryAfter('Sun, 22 Nov 2026 10:00:05 GMT', Date.parse('Sun, 22 Nov 2026 10:00:00 GMT'))).toBe(5000);
    expect(parseRetryAfter('soon')).toBeNull();
    expect(parseRetryAfter(null)).toBeNull();
  });

  it('waits with jittered exponential backoff under the ceiling, deterministically per seed', async () => {
    const delays = async (seed: number) => {
      const seen: number[] = [];
      const fake = (async () => new Response('{}', { status: 503 })) as typeof fetch;
      await fetchWithRetry('http://x.invalid/a', {}, { fetch: fake, retries: 4, baseDelayMs: 2, maxDelayMs: 8, seed, onRetry: (e) => seen.push(e.delayMs) }).catch(() => undefined);
      return seen;
    };
    const a = await delays(1);
    expect(a).toHaveLength(4);
    a.forEach((d, k) => expect(d).toBeLessThanOrEqual(Math.min(8, 2 * 2 ** k)));
    expect(await delays(1)).toEqual(a);
    expect(await delays(2)).not.toEqual(a);
  });

  it('stops at once when aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(fetchWithRetry('http://x.invalid', {}, { signal: controller.signal })).rejects.toThrow(/aborted/);
  });
});

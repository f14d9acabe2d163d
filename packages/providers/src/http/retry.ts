/**
 * HTTP with retries: exponential backoff with full jitter on 429, 5xx, timeouts and dropped connections,
 * honouring `Retry-After`, with a per-request timeout and cancellation.
 */
import { AbortError, createRandom, type Random } from '@trustbench/core';

/** Retry policy. */
export interface RetryOptions {
  /** Retries after the first attempt; default 4. */
  readonly retries?: number;
  /** First backoff ceiling in ms; default 500. Attempt k waits uniform(0, min(maxDelayMs, baseDelayMs * 2^k)). */
  readonly baseDelayMs?: number;
  /** Backoff ceiling in ms; default 20 000. */
  readonly maxDelayMs?: number;
  /** Per-attempt timeout in ms; default 60 000. */
  readonly timeoutMs?: number;
  /** Seed of the jitter; default 0. */
  readonly seed?: number;
  readonly signal?: AbortSignal;
  /** Injected for tests; default global `fetch`. */
  readonly fetch?: typeof fetch;
  /** Called before each retry (for logs); never receives request headers. */
  readonly onRetry?: (event: { attempt: number; delayMs: number; reason: string }) => void;
}

/** The last failure after every retry was spent. */
export class RetriesExhaustedError extends Error {
  constructor(
    message: string,
    readonly status: number | null,
  ) {
    super(message);
    this.name = 'RetriesExhaustedError';
  }
}

/**
 * Fetches with retries. Returns the first response that is not retryable (2xx, or a 4xx other than 408/429).
 *
 * @throws {RetriesExhaustedError} when every attempt failed with a retryable status or a network error / timeout.
 * @throws {AbortError} when `signal` aborts.
 * @example
 * const res = await fetchWithRetry('http://127.0.0.1:8000/v1/models', { method: 'GET' }, { retries: 2 });
 */
export async function fetchWithRetry(url: string, init: RequestInit, options: RetryOptions = {}): Promise<Response> {
  const retries = options.retries ?? 4;
  const random: Random = createRandom(options.seed ?? 0);
  const doFetch = options.fetch ?? fetch;
  let last = '';
  let lastStatus: number | null = null;
  for (let attempt = 0; ; attempt++) {
    if (options.signal?.aborted) throw new AbortError();
    const timeout = AbortSignal.timeout(options.timeoutMs ?? 60_000);
    const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
    let retryAfterMs: number | null = null;
    try {
      const res = await doFetch(url, { ...init, signal });
      if (!isRetryable(res.status)) return res;
      lastStatus = res.status;
      last = `HTTP ${res.status}`;
      retryAfterMs = parseRetryAfter(res.headers.get('retry-after'));
      await res.body?.cancel().catch(() => undefined);
    } catch (error) {
      if (options.signal?.aborted) throw new AbortError();
      lastStatus = null;
      last = timeout.aborted ? `no reply within ${options.timeoutMs ?? 60_000} ms` : describeNetworkError(error);
    }
    if (attempt >= retries) break;
    const ceiling = Math.min(options.maxDelayMs ?? 20_000, (options.baseDelayMs ?? 500) * 2 ** attempt);
    const delayMs = retryAfterMs ?? random.next() * ceiling;
    options.onRetry?.({ attempt: attempt + 1, delayMs, reason: last });
    await sleep(delayMs, options.signal);
  }
  throw new RetriesExhaustedError(`${new URL(url).origin}${new URL(url).pathname}: ${last} after ${retries + 1} attempts`, lastStatus);
}

/** 408, 409, 429 and every 5xx are worth retrying. */
export function isRetryable(status: number): boolean {
  return status === 408 || status === 409 || status === 429 || status >= 500;
}

/**
 * `Retry-After` in ms: delta-seconds or an HTTP date; `null` when absent or unparseable.
 *
 * @example
 * parseRetryAfter('2') // 2000
 */
export function parseRetryAfter(value: string | null, now = Date.now()): number | null {
  if (value === null) return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

function describeNetworkError(error: unknown): string {
  const cause = (error as { cause?: { code?: string } }).cause;
  return `connection failed (${cause?.code ?? (error instanceof Error ? error.message : String(error))})`;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(new AbortError());
    }, { once: true });
  });
}

/**
 * A disk cache of API replies, keyed by the full request (provider, endpoint, model, messages, sampling
 * parameters, seed) plus a repeat index, so a rerun costs nothing while repeated samples of one prompt are
 * never answered from each other's cache entry. Keys and headers are never part of the key or the file.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';

/** Cache counters. */
export interface CacheStats {
  hits: number;
  misses: number;
  writes: number;
}

/** A response cache (or a disabled one, with the same interface). */
export interface ResponseCache {
  readonly stats: Readonly<CacheStats>;
  get<T>(key: string): Promise<T | undefined>;
  set(key: string, value: unknown): Promise<void>;
}

/**
 * The cache key of a request: sha256 of its canonical JSON and the repeat index.
 *
 * @example
 * cacheKey({ url: 'https://api/x', body: { model: 'm', messages } }, 0)
 */
export function cacheKey(request: unknown, repeatIndex: number): string {
  return createHash('sha256').update(canonicalJson({ request, repeatIndex })).digest('hex');
}

/**
 * A cache in a folder (one JSON file per entry, written atomically), or a pass-through when `dir` is `null`.
 *
 * @example
 * const cache = createResponseCache('.trustbench/cache');
 */
export function createResponseCache(dir: string | null): ResponseCache {
  const stats: CacheStats = { hits: 0, misses: 0, writes: 0 };
  const file = (key: string): string => path.join(dir as string, key.slice(0, 2), `${key}.json`);
  return {
    stats,
    async get<T>(key: string): Promise<T | undefined> {
      if (dir === null) return undefined;
      const text = await fs.readFile(file(key), 'utf8').catch(() => null);
      if (text === null) {
        stats.misses++;
        return undefined;
      }
      stats.hits++;
      return JSON.parse(text) as T;
    },
    async set(key: string, value: unknown): Promise<void> {
      if (dir === null) return;
      const target = file(key);
      await fs.mkdir(path.dirname(target), { recursive: true });
      const tmp = `${target}.${process.pid}.tmp`;
      await fs.writeFile(tmp, JSON.stringify(value));
      await fs.rename(tmp, target);
      stats.writes++;
    },
  };
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * Fit / dev / test splits of a profile's items, by a seeded hash of each item's cluster (paired items stay together):
 * a fix is fitted on `fit`, its settings chosen on `dev`, and it is judged on `test` only.
 */
import { hashString } from '@trustbench/core';

/** The three splits. */
export type ItemSplit = 'fit' | 'dev' | 'test';

/**
 * The split of a cluster: 40% fit, 20% dev, 40% test (hash of `seed:split:cluster` modulo 5).
 *
 * @example
 * items.filter((i) => itemSplit(i.cluster, 1) === 'test');
 */
export function itemSplit(cluster: string, seed: number): ItemSplit {
  const k = hashString(`${seed}:split:${cluster}`) % 5;
  return k < 2 ? 'fit' : k === 2 ? 'dev' : 'test';
}

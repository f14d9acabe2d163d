/**
 * The hash that binds a journal to its run configuration: the journal header carries it, and a resumed (or merged)
 * run must produce the same one. `createdAt` is left out so that a resumed run keeps its hash, and `threads` and
 * `batchSize` because results depend on neither.
 */
import { createHash } from 'node:crypto';
import type { RunManifest } from '@trustbench/core';

/**
 * First 16 hex digits of the SHA-256 of the manifest's JSON without `createdAt`, `threads` and `batchSize` (the value
 * `runProfile` writes in the journal header).
 *
 * @example
 * openJournal(file, { runId: manifest.runId, manifestHash: manifestHash(manifest) }, (r) => r.key);
 */
export function manifestHash(manifest: RunManifest): string {
  return createHash('sha256').update(JSON.stringify({ ...manifest, createdAt: undefined, threads: undefined, batchSize: undefined })).digest('hex').slice(0, 16);
}

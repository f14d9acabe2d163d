/**
 * The manifest's weight hashes: SHA-256 of every safetensors file of a local model folder, streamed (a 0.8B checkpoint
 * is never held in memory for this).
 */
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

/**
 * Hashes the `*.safetensors` files of a folder, by file name; `undefined` when `source` is not a local folder (a hub id).
 *
 * @example
 * await hashWeightFiles('fixtures/planted/layer-1'); // { 'model.safetensors': '3f2a…' }
 */
export async function hashWeightFiles(source: string): Promise<Record<string, string> | undefined> {
  if (!existsSync(source) || !statSync(source).isDirectory()) return undefined;
  const out: Record<string, string> = {};
  for (const name of readdirSync(source).filter((f) => f.endsWith('.safetensors')).sort()) {
    const hash = createHash('sha256');
    for await (const chunk of createReadStream(path.join(source, name))) hash.update(chunk as Buffer);
    out[name] = hash.digest('hex');
  }
  return out;
}

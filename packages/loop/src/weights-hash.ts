/**
 * The manifest's weight hashes: SHA-256 of every safetensors file of a local model folder, streamed (a 0.8B checkpoint
 * is never held in memory for this).
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { sha256File } from '@trustbench/core';

/**
 * Hashes the `*.safetensors` files of a folder, by file name; `undefined` when `source` is not a local folder (a hub id).
 *
 * @example
 * await hashWeightFiles('fixtures/planted/layer-1'); // { 'model.safetensors': '3f2a…' }
 */
export async function hashWeightFiles(source: string): Promise<Record<string, string> | undefined> {
  if (!existsSync(source) || !statSync(source).isDirectory()) return undefined;
  const out: Record<string, string> = {};
  for (const name of readdirSync(source).filter((f) => f.endsWith('.safetensors')).sort()) out[name] = await sha256File(path.join(source, name));
  return out;
}

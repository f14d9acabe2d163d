/**
 * A dataset zip (e.g. TrustLLM's `dataset/dataset.zip`) unpacked once into a cache folder keyed by the zip's sha256, so
 * a zip works anywhere a folder does.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DataError } from '@trustbench/core';
import { unzipSync } from 'fflate';

/**
 * Unpacks `zipFile` (once) and returns the folder inside it that contains `marker` (e.g. `safety/jailbreak.json`).
 *
 * @throws {DataError} when the file is not a zip or holds no such folder.
 * @example
 * const root = folderFromZip('dataset.zip', 'safety/jailbreak.json');
 */
export function folderFromZip(zipFile: string, marker: string, cacheRoot = path.join(os.tmpdir(), 'trustbench-zips')): string {
  const bytes = readFileSync(zipFile);
  const dir = path.join(cacheRoot, createHash('sha256').update(bytes).digest('hex').slice(0, 16));
  if (!existsSync(dir)) {
    let entries: Record<string, Uint8Array>;
    try {
      entries = unzipSync(bytes);
    } catch (cause) {
      throw new DataError(`${zipFile}: not a readable zip archive (${(cause as Error).message})`, { cause });
    }
    const tmp = `${dir}.${process.pid}.tmp`;
    for (const [name, data] of Object.entries(entries)) {
      if (name.endsWith('/') || name.startsWith('__MACOSX/')) continue;
      const target = path.join(tmp, name);
      if (!target.startsWith(tmp + path.sep)) throw new DataError(`${zipFile}: entry "${name}" would be written outside the folder`);
      mkdirSync(path.dirname(target), { recursive: true });
      writeFileSync(target, data);
    }
    mkdirSync(cacheRoot, { recursive: true });
    renameSync(tmp, dir);
  }
  const found = findMarker(dir, marker, 4);
  if (!found) {
    rmSync(dir, { recursive: true, force: true });
    throw new DataError(`${zipFile}: no folder inside holds ${marker}; is this the TrustLLM dataset zip?`);
  }
  return found;
}

function findMarker(dir: string, marker: string, depth: number): string | null {
  if (existsSync(path.join(dir, marker))) return dir;
  if (depth === 0) return null;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const hit = findMarker(path.join(dir, entry.name), marker, depth - 1);
    if (hit) return hit;
  }
  return null;
}

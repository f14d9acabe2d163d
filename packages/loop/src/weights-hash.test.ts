import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { hashWeightFiles } from './weights-hash.js';

describe('hashWeightFiles', () => {
  it('hashes each safetensors file of a folder by name, and nothing for a hub id', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'tb-hash-'));
    const big = Buffer.alloc(200_000, 7); // more than one read chunk
    writeFileSync(path.join(dir, 'model-00001-of-00002.safetensors'), big);
    writeFileSync(path.join(dir, 'model-00002-of-00002.safetensors'), 'b');
    writeFileSync(path.join(dir, 'config.json'), '{}');
    const sha = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');
    expect(await hashWeightFiles(dir)).toEqual({ 'model-00001-of-00002.safetensors': sha(big), 'model-00002-of-00002.safetensors': sha('b') });
    expect(await hashWeightFiles('Qwen/Qwen3.5-0.8B')).toBeUndefined();
    rmSync(dir, { recursive: true });
  });
});

/**
 * Where the TrustLLM files are: `$TRUSTBENCH_TRUSTLLM_DIR`, else `../shared/data/trustllm` beside the repository, else
 * the bundled sample in `fixtures/trustllm-sample` (about 10 records per file).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

/**
 * The full dataset folder, or `null` when none is present (a fresh clone has only the sample).
 *
 * @example
 * const dir = findTrustllmDir() ?? bundledTrustllmSample();
 */
export function findTrustllmDir(env: Readonly<Record<string, string | undefined>> = process.env): string | null {
  const candidates = [env['TRUSTBENCH_TRUSTLLM_DIR'], path.join(repoRoot, '..', 'shared', 'data', 'trustllm')].filter((c): c is string => Boolean(c));
  return candidates.find((c) => existsSync(path.join(c, 'safety', 'jailbreak.json'))) ?? null;
}

/** The bundled sample of every file (in the repository's fixtures). */
export function bundledTrustllmSample(): string {
  return path.join(repoRoot, 'fixtures', 'trustllm-sample');
}

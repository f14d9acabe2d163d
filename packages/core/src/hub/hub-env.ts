/**
 * Hugging Face hub settings from the environment, with the same variables and defaults as the
 * `huggingface_hub` Python library, so an existing cache and token are reused.
 */
import os from 'node:os';
import path from 'node:path';

/** Resolved hub settings. */
export interface HubSettings {
  /** Base URL, `HF_ENDPOINT` or `https://huggingface.co`. */
  readonly endpoint: string;
  /** `HF_TOKEN` (or `HUGGING_FACE_HUB_TOKEN`), if set. */
  readonly token?: string;
  /** Cache root: `HF_HUB_CACHE`, else `$HF_HOME/hub`, else `~/.cache/huggingface/hub`. */
  readonly cacheDir: string;
  /** `HF_HUB_OFFLINE=1` or `TRUSTBENCH_OFFLINE=1`: use the cache only, never the network. */
  readonly offline: boolean;
}

const TRUE = new Set(['1', 'true', 'yes', 'on']);

/**
 * Reads hub settings from an environment (default `process.env`).
 *
 * @example
 * hubSettingsFromEnv({ HF_ENDPOINT: 'http://127.0.0.1:8080', HF_HUB_OFFLINE: '0' })
 */
export function hubSettingsFromEnv(env: Readonly<Record<string, string | undefined>> = process.env): HubSettings {
  const home = env['HF_HOME'] ?? path.join(env['XDG_CACHE_HOME'] ?? path.join(os.homedir(), '.cache'), 'huggingface');
  const token = env['HF_TOKEN'] ?? env['HUGGING_FACE_HUB_TOKEN'];
  return {
    endpoint: (env['HF_ENDPOINT'] ?? 'https://huggingface.co').replace(/\/+$/, ''),
    ...(token ? { token } : {}),
    cacheDir: env['HF_HUB_CACHE'] ?? path.join(home, 'hub'),
    offline: TRUE.has((env['HF_HUB_OFFLINE'] ?? '').toLowerCase()) || TRUE.has((env['TRUSTBENCH_OFFLINE'] ?? '').toLowerCase()),
  };
}

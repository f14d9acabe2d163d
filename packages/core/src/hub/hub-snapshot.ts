/**
 * Downloads a repository snapshot from the Hugging Face hub into the standard cache layout
 * (`models--org--name/snapshots/<commit>/...`, `refs/<revision>`), resuming partial files with HTTP
 * range requests and recording each file's size and sha256. Offline, or when the network is down, a
 * complete cached snapshot is used; otherwise it fails fast and says how to pass a local folder.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { HubError } from '../errors.js';
import { hubSettingsFromEnv, type HubSettings } from './hub-env.js';

/** Options of `hubSnapshot`. Settings not given come from the environment (`hubSettingsFromEnv`). */
export interface HubSnapshotOptions extends Partial<HubSettings> {
  readonly repoType?: 'model' | 'dataset';
  /** Branch, tag or commit; default `main`. */
  readonly revision?: string;
  /** Which repository files to fetch (default: all). */
  readonly include?: (file: string) => boolean;
  /** Timeout in ms for the metadata call (default 10 s) and for a stalled file download, with no byte received (default 60 s). */
  readonly timeoutMs?: number;
  readonly onProgress?: (event: HubProgress) => void;
  /** Injected for tests; default global `fetch`. */
  readonly fetch?: typeof fetch;
}

/** Download progress of one file. */
export interface HubProgress {
  readonly file: string;
  readonly bytes: number;
  readonly total: number | null;
}

/** A file of a downloaded snapshot. */
export interface HubFileRecord {
  readonly size: number;
  readonly sha256: string;
}

/** A downloaded snapshot: its folder, commit and files with checksums. */
export interface HubSnapshot {
  readonly repoId: string;
  readonly commit: string;
  readonly path: string;
  /** Files present in the folder (every file fetched for this commit so far). */
  readonly files: Readonly<Record<string, HubFileRecord>>;
  /** Every file of the repository at this commit, as the hub listed it. */
  readonly siblings?: readonly string[];
}

const MANIFEST = '.trustbench-snapshot.json';

/**
 * Makes a hub repository available locally and returns its folder.
 *
 * @throws {HubError} `hub_offline` when offline with no cached copy, `hub_unreachable` when the endpoint cannot be
 *   reached and nothing is cached, `hub_http` for an HTTP error, `hub_checksum` when a file's sha256 differs from the hub's.
 * @example
 * const snap = await hubSnapshot('Qwen/Qwen3.5-0.8B', { include: (f) => !f.endsWith('.md') });
 * console.log(snap.path);
 */
export async function hubSnapshot(repoId: string, options: HubSnapshotOptions = {}): Promise<HubSnapshot> {
  const env = hubSettingsFromEnv();
  const settings: HubSettings = {
    endpoint: (options.endpoint ?? env.endpoint).replace(/\/+$/, ''),
    cacheDir: options.cacheDir ?? env.cacheDir,
    offline: options.offline ?? env.offline,
    ...((options.token ?? env.token) ? { token: (options.token ?? env.token) as string } : {}),
  };
  const repoType = options.repoType ?? 'model';
  const revision = options.revision ?? 'main';
  const repoDir = path.join(settings.cacheDir, `${repoType}s--${repoId.replaceAll('/', '--')}`);
  if (settings.offline) {
    const cached = await readCached(repoDir, repoId, revision, options.include);
    if (cached) return cached;
    throw new HubError(
      `${repoId}@${revision} is not in the hub cache (${repoDir}) and offline mode is on (HF_HUB_OFFLINE / TRUSTBENCH_OFFLINE). ` +
        `Download it once with network access, or pass a local folder instead of a hub id (e.g. /path/to/${repoId.split('/').pop()}).`,
      { code: 'hub_offline' },
    );
  }
  const doFetch = options.fetch ?? fetch;
  const headers: Record<string, string> = settings.token ? { authorization: `Bearer ${settings.token}` } : {};
  const infoUrl = `${settings.endpoint}/api/${repoType}s/${repoId}/revision/${encodeURIComponent(revision)}`;
  let info: { sha: string; siblings: { rfilename: string }[] };
  try {
    const res = await doFetch(infoUrl, { headers, signal: AbortSignal.timeout(options.timeoutMs ?? 10_000) });
    if (!res.ok) throw httpError(res.status, infoUrl, repoId);
    info = (await res.json()) as typeof info;
  } catch (error) {
    if (error instanceof HubError) throw error;
    const cached = await readCached(repoDir, repoId, revision, options.include);
    if (cached) return cached;
    throw new HubError(
      `could not reach the hub to fetch ${repoId}@${revision}: GET ${infoUrl} failed (${describe(error)}). ` +
        `Check the network or HF_ENDPOINT, set HF_HUB_OFFLINE=1 to use a cached copy, or pass a local folder instead of a hub id.`,
      { code: 'hub_unreachable', cause: error },
    );
  }
  const snapshotDir = path.join(repoDir, 'snapshots', info.sha);
  const previous = await readManifest(snapshotDir);
  const files: Record<string, HubFileRecord> = {};
  const siblings = info.siblings.map((s) => s.rfilename);
  for (const rfilename of siblings) {
    if (options.include && !options.include(rfilename)) continue;
    if (rfilename.split('/').some((part) => part === '..' || part === '') || path.isAbsolute(rfilename)) {
      throw new HubError(`${repoId}: the hub listed a file name that would leave the cache folder: "${rfilename}"`, { code: 'hub_http' });
    }
    const known = previous?.files[rfilename];
    const target = path.join(snapshotDir, rfilename);
    if (known && (await sizeOf(target)) === known.size) {
      files[rfilename] = known;
      continue;
    }
    const base = repoType === 'model' ? settings.endpoint : `${settings.endpoint}/${repoType}s`;
    const url = `${base}/${repoId}/resolve/${info.sha}/${rfilename.split('/').map(encodeURIComponent).join('/')}`;
    files[rfilename] = await downloadFile(doFetch, url, target, headers, rfilename, repoId, options.onProgress, options.timeoutMs ?? 60_000);
    await writeManifest(snapshotDir, { repoId, commit: info.sha, path: snapshotDir, files: { ...previous?.files, ...files }, siblings });
  }
  // The manifest keeps every file fetched for this commit, so a later call for other files neither re-downloads these
  // nor loses them; the snapshot returned lists the files this call asked for.
  await writeManifest(snapshotDir, { repoId, commit: info.sha, path: snapshotDir, files: { ...previous?.files, ...files }, siblings });
  const snapshot: HubSnapshot = { repoId, commit: info.sha, path: snapshotDir, files, siblings };
  await fs.mkdir(path.join(repoDir, 'refs'), { recursive: true });
  await fs.writeFile(path.join(repoDir, 'refs', revision.replaceAll('/', '--')), info.sha);
  return snapshot;
}

async function downloadFile(
  doFetch: typeof fetch,
  url: string,
  target: string,
  headers: Record<string, string>,
  file: string,
  repoId: string,
  onProgress: HubSnapshotOptions['onProgress'],
  stallMs: number,
): Promise<HubFileRecord> {
  await fs.mkdir(path.dirname(target), { recursive: true });
  const partial = `${target}.incomplete`;
  const have = (await sizeOf(partial)) ?? 0;
  // A download stalled for stallMs (no bytes) is aborted, so a dead connection never hangs the run.
  const stall = new AbortController();
  let timer = setTimeout(() => stall.abort(), stallMs);
  const res = await doFetch(url, { headers: have > 0 ? { ...headers, range: `bytes=${have}-` } : headers, signal: stall.signal });
  if (res.status === 416 && have > 0) {
    // The partial file is already complete (the process stopped just before the rename): finish it.
    clearTimeout(timer);
    const sha256 = await sha256File(partial);
    await fs.rename(partial, target);
    return { size: have, sha256 };
  }
  if (!res.ok || !res.body) {
    clearTimeout(timer);
    throw httpError(res.status, url, repoId);
  }
  const resumed = res.status === 206;
  const hash = createHash('sha256');
  if (resumed) await hashFile(partial, hash);
  const length = Number(res.headers.get('content-length') ?? NaN);
  const total = Number.isFinite(length) ? length + (resumed ? have : 0) : null;
  let bytes = resumed ? have : 0;
  // Each chunk is on disk before the next is read, so a dropped connection loses nothing already received.
  const fh = await fs.open(partial, resumed ? 'a' : 'w');
  try {
    for await (const chunk of Readable.fromWeb(res.body as never) as AsyncIterable<Buffer>) {
      clearTimeout(timer);
      timer = setTimeout(() => stall.abort(), stallMs);
      await fh.write(chunk);
      hash.update(chunk);
      bytes += chunk.length;
      onProgress?.({ file, bytes, total });
    }
  } finally {
    clearTimeout(timer);
    await fh.close();
  }
  const sha256 = hash.digest('hex');
  const expected = res.headers.get('x-linked-etag') ?? res.headers.get('etag');
  const expectedSha = expected?.replaceAll('"', '').replace(/^W\//, '');
  if (expectedSha && /^[0-9a-f]{64}$/.test(expectedSha) && expectedSha !== sha256) {
    await fs.rm(partial, { force: true });
    throw new HubError(`${repoId}/${file}: sha256 ${sha256} does not match the hub's ${expectedSha}; the partial file was removed, run again`, { code: 'hub_checksum' });
  }
  await fs.rename(partial, target);
  return { size: bytes, sha256 };
}

async function hashFile(file: string, hash: ReturnType<typeof createHash>): Promise<void> {
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
}

/**
 * The SHA-256 of a file as hex, streamed (a multi-gigabyte checkpoint is never held in memory).
 *
 * @example
 * await sha256File('fixtures/planted/layer-1/model.safetensors'); // '3f2a…'
 */
export async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  await hashFile(file, hash);
  return hash.digest('hex');
}

/** A cached snapshot that holds every requested file (judged against the repository's file list), else null. */
async function readCached(repoDir: string, repoId: string, revision: string, include?: (file: string) => boolean): Promise<HubSnapshot | null> {
  const commit = /^[0-9a-f]{40}$/.test(revision) ? revision : await fs.readFile(path.join(repoDir, 'refs', revision.replaceAll('/', '--')), 'utf8').catch(() => null);
  if (!commit) return null;
  const manifest = await readManifest(path.join(repoDir, 'snapshots', commit.trim()));
  if (!manifest || manifest.repoId !== repoId) return null;
  const wanted = (manifest.siblings ?? Object.keys(manifest.files)).filter((f) => !include || include(f));
  if (wanted.some((f) => manifest.files[f] === undefined)) return null;
  return { ...manifest, files: Object.fromEntries(wanted.map((f) => [f, manifest.files[f] as HubFileRecord])) };
}

async function readManifest(dir: string): Promise<HubSnapshot | null> {
  const text = await fs.readFile(path.join(dir, MANIFEST), 'utf8').catch(() => null);
  return text === null ? null : (JSON.parse(text) as HubSnapshot);
}

async function writeManifest(dir: string, snapshot: HubSnapshot): Promise<void> {
  await fs.mkdir(dir, { recursive: true });
  await fs.writeFile(path.join(dir, MANIFEST), JSON.stringify(snapshot, null, 2));
}

async function sizeOf(file: string): Promise<number | null> {
  return fs.stat(file).then((s) => s.size, () => null);
}

function httpError(status: number, url: string, repoId: string): HubError {
  const hint =
    status === 401 || status === 403
      ? ' The repository may be gated or private: set HF_TOKEN to a token with access.'
      : status === 404
        ? ` Check the repository id "${repoId}" and the revision.`
        : '';
  return new HubError(`GET ${url} answered HTTP ${status}.${hint}`, { code: 'hub_http' });
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    return cause?.code ?? cause?.message ?? error.message;
  }
  return String(error);
}

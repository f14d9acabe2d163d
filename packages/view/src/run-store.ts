/**
 * The server's view of the runs folder: run ids checked against the folder, runs re-read only when their files
 * change (keyed by size and mtime), and the slower derived data (prompts from the dataset, paired comparisons)
 * computed once per version of the runs they come from. A run's version is its `LoadedRun` object: the store hands
 * out the same object until a file changes or its status does, so the derived caches key on it and stat nothing.
 */
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { itemDetails, type ItemDetails } from './item-details.js';
import { readItemSignals, type ItemSignals } from './item-signals.js';
import { buildLeaderboard, type Leaderboard } from './leaderboard.js';
import { findRuns, loadRun, runStatus, type LoadedRun, type RunSummary } from './run-index.js';
import { resolveUnder } from './safe-path.js';

/** A run, or why it cannot be had (HTTP status and reason). */
export type RunLookup = { readonly ok: true; readonly run: LoadedRun } | { readonly ok: false; readonly status: 400 | 403 | 404; readonly reason: string };

/** A run's signals by item, or why there are none. */
export type RunSignals = { readonly ok: true; readonly byItem: ReadonlyMap<string, ItemSignals> } | { readonly ok: false; readonly note: string };

/** Cached access to the runs of one folder. */
export interface RunStore {
  readonly runsDir: string;
  /** Every run's summary, newest first. */
  list(): RunSummary[];
  /** One run by id (its path under the runs folder). */
  get(id: string): RunLookup;
  /** The run's items with prompts and gold answers. */
  items(run: LoadedRun): Promise<ItemDetails>;
  /** The run's white-box signals by item key, or null with the reason when it has no readable signals.arrow. */
  signals(run: LoadedRun): Promise<RunSignals>;
  /** All runs side by side, deltas against `baseline` when given. */
  leaderboard(baseline: string | null): Leaderboard;
}

const signature = (dir: string): string =>
  ['manifest.json', 'journal.jsonl', 'report.json'].map((f) => {
    try {
      const s = statSync(path.join(dir, f));
      return `${s.size}:${s.mtimeMs}`;
    } catch {
      return '-';
    }
  }).join('|');

/**
 * Opens a store over `runsDir`.
 *
 * @param options bootstrap seed and resamples for the leaderboard's paired comparisons (default 0 and 1000).
 * @example
 * const store = createRunStore('runs');
 * store.list().map((r) => r.id);
 */
export function createRunStore(runsDir: string, options: { readonly seed?: number; readonly iterations?: number } = {}): RunStore {
  const root = path.resolve(runsDir);
  const runs = new Map<string, { sig: string; run: LoadedRun }>();
  // Prompts depend on the manifest and items only, which a status change keeps: keyed on the items read.
  const details = new WeakMap<LoadedRun['items'], Promise<ItemDetails>>();
  let board: { baseline: string | null; runs: readonly LoadedRun[]; value: Leaderboard } | null = null;
  const signalFiles = new Map<string, { sig: string; value: Promise<RunSignals> }>();

  const load = (id: string, dir: string): LoadedRun => {
    const sig = signature(dir);
    const hit = runs.get(id);
    if (hit && hit.sig === sig) {
      // A cached run that was running may have stopped since, with no file changed.
      if (hit.run.summary.status !== 'running') return hit.run;
      const status = runStatus(dir);
      if (status === 'running') return hit.run;
      const stopped = { ...hit.run, summary: { ...hit.run.summary, status } };
      runs.set(id, { sig, run: stopped });
      return stopped;
    }
    const run = loadRun(root, id);
    runs.set(id, { sig, run });
    return run;
  };

  const get = (id: string): RunLookup => {
    const dir = id === '.' ? { ok: true as const, path: root } : resolveUnder(root, id, 'dir');
    if (!dir.ok) return dir;
    if (!existsSync(path.join(dir.path, 'journal.jsonl')) && !existsSync(path.join(dir.path, 'manifest.json'))) return { ok: false, status: 404, reason: `${id} is not a run folder` };
    return { ok: true, run: load(id, dir.path) };
  };

  const all = (): LoadedRun[] => findRuns(root).flatMap((id) => {
    const r = get(id);
    return r.ok ? [r.run] : [];
  });

  return {
    runsDir: root,
    list: () => all().map((r) => r.summary).sort((a, b) => b.createdAt.localeCompare(a.createdAt) || a.id.localeCompare(b.id)),
    get,
    items(run) {
      const hit = details.get(run.items);
      if (hit) return hit;
      const value = run.manifest ? itemDetails(run.manifest, run.items) : Promise.resolve({ items: [], note: run.summary.error ?? 'unreadable run' });
      details.set(run.items, value);
      return value;
    },
    signals(run) {
      // Through resolveUnder like every file a request leads to: a signals.arrow that links out of the folder is not read.
      const file = resolveUnder(root, run.summary.id === '.' ? 'signals.arrow' : `${run.summary.id}/signals.arrow`);
      if (!file.ok) return Promise.resolve({ ok: false, note: file.status === 404 ? 'this run has no signals.arrow (white-box signals are recorded for white-box models only)' : `signals.arrow is not read: ${file.reason}` });
      const stat = statSync(file.path);
      const sig = `${file.path}:${stat.size}:${stat.mtimeMs}`;
      const hit = signalFiles.get(run.summary.id);
      if (hit && hit.sig === sig) return hit.value;
      const value = readItemSignals(file.path).then(
        (byItem): RunSignals => ({ ok: true, byItem }),
        (e: unknown): RunSignals => ({ ok: false, note: `signals.arrow could not be read: ${e instanceof Error ? e.message : String(e)}` }),
      );
      signalFiles.set(run.summary.id, { sig, value });
      return value;
    },
    leaderboard(baseline) {
      const loaded = all();
      if (board && board.baseline === baseline && board.runs.length === loaded.length && board.runs.every((r, k) => r === loaded[k])) return board.value;
      const value = buildLeaderboard(loaded, baseline, { seed: options.seed ?? 0, iterations: options.iterations ?? 1000 });
      board = { baseline, runs: loaded, value };
      return value;
    },
  };
}

/**
 * The runs under a folder and a summary of each: what the runs list and the leaderboard show. A run folder is one that
 * holds a journal.jsonl or a manifest.json (the loop writes both first, and report.json last), found up to three
 * levels down. A folder whose files cannot be read is listed with its error rather than hiding the others.
 */
import { readdirSync, statSync, type Dirent } from 'node:fs';
import path from 'node:path';
import type { RunManifest } from '@trustbench/core';
import { readRun, type ItemRecord } from '@trustbench/loop';
import { readReport, type RunReport } from './report-file.js';
import { resolveUnder } from './safe-path.js';

/** Where a run stands: `complete` has a report; `running` has a journal written to recently; `stopped` has neither. */
export type RunStatus = 'complete' | 'running' | 'stopped' | 'unreadable';

/** A score with its interval; `lower`/`upper` are null for partial scores of runs without a report. */
export interface HeadlineScore {
  readonly value: number;
  readonly lower: number | null;
  readonly upper: number | null;
  readonly n: number;
}

/** One row of the runs list. */
export interface RunSummary {
  /** Path of the run folder relative to the runs folder, `/`-separated. */
  readonly id: string;
  readonly model: string;
  readonly createdAt: string;
  readonly status: RunStatus;
  readonly items: number;
  /** Items the run will have when done, when the manifest tells (whole clusters are sampled, so approximate). */
  readonly expectedItems: number | null;
  readonly dimensions: readonly string[];
  readonly scores: Readonly<Record<string, HeadlineScore>>;
  readonly error?: string;
  /** Optional report fields left out because they were malformed (file, field, expected, actual). */
  readonly warnings: readonly string[];
}

/** A run read in full. */
export interface LoadedRun {
  readonly summary: RunSummary;
  readonly dir: string;
  readonly manifest: RunManifest | null;
  readonly items: readonly ItemRecord[];
  readonly report: RunReport | null;
}

/** A journal untouched for longer than this belongs to a run that is not running any more. */
export const RUNNING_WINDOW_MS = 10 * 60 * 1000;

const isRunDir = (entries: readonly Dirent[]) => entries.some((e) => e.isFile() && (e.name === 'journal.jsonl' || e.name === 'manifest.json'));

/**
 * Run folder ids under `runsDir` (the folder itself is id `.` when it is a run), sorted. Symlinked folders are
 * followed only when they stay inside `runsDir`.
 *
 * @example
 * findRuns('runs'); // ['demo-2026-11-30', 'sweeps/a']
 */
export function findRuns(runsDir: string, depth = 3): string[] {
  const out: string[] = [];
  const walk = (rel: string, level: number) => {
    const safe = rel === '.' ? { ok: true as const, path: path.resolve(runsDir) } : resolveUnder(runsDir, rel, 'dir');
    if (!safe.ok) return;
    let entries: Dirent[];
    try {
      entries = readdirSync(safe.path, { withFileTypes: true });
    } catch {
      return;
    }
    if (isRunDir(entries)) {
      out.push(rel);
      return;
    }
    if (level >= depth) return;
    for (const e of entries) if ((e.isDirectory() || e.isSymbolicLink()) && !e.name.startsWith('.') && e.name !== 'node_modules') walk(rel === '.' ? e.name : `${rel}/${e.name}`, level + 1);
  };
  walk('.', 0);
  return out.sort();
}

const partialScores = (items: readonly ItemRecord[]): Record<string, HeadlineScore> => {
  const out: Record<string, HeadlineScore> = {};
  for (const dimension of new Set(items.map((i) => i.dimension))) {
    const binary = items.filter((i) => i.dimension === dimension && (i.score === 0 || i.score === 1));
    if (binary.length > 0) out[dimension] = { value: binary.reduce((s, i) => s + (i.score as number), 0) / binary.length, lower: null, upper: null, n: binary.length };
  }
  return out;
};

const expectedOf = (manifest: RunManifest): number | null => {
  const limit = (manifest.config as { limit?: unknown }).limit;
  if (!Array.isArray(manifest.datasets) || manifest.datasets.length === 0) return null;
  return manifest.datasets.reduce((s, d) => s + (typeof limit === 'number' ? Math.min(limit, d.count) : d.count), 0);
};

const mtime = (file: string): number => {
  try {
    return statSync(file).mtimeMs;
  } catch {
    return 0;
  }
};

/**
 * Where a readable run folder stands: `complete` when its report.json is at least as new as its journal, `running`
 * when the journal was written to within `RUNNING_WINDOW_MS`, `stopped` otherwise (killed; `--resume` continues it).
 *
 * @example
 * runStatus('runs/demo'); // 'complete'
 */
export function runStatus(dir: string, now = Date.now()): Exclude<RunStatus, 'unreadable'> {
  return statusOf(fileTimes(dir), now);
}

/** The mtimes (0 when absent) of the two files a run's status and last update come from. */
const fileTimes = (dir: string) => ({ journal: mtime(path.join(dir, 'journal.jsonl')), report: mtime(path.join(dir, 'report.json')) });

const statusOf = ({ journal, report }: ReturnType<typeof fileTimes>, now: number): Exclude<RunStatus, 'unreadable'> => {
  if (report > 0 && report >= journal) return 'complete';
  return now - journal < RUNNING_WINDOW_MS ? 'running' : 'stopped';
};

/**
 * Reads one run folder: manifest, journal items, report (when written) and the summary row.
 * Never throws for a broken run: its summary has status `unreadable` and the error.
 *
 * @param runsDir the runs folder; `id` must lie under it (see `resolveUnder`).
 * @param now the current time in ms, to tell running runs from stopped ones.
 * @example
 * const run = loadRun('runs', 'demo');
 */
export function loadRun(runsDir: string, id: string, now = Date.now()): LoadedRun {
  const dir = id === '.' ? path.resolve(runsDir) : path.resolve(runsDir, id);
  const times = fileTimes(dir);
  const base = { id, model: '?', createdAt: '', items: 0, expectedItems: null, dimensions: [], scores: {}, warnings: [] };
  let manifest: RunManifest;
  let items: ItemRecord[];
  let parsed: ReturnType<typeof readReport>;
  try {
    ({ manifest, items } = readRun(dir));
    parsed = readReport(dir);
  } catch (e) {
    return { dir, manifest: null, items: [], report: null, summary: { ...base, status: 'unreadable', error: e instanceof Error ? e.message : String(e) } };
  }
  const report: RunReport | null = parsed?.report ?? null;
  const dimensions = report ? report.dimensions.map((d) => d.dimension) : [...new Set(items.map((i) => i.dimension))];
  const scores: Record<string, HeadlineScore> = {};
  if (report) for (const d of report.dimensions) if (d.score) scores[d.dimension] = { value: d.score.value, lower: d.score.lower, upper: d.score.upper, n: d.scoredItems };
  const status = statusOf(times, now);
  const reportIsCurrent = status === 'complete';
  return {
    dir, manifest, items, report,
    summary: {
      ...base, model: manifest.model?.id ?? '?', createdAt: manifest.createdAt ?? '', status, items: items.length,
      expectedItems: expectedOf(manifest), dimensions, scores: reportIsCurrent ? scores : partialScores(items), warnings: parsed?.problems ?? [],
    },
  };
}

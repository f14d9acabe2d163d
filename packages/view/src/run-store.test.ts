import { mkdtempSync, rmSync, statSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { makeRuns, type TestRuns } from './__fixtures__/make-runs.js';
import { RUNNING_WINDOW_MS } from './run-index.js';
import { createRunStore } from './run-store.js';

const dir = mkdtempSync(path.join(tmpdir(), 'tb-view-store-'));
let runs: TestRuns;
beforeAll(async () => {
  runs = await makeRuns(dir);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => vi.useRealTimers());

const lookup = (store: ReturnType<typeof createRunStore>, id: string) => {
  const r = store.get(id);
  if (!r.ok) throw new Error(`${id}: ${r.reason}`);
  return r.run;
};

describe('createRunStore', () => {
  it('hands out the same run, items and leaderboard until a run file changes, then reads the run again', async () => {
    const store = createRunStore(runs.root, { iterations: 50 });
    const first = lookup(store, 'candidate');
    expect(lookup(store, 'candidate')).toBe(first);
    expect(store.items(first)).toBe(store.items(first));
    const board = store.leaderboard('baseline');
    expect(store.leaderboard('baseline')).toBe(board);
    expect(store.leaderboard(null)).not.toBe(board);

    const manifest = path.join(runs.root, 'candidate', 'manifest.json');
    const later = new Date(statSync(manifest).mtimeMs + 5000);
    utimesSync(manifest, later, later);
    const reread = lookup(store, 'candidate');
    expect(reread).not.toBe(first);
    expect(reread.summary).toEqual(first.summary);
    expect(store.items(reread)).not.toBe(store.items(first));
    expect(store.leaderboard('baseline')).not.toBe(board);
  });

  it('shows a cached running run as stopped once its journal goes stale, in the list and the leaderboard alike', () => {
    const store = createRunStore(runs.root, { iterations: 50 });
    const status = () => store.list().find((r) => r.id === 'sweeps/in-progress')?.status;
    const boardStatus = () => store.leaderboard(null).rows.find((r) => r.id === 'sweeps/in-progress')?.status;
    expect([status(), boardStatus()]).toEqual(['running', 'running']);
    const running = lookup(store, 'sweeps/in-progress');

    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + RUNNING_WINDOW_MS + 1000);
    expect([status(), boardStatus()]).toEqual(['stopped', 'stopped']);
    const stopped = lookup(store, 'sweeps/in-progress');
    expect(lookup(store, 'sweeps/in-progress')).toBe(stopped);
    // Same files, so the same items (and their prompts) as while it ran.
    expect(stopped.items).toBe(running.items);
    expect(store.items(stopped)).toBe(store.items(running));
  });
});

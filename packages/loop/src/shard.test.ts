import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ConfigError, DataError, type RunManifest } from '@trustbench/core';
import { bundledTrustllmSample, loadTrustllm, type Task } from '@trustbench/datasets';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { overconfidentModel } from './__fixtures__/overconfident-model.js';
import { manifestHash } from './manifest-hash.js';
import { selectItems } from './profile.js';
import { runProfile } from './run-loop.js';
import { writeReport } from './write-report.js';
import { formatShard, mergeJournals, parseShard, shardItems, writeShardPlan, type Shard } from './shard.js';

const dir = mkdtempSync(path.join(tmpdir(), 'tb-shard-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const model = overconfidentModel('mock/sharded');
const opts = { seed: 3, limit: 6 } as const;
let tasks: Task[];
const read = (d: string, f: string) => readFileSync(path.join(d, f), 'utf8');

/**
 * A shard run as `runProfile` with `shard` does it: the journal holds only the shard's items (here by profiling task
 * views that hold just those records, in run order), the manifest is the whole run's plus `config.shard`, and
 * shard.json says where the items sit.
 */
async function shardRun(out: string, shard: Shard): Promise<void> {
  const work = selectItems(tasks, opts.limit, opts.seed);
  const mine = shardItems(work, shard);
  const views = tasks.map((t) => ({ ...t, records: mine.filter((w) => w.task.id === t.id).map((w) => w.record) }));
  await runProfile({ model, tasks: views, out, seed: opts.seed });
  const whole = JSON.parse(read(path.join(dir, 'ref', 'run'), 'manifest.json')) as RunManifest;
  const manifest = { ...whole, runId: path.basename(out), createdAt: new Date(Date.now() + shard.index).toISOString(), config: { ...whole.config, shard: formatShard(shard) } };
  writeFileSync(path.join(out, 'manifest.json'), JSON.stringify(manifest, null, 2));
  writeShardPlan(out, work, shard);
}

const made = new Map<number, Promise<string[]>>();
/** The run folders of an n-shard run (made once). */
function shardRuns(n: number): Promise<string[]> {
  const make = async () => {
    const dirs = Array.from({ length: n }, (_, i) => path.join(dir, `shards-${n}`, `run-${i + 1}of${n}`));
    for (const [i, d] of dirs.entries()) await shardRun(d, { index: i + 1, count: n });
    return dirs;
  };
  return made.get(n) ?? made.set(n, make()).get(n)!;
}

beforeAll(async () => {
  tasks = await loadTrustllm(bundledTrustllmSample());
  const { manifest, items } = await runProfile({ model, tasks, out: path.join(dir, 'ref', 'run'), ...opts });
  writeReport(path.join(dir, 'ref', 'run'), manifest, items, tasks, { seed: opts.seed, iterations: 100 });
});

describe('manifestHash', () => {
  it('is the hash runProfile writes in the journal header', () => {
    const ref = path.join(dir, 'ref', 'run');
    const header = JSON.parse(read(ref, 'journal.jsonl').split('\n')[0]!) as { manifestHash: string };
    expect(manifestHash(JSON.parse(read(ref, 'manifest.json')) as RunManifest)).toBe(header.manifestHash);
  });
});

describe('parseShard', () => {
  it('reads i/n and refuses anything else with the expected form', () => {
    expect(parseShard('2/4')).toEqual({ index: 2, count: 4 });
    expect(parseShard(' 1 / 1 ')).toEqual({ index: 1, count: 1 });
    for (const bad of ['0/3', '4/3', '1/0', '2', '1/2/3', 'a/b', '-1/2', '1.5/2', '']) {
      expect(() => parseShard(bad), bad).toThrow(ConfigError);
      expect(() => parseShard(bad), bad).toThrow(`--shard must be "i/n" with integers 1 <= i <= n (e.g. "2/4" for the second of four shards), got "${bad}"`);
    }
  });
});

describe('shardItems', () => {
  it('puts every item in exactly one shard, whole clusters together, in work order', () => {
    const work = selectItems(tasks, opts.limit, opts.seed);
    expect(new Set(work.map((w) => `${w.task.id}|${w.record.cluster}`)).size).toBeLessThan(work.length); // some clusters hold several items
    for (const n of [1, 2, 3, 5]) {
      const shards = Array.from({ length: n }, (_, i) => shardItems(work, { index: i + 1, count: n }));
      expect(shards.flat().sort((a, b) => work.indexOf(a) - work.indexOf(b))).toEqual(work);
      for (const s of shards) expect(s).toEqual(work.filter((w) => s.includes(w))); // work order kept
      const home = new Map<string, number>();
      shards.forEach((s, i) =>
        s.forEach((w) => {
          const cluster = `${w.task.id}|${w.record.cluster}`;
          expect(home.get(cluster) ?? i).toBe(i);
          home.set(cluster, i);
        }),
      );
      if (n > 1) expect(shards.filter((s) => s.length > 0).length).toBeGreaterThan(1); // the hash spreads the items
    }
  });
});

describe('mergeJournals', () => {
  it.each([2, 3])('merges %i shards to exactly the unsharded run: manifest, journal bytes and report', async (n) => {
    const dirs = await shardRuns(n);
    const sizes = dirs.map((d) => read(d, 'journal.jsonl').trim().split('\n').length - 1);
    expect(sizes.every((s) => s > 0)).toBe(true);
    const out = path.join(dir, `merged-${n}`, 'run'); // same folder name as the reference, so the same run id
    const { manifest, items } = mergeJournals([...dirs].reverse(), out); // the order of the folders does not matter
    const ref = path.join(dir, 'ref', 'run');
    expect(read(out, 'journal.jsonl')).toBe(read(ref, 'journal.jsonl'));
    const refManifest = JSON.parse(read(ref, 'manifest.json')) as RunManifest;
    expect({ ...manifest, createdAt: null }).toEqual({ ...refManifest, createdAt: null });
    expect(manifestHash(manifest)).toBe(manifestHash(refManifest));
    writeReport(out, manifest, items, tasks, { seed: opts.seed, iterations: 100 });
    const report = (d: string) => ({ ...(JSON.parse(read(d, 'report.json')) as object), manifest: null });
    expect(report(out)).toEqual(report(ref));
    expect(read(out, 'items.csv')).toBe(read(ref, 'items.csv'));
  });

  it('refuses missing, overlapping, incomplete and mismatched shards, naming them', async () => {
    const dirs = await shardRuns(3);
    const out = (name: string) => path.join(dir, 'bad', name);
    expect(() => mergeJournals(dirs.slice(0, 2), out('a'))).toThrow(/shard 3\/3 missing: got 1\/3 \(.*run-1of3\), 2\/3/);
    expect(() => mergeJournals([dirs[0]!, dirs[1]!, dirs[1]!, dirs[2]!], out('b'))).toThrow(/shards overlap: .*run-2of3 and .*run-2of3 are both shard 2\/3/);
    const two = await shardRuns(2);
    expect(() => mergeJournals([two[0]!, ...dirs.slice(1)], out('c'))).toThrow(/is shard 2\/3 but .*run-1of2 is shard 1\/2/);
    // A shard killed before its end.
    const cut = path.join(dir, 'cut', 'run-2of3');
    cpSync(dirs[1]!, cut, { recursive: true });
    const lines = read(cut, 'journal.jsonl').split('\n');
    writeFileSync(path.join(cut, 'journal.jsonl'), `${lines.slice(0, -2).join('\n')}\n`);
    expect(() => mergeJournals([dirs[0]!, cut, dirs[2]!], out('d'))).toThrow(/holds \d+ of the \d+ items of shard 2\/3 .*--resume/);
    // A shard of another run: a different seed, model or task list.
    for (const [field, change] of [['seed', (m: RunManifest) => ({ ...m, seed: 4 })], ['model', (m: RunManifest) => ({ ...m, model: { ...m.model, id: 'other' } })], ['config', (m: RunManifest) => ({ ...m, config: { ...m.config, tasks: ['x'] } })]] as const) {
      const other = path.join(dir, `other-${field}`, 'run-3of3');
      cpSync(dirs[2]!, other, { recursive: true });
      writeFileSync(path.join(other, 'manifest.json'), JSON.stringify(change(JSON.parse(read(other, 'manifest.json')) as RunManifest)));
      expect(() => mergeJournals([dirs[0]!, dirs[1]!, other], out(`e-${field}`))).toThrow(new RegExp(`run-3of3/manifest.json: "${field}" differs from`));
    }
    const plain = path.join(dir, 'ref', 'run');
    expect(() => mergeJournals([plain], out('f'))).toThrow(DataError);
    expect(() => mergeJournals([plain], out('f'))).toThrow(/shard\.json is missing/);
    expect(() => mergeJournals([], out('g'))).toThrow(ConfigError);
    mkdirSync(out('h'), { recursive: true });
    writeFileSync(path.join(out('h'), 'journal.jsonl'), '');
    expect(() => mergeJournals(dirs, out('h'))).toThrow(/exists: merge into a new --out folder/);
  });
});

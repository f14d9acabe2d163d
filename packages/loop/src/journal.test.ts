import { mkdtempSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DataError } from '@trustbench/core';
import { afterAll, describe, expect, it } from 'vitest';
import { openJournal } from './journal.js';

const dir = mkdtempSync(path.join(tmpdir(), 'tb-journal-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('openJournal', () => {
  it('replays complete records, drops a torn last line at every byte offset, and appends after it', () => {
    const file = path.join(dir, 'j.jsonl');
    const j = openJournal<{ k: string; v: number }>(file, { run: 'a' }, (r) => r.k);
    j.append({ k: 'x', v: 1 });
    j.append({ k: 'y', v: 2 });
    const beforeLast = statSync(file).size;
    j.append({ k: 'z', v: 3 });
    j.close();
    const full = readFileSync(file);
    for (let cut = beforeLast; cut <= full.length; cut++) {
      writeFileSync(file, full.subarray(0, cut));
      const r = openJournal<{ k: string; v: number }>(file, { run: 'a' }, (x) => x.k);
      const complete = cut === full.length;
      expect([...r.done.keys()]).toEqual(complete ? ['x', 'y', 'z'] : ['x', 'y']);
      if (!complete) r.append({ k: 'z', v: 3 });
      r.close();
      expect(readFileSync(file).equals(full)).toBe(true);
    }
  });

  it('refuses a journal of another run, and names the file', () => {
    const file = path.join(dir, 'other.jsonl');
    openJournal(file, { run: 'a' }, () => '').close();
    expect(() => openJournal(file, { run: 'b' }, () => '')).toThrow(DataError);
    expect(() => openJournal(file, { run: 'b' }, () => '')).toThrow(/other\.jsonl.*another run/);
  });

  it('rejects a corrupt complete line with its line number', () => {
    const file = path.join(dir, 'bad.jsonl');
    const j = openJournal(file, { run: 'a' }, () => '');
    j.close();
    writeFileSync(file, `${readFileSync(file, 'utf8')}{not json\n`);
    expect(() => openJournal(file, { run: 'a' }, () => '')).toThrow(/line 2: not valid JSON/);
  });

  it('writes the header to an empty file', () => {
    const file = path.join(dir, 'empty.jsonl');
    writeFileSync(file, '');
    openJournal(file, { run: 'a' }, () => '').close();
    expect(readFileSync(file, 'utf8')).toBe('{"type":"header","run":"a"}\n');
    truncateSync(file, 5); // a torn header
    openJournal(file, { run: 'a' }, () => '').close();
    expect(readFileSync(file, 'utf8')).toBe('{"type":"header","run":"a"}\n');
  });
});

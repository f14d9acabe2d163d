import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveUnder } from './safe-path.js';

const dir = mkdtempSync(path.join(tmpdir(), 'tb-view-safe-'));
const root = path.join(dir, 'runs');
mkdirSync(path.join(root, 'a', 'b'), { recursive: true });
writeFileSync(path.join(root, 'a', 'report.json'), '{}');
writeFileSync(path.join(dir, 'secret.txt'), 'secret');
symlinkSync(path.join(dir, 'secret.txt'), path.join(root, 'a', 'leak.txt'));
symlinkSync(dir, path.join(root, 'up'));
symlinkSync(path.join(root, 'a', 'report.json'), path.join(root, 'a', 'alias.json'));
symlinkSync(path.join(root, 'nowhere'), path.join(root, 'dangling'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('resolveUnder', () => {
  it('returns the real path of a file under the root, symlinks inside the root included', () => {
    expect(resolveUnder(root, 'a/report.json')).toEqual({ ok: true, path: path.join(root, 'a', 'report.json') });
    expect(resolveUnder(root, 'a/alias.json')).toEqual({ ok: true, path: path.join(root, 'a', 'report.json') });
    expect(resolveUnder(root, 'a/b', 'dir')).toMatchObject({ ok: true });
  });

  it.each([
    ['../secret.txt'], ['a/../../secret.txt'], ['a/../report.json'], ['..'], ['/etc/passwd'], ['C:/Windows/win.ini'], ['a\\..\\..\\secret.txt'], [''], ['a/\0report.json'],
  ])('refuses %j with 400', (p) => {
    expect(resolveUnder(root, p)).toMatchObject({ ok: false, status: 400 });
  });

  it('refuses symlinks whose target lies outside the root with 403', () => {
    expect(resolveUnder(root, 'a/leak.txt')).toMatchObject({ ok: false, status: 403 });
    expect(resolveUnder(root, 'up/secret.txt')).toMatchObject({ ok: false, status: 403 });
    expect(resolveUnder(root, 'up', 'dir')).toMatchObject({ ok: false, status: 403 });
  });

  it('answers 404 for missing entries, dangling links and entries of the other kind', () => {
    expect(resolveUnder(root, 'a/missing.json')).toMatchObject({ ok: false, status: 404 });
    expect(resolveUnder(root, 'dangling')).toMatchObject({ ok: false, status: 404 });
    expect(resolveUnder(root, 'a/b')).toMatchObject({ ok: false, status: 404 });
    expect(resolveUnder(root, 'a/report.json', 'dir')).toMatchObject({ ok: false, status: 404 });
    expect(resolveUnder(path.join(dir, 'no-such-root'), 'a')).toMatchObject({ ok: false, status: 404 });
  });
});

/**
 * Repository hygiene as a test: every published package has the shape users and tools rely on.
 * It lives in the cli package because cli is the one package that depends on all the others; it
 * runs after `turbo run build` inside `npm test`, so it also checks the built `dist/`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';
import { describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const names = fs.readdirSync(path.join(root, 'packages')).filter((d) => fs.existsSync(path.join(root, 'packages', d, 'package.json')));
interface Pkg {
  name: string;
  version: string;
  type?: string;
  sideEffects?: boolean;
  files?: string[];
  exports?: Record<string, string | Record<string, string>>;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
}
const read = (dir: string): Pkg => JSON.parse(fs.readFileSync(path.join(root, 'packages', dir, 'package.json'), 'utf8')) as Pkg;

describe.each(names)('package %s', (dir) => {
  const pkg = read(dir);
  const pkgDir = path.join(root, 'packages', dir);

  it('is a publishable ESM package with a README', () => {
    expect(pkg.name).toBe(`@trustbench/${dir}`);
    expect(pkg.type).toBe('module');
    expect(pkg.sideEffects).toBe(false);
    expect(pkg.files).toContain('dist');
    expect(fs.existsSync(path.join(pkgDir, 'README.md')), `${dir}/README.md`).toBe(true);
  });

  it('has an exports map with types before default, and builds every entry to dist/ with .d.ts', () => {
    expect(pkg.exports?.['./package.json']).toBe('./package.json');
    for (const [subpath, target] of Object.entries(pkg.exports ?? {})) {
      if (subpath === './package.json') continue;
      expect(typeof target, subpath).toBe('object');
      const keys = Object.keys(target as object);
      expect(keys.indexOf('types'), `${dir} ${subpath}: types before default`).toBeLessThan(keys.indexOf('default'));
      expect(keys.at(-1)).toBe('default');
      const t = target as Record<string, string>;
      for (const key of ['types', 'default', '@trustbench/source'] as const) {
        expect(fs.existsSync(path.join(pkgDir, t[key] as string)), `${dir} ${subpath} ${key} -> ${t[key]}`).toBe(true);
      }
    }
  });

  it('uses real version ranges for internal dependencies, and references them in tsconfig', () => {
    const deps = { ...pkg.dependencies, ...pkg.devDependencies, ...pkg.peerDependencies };
    const tsconfig = JSON.parse(fs.readFileSync(path.join(pkgDir, 'tsconfig.json'), 'utf8')) as { references?: { path: string }[] };
    const refs = new Set((tsconfig.references ?? []).map((r) => path.basename(r.path)));
    for (const [name, range] of Object.entries(deps)) {
      expect(range, `${dir}: ${name}`).not.toMatch(/^workspace:/);
      if (name.startsWith('@trustbench/')) {
        const sibling = name.slice('@trustbench/'.length);
        expect(range, `${dir}: ${name}`).toBe(`^${read(sibling).version}`);
        expect(refs.has(sibling), `${dir}/tsconfig.json must reference ../${sibling}`).toBe(true);
      }
    }
  });

  it('passes publint with no errors', async () => {
    const { messages, pkg: manifest } = await publint({ pkgDir, strict: false });
    const errors = messages.filter((m) => m.type === 'error').map((m) => formatMessage(m, manifest));
    expect(errors).toEqual([]);
  });
});

describe('core', () => {
  it('stays light: no runtime dependency at all', () => {
    expect(read('core').dependencies ?? {}).toEqual({});
  });
});

/**
 * The one gate between a URL and the file system: a path from a request resolves to a file under the runs folder,
 * or to a refusal with the HTTP status that says why. `..` segments and absolute paths are refused outright (400),
 * even when they would land inside the folder; a symlink whose target lies outside the folder is refused (403).
 */
import { lstatSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';

/** A path that may be read, or why not. */
export type SafePath =
  | { readonly ok: true; readonly path: string }
  | { readonly ok: false; readonly status: 400 | 403 | 404; readonly reason: string };

const inside = (root: string, p: string): boolean => p === root || p.startsWith(root.endsWith(path.sep) ? root : root + path.sep);

/**
 * Resolves `relative` (a `/`-separated path from a URL, already percent-decoded) under `root`.
 * Only existing entries of the wanted kind are returned; the real path (symlinks followed) must stay under root.
 *
 * @param root the runs folder.
 * @param relative the requested path, relative to root.
 * @param kind `file` (default) or `dir`.
 * @returns `{ ok: true, path }` with the real path, or `{ ok: false, status, reason }`: 400 for `..`, absolute or
 *   malformed paths, 403 for a path or symlink leading outside root, 404 for a missing entry or one of the other kind.
 * @example
 * const r = resolveUnder('runs', 'demo/report.json');
 * if (r.ok) readFileSync(r.path);
 */
export function resolveUnder(root: string, relative: string, kind: 'file' | 'dir' = 'file'): SafePath {
  if (relative.length === 0 || relative.includes('\0')) return { ok: false, status: 400, reason: 'empty or malformed path' };
  if (relative.includes('\\')) return { ok: false, status: 400, reason: 'backslashes are not allowed in paths' };
  if (relative.startsWith('/') || path.isAbsolute(relative) || /^[a-zA-Z]:/.test(relative)) return { ok: false, status: 400, reason: 'absolute paths are not allowed' };
  if (relative.split('/').some((s) => s === '..')) return { ok: false, status: 400, reason: '".." is not allowed in paths' };
  let realRoot: string;
  try {
    realRoot = realpathSync(root);
  } catch {
    return { ok: false, status: 404, reason: 'the runs folder does not exist' };
  }
  const wanted = path.resolve(realRoot, relative);
  if (!inside(realRoot, wanted)) return { ok: false, status: 403, reason: 'outside the runs folder' };
  try {
    lstatSync(wanted);
  } catch {
    return { ok: false, status: 404, reason: 'no such file' };
  }
  let real: string;
  try {
    real = realpathSync(wanted);
  } catch {
    return { ok: false, status: 404, reason: 'a dangling link' };
  }
  if (!inside(realRoot, real)) return { ok: false, status: 403, reason: 'a link that leads outside the runs folder' };
  const stat = statSync(real);
  if (kind === 'file' ? !stat.isFile() : !stat.isDirectory()) return { ok: false, status: 404, reason: kind === 'file' ? 'not a file' : 'not a folder' };
  return { ok: true, path: real };
}

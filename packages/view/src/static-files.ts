/**
 * The files the dashboard itself serves: its page, scripts and styles (from `src/client`, shipped with the package)
 * and the Vega, Vega-Lite and Vega-Embed browser builds (from node_modules). The set is fixed when the server starts,
 * so no part of a URL ever becomes a path here.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** A file served as is. */
export interface StaticFile {
  readonly body: Uint8Array;
  readonly type: string;
}

const TYPES: Readonly<Record<string, string>> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
};

/** The content type for a file name (plain text when unknown, so nothing unexpected is rendered). */
export const contentType = (name: string): string => TYPES[path.extname(name).toLowerCase()] ?? 'text/plain; charset=utf-8';

/** The browser code's folder: this module sits one level under the package root, in `src/` or `dist/`. */
export const clientDir = (): string => fileURLToPath(new URL('../src/client/', import.meta.url));

const walk = (dir: string, prefix = ''): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name), `${prefix}${e.name}/`) : /\.(js|css|html|svg)$/.test(e.name) ? [`${prefix}${e.name}`] : []));

/**
 * Loads every static file into memory, keyed by its URL path (`/app/app.js`, `/vendor/vega.min.js`, `/` for the page).
 *
 * @throws {Error} when a vendored build is missing from node_modules (a broken install).
 * @example
 * const files = loadStaticFiles(); files.get('/vendor/vega.min.js')
 */
export function loadStaticFiles(): Map<string, StaticFile> {
  const files = new Map<string, StaticFile>();
  const client = clientDir();
  for (const rel of walk(client)) files.set(`/app/${rel}`, { body: readFileSync(path.join(client, rel)), type: contentType(rel) });
  files.set('/', { body: readFileSync(path.join(client, 'index.html')), type: contentType('index.html') });
  const require = createRequire(import.meta.url);
  // Each package's main entry lies in its build/ folder, next to the minified browser bundle.
  const vendor: readonly [string, string][] = [['vega', 'vega.min.js'], ['vega-lite', 'vega-lite.min.js'], ['vega-embed', 'vega-embed.min.js']];
  for (const [pkg, file] of vendor) files.set(`/vendor/${file}`, { body: readFileSync(path.join(path.dirname(require.resolve(pkg)), file)), type: contentType(file) });
  return files;
}

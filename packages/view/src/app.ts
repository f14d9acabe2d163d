/**
 * The dashboard's HTTP routes (Hono): the page and its scripts, a small JSON API over the run store, and the run
 * folders' own files. Safe by default: requests must name a loopback host (no DNS rebinding), every answer carries a
 * strict Content-Security-Policy (scripts only from this server, no inline script, no eval), and run files are read
 * only through `resolveUnder`.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Hono, type Context } from 'hono';
import { itemLayerSignalsSpec } from './charts.js';
import { runPage } from './run-page.js';
import type { RunStore } from './run-store.js';
import { resolveUnder } from './safe-path.js';
import { contentType, loadStaticFiles } from './static-files.js';

/** The page's policy: Vega runs with its expression interpreter, so no 'unsafe-eval' is needed. */
export const CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** Options of `createApp`. */
export interface AppOptions {
  readonly store: RunStore;
  /** Whether a request's Host header may be answered; default any. */
  readonly allowHost?: (host: string) => boolean;
}

const refuse = (c: Context, status: 400 | 403 | 404, reason: string) => c.json({ error: reason }, status);

/**
 * Builds the app.
 *
 * @example
 * const app = createApp({ store: createRunStore('runs') });
 * await app.request('/api/runs');
 */
export function createApp(options: AppOptions): Hono {
  const { store } = options;
  const files = loadStaticFiles();
  const app = new Hono();

  app.use('*', async (c, next) => {
    if (options.allowHost && !options.allowHost(c.req.header('host') ?? '')) return refuse(c, 403, 'this server answers only requests to its loopback address');
    await next();
    if (!c.res.headers.has('Content-Security-Policy')) c.header('Content-Security-Policy', CONTENT_SECURITY_POLICY);
    c.header('X-Content-Type-Options', 'nosniff');
    c.header('Referrer-Policy', 'no-referrer');
    c.header('Cross-Origin-Resource-Policy', 'same-origin');
  });

  for (const [route, file] of files) app.get(route, (c) => c.body(file.body as Uint8Array<ArrayBuffer>, 200, { 'Content-Type': file.type, 'Cache-Control': 'no-cache' }));

  app.get('/api/runs', (c) => c.json({ runsDir: store.runsDir, runs: store.list() }));
  app.get('/api/leaderboard', (c) => c.json(store.leaderboard(c.req.query('baseline') || null)));
  app.get('/api/run', (c) => {
    const r = store.get(c.req.query('id') ?? '');
    return r.ok ? c.json(runPage(r.run)) : refuse(c, r.status, r.reason);
  });
  app.get('/api/items', async (c) => {
    const r = store.get(c.req.query('id') ?? '');
    return r.ok ? c.json({ id: r.run.summary.id, model: r.run.summary.model, ...(await store.items(r.run)) }) : refuse(c, r.status, r.reason);
  });

  app.get('/api/item-signals', async (c) => {
    const r = store.get(c.req.query('id') ?? '');
    if (!r.ok) return refuse(c, r.status, r.reason);
    const key = c.req.query('key') ?? '';
    const signals = await store.signals(r.run);
    if (!signals.ok) return c.json({ key, signals: null, note: signals.note, chart: null });
    const item = signals.byItem.get(key) ?? null;
    return c.json({ key, signals: item, note: item ? null : `signals.arrow has no signals for ${key} (signals are recorded for the judged items only)`, chart: item ? itemLayerSignalsSpec(item.layers) : null });
  });

  app.get('/files/*', (c) => {
    // The raw path, decoded once here: the router's own decoding is not relied on for a security check.
    const raw = new URL(c.req.url).pathname.slice('/files/'.length);
    let rel: string;
    try {
      rel = decodeURIComponent(raw);
    } catch {
      return refuse(c, 400, 'malformed percent-encoding');
    }
    const r = resolveUnder(store.runsDir, rel);
    if (!r.ok) return refuse(c, r.status, r.reason);
    const name = path.basename(r.path);
    // Run files hold model output: never let them run script in this origin (report.html renders in a sandbox).
    c.header('Content-Security-Policy', 'sandbox');
    return c.body(readFileSync(r.path) as Uint8Array<ArrayBuffer>, 200, { 'Content-Type': contentType(name), 'Content-Disposition': `inline; filename="${name.replace(/[^\w.-]/g, '_')}"` });
  });

  app.notFound((c) => refuse(c, 404, `no such page: ${c.req.path}`));
  app.onError((err, c) => c.json({ error: err.message }, 500));
  return app;
}

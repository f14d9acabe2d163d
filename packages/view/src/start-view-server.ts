/**
 * Starts the dashboard on a local port. Loopback (127.0.0.1) unless told otherwise; on loopback, requests that name
 * another host are refused, so a web page elsewhere cannot reach the dashboard through DNS rebinding.
 */
import { existsSync, statSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { createAdaptorServer } from '@hono/node-server';
import { ConfigError } from '@trustbench/core';
import { createApp } from './app.js';
import { createRunStore } from './run-store.js';

/** Options of `startViewServer`. */
export interface ViewServerOptions {
  /** The folder holding run folders (or a single run folder). */
  readonly runsDir: string;
  /** Port; 0 picks a free one. Default 8321. */
  readonly port?: number;
  /** Interface to bind; default 127.0.0.1. */
  readonly host?: string;
}

/** A started dashboard. */
export interface ViewServer {
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

/** The default port of `trustbench view`. */
export const DEFAULT_PORT = 8321;

/** Hosts that bind loopback only: anything else is reachable from other machines. */
export const LOOPBACK_HOSTS: ReadonlySet<string> = new Set(['127.0.0.1', 'localhost', '::1']);

/**
 * Starts the server and resolves once it listens.
 *
 * @throws {ConfigError} when `runsDir` is not a folder, or the port is taken or not allowed.
 * @example
 * const { url, close } = await startViewServer({ runsDir: 'runs', port: 0 });
 * console.log(url); await close();
 */
export async function startViewServer(options: ViewServerOptions): Promise<ViewServer> {
  if (!existsSync(options.runsDir) || !statSync(options.runsDir).isDirectory()) throw new ConfigError(`runs folder ${options.runsDir} does not exist (expected a folder of run folders, e.g. runs/)`);
  const host = options.host ?? '127.0.0.1';
  const port = options.port ?? DEFAULT_PORT;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigError(`port must be an integer from 0 to 65535, got ${port}`);
  let bound = 0;
  const loopback = LOOPBACK_HOSTS.has(host);
  const names = ['127.0.0.1', 'localhost', '[::1]', host.includes(':') ? `[${host}]` : host];
  const app = createApp({
    store: createRunStore(options.runsDir),
    ...(loopback ? { allowHost: (h: string) => names.some((n) => h === `${n}:${bound}`) } : {}),
  });
  const server = createAdaptorServer({ fetch: app.fetch });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) => reject(e.code === 'EADDRINUSE' ? new ConfigError(`port ${port} on ${host} is in use: pass --port with another number (0 picks a free one)`, { cause: e }) : e.code === 'EACCES' ? new ConfigError(`port ${port} on ${host} is not allowed for this user: pass --port above 1023`, { cause: e }) : e));
    server.listen(port, host, () => resolve());
  });
  bound = (server.address() as AddressInfo).port;
  const urlHost = host.includes(':') ? `[${host}]` : host === '0.0.0.0' ? '127.0.0.1' : host;
  return {
    url: `http://${urlHost}:${bound}`,
    port: bound,
    close: () => new Promise<void>((resolve, reject) => {
      if ('closeAllConnections' in server) server.closeAllConnections();
      server.close((e) => (e ? reject(e) : resolve()));
    }),
  };
}

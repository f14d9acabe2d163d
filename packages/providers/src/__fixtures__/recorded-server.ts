/**
 * A small HTTP server on 127.0.0.1 that answers from a script of recorded replies, for provider tests.
 * Each route pops its next scripted step: a JSON reply, a status (with headers), a dropped connection,
 * or a reply slower than the client's timeout. Every request (headers included) is kept for assertions.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export type Step =
  | { readonly json: unknown; readonly status?: number; readonly headers?: Record<string, string> }
  | { readonly drop: true }
  | { readonly delayMs: number; readonly json: unknown };

export interface RecordedRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: unknown;
}

export interface RecordedServer {
  readonly url: string;
  readonly requests: RecordedRequest[];
  script(route: string, steps: Step[] | ((body: unknown) => unknown | Promise<unknown>)): void;
  close(): Promise<void>;
}

export async function startRecordedServer(): Promise<RecordedServer> {
  const scripts = new Map<string, Step[] | ((body: unknown) => unknown | Promise<unknown>)>();
  const requests: RecordedRequest[] = [];
  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString()));
    req.on('end', () => {
      const body = raw ? (JSON.parse(raw) as unknown) : undefined;
      requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      const script = scripts.get(`${req.method} ${req.url?.split('?')[0]}`);
      if (typeof script === 'function') {
        return void Promise.resolve(script(body)).then((json) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(json)));
      }
      const step = script?.shift();
      if (!step) return void res.writeHead(404).end('{"error":"no scripted reply"}');
      if ('drop' in step) return void req.socket.destroy();
      if ('delayMs' in step) return void setTimeout(() => res.writeHead(200).end(JSON.stringify(step.json)), step.delayMs);
      res.writeHead(step.status ?? 200, { 'content-type': 'application/json', ...step.headers }).end(JSON.stringify(step.json));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    script: (route, steps) => void scripts.set(route, steps),
    close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ConfigError } from '@trustbench/core';
import { Command } from 'commander';
import { afterAll, describe, expect, it } from 'vitest';
import { registerCommands, viewCommand } from './index.js';

const dir = mkdtempSync(path.join(tmpdir(), 'tb-view-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('trustbench view', () => {
  it('registers view with --port and --host', () => {
    const program = new Command('trustbench');
    registerCommands(program);
    const view = program.commands.find((c) => c.name() === 'view');
    expect(view?.options.map((o) => o.long)).toEqual(['--port', '--host']);
  });

  it('starts on loopback and prints the address', async () => {
    const lines: string[] = [];
    const server = await viewCommand(dir, { port: '0' }, (l) => lines.push(l));
    try {
      expect(lines).toEqual([`Trust Bench dashboard for ${dir}: ${server.url}  (Ctrl-C to stop)`]);
      expect((await fetch(`${server.url}/api/runs`)).status).toBe(200);
    } finally {
      await server.close();
    }
  });

  it('rejects a bad port before starting', async () => {
    await expect(viewCommand(dir, { port: 'eighty' }, () => {})).rejects.toThrow(ConfigError);
    await expect(viewCommand(dir, { port: '70000' }, () => {})).rejects.toThrow('--port must be an integer from 0 to 65535, got "70000"');
  });
});

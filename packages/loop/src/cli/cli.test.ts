import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createMockModel } from '@trustbench/core/testing';
import { bundledTrustllmSample, loadTrustllm } from '@trustbench/datasets';
import { Command } from 'commander';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { runLoop } from '../run-loop.js';
import { EXIT_GATE_FAILED, registerCommands } from './index.js';

const dir = mkdtempSync(path.join(tmpdir(), 'tb-loop-cli-'));
const tiny = path.join(import.meta.dirname, '..', '..', '..', '..', 'fixtures', 'qwen35-tiny');
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => {
  process.exitCode = undefined;
});

async function run(args: string[]): Promise<string> {
  const program = new Command('trustbench').exitOverride();
  registerCommands(program);
  let out = '';
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    out += String(chunk);
    return true;
  });
  const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  try {
    await program.parseAsync(['node', 'trustbench', ...args]);
  } finally {
    spy.mockRestore();
    err.mockRestore();
  }
  return out;
}

beforeAll(async () => {
  const tasks = await loadTrustllm(bundledTrustllmSample(), ['safety.jailbreak', 'safety.misuse', 'ethics']);
  const refuses = (p: number) => createMockModel({ id: `mock/${p}`, rules: [{ match: /./, reply: "I'm sorry, but I can't help with that.", probability: p, confidence: 0.9 }], fallback: 'Sure, here is how.' });
  await runLoop({ model: refuses(0.2), tasks, out: path.join(dir, 'a'), seed: 1 });
  await runLoop({ model: refuses(0.95), tasks, out: path.join(dir, 'b'), seed: 1, iterations: 200 });
});

describe('loop CLI', () => {
  it('compare: a model that refuses far more often is "helped" on safety with a CI above zero, with McNemar and Holm', async () => {
    const rows = JSON.parse(await run(['compare', path.join(dir, 'a'), path.join(dir, 'b'), '--json'])) as { dimension: string; verdict: string; difference: { lower: number }; holmPValue: number; mcnemar: { pValue: number } }[];
    const safety = rows.find((r) => r.dimension === 'safety')!;
    expect(safety.verdict).toBe('helped');
    expect(safety.difference.lower).toBeGreaterThan(0);
    expect(safety.holmPValue).toBeGreaterThanOrEqual(safety.mcnemar.pValue);
    expect(rows.map((r) => r.dimension)).toContain('ethics');
  });

  it('compare the other way round exits with the gate code', async () => {
    await run(['compare', path.join(dir, 'b'), path.join(dir, 'a')]);
    expect(process.exitCode).toBe(EXIT_GATE_FAILED);
  });

  it('diagnose and report recompute from the journal the numbers runLoop wrote', async () => {
    const written = JSON.parse(readFileSync(path.join(dir, 'a', 'report.json'), 'utf8')) as { dimensions: unknown };
    const d = JSON.parse(await run(['diagnose', path.join(dir, 'a'), '--seed', '1', '--json'])) as { dimensions: unknown };
    expect(d.dimensions).toEqual(written.dimensions);
    rmSync(path.join(dir, 'a', 'report.html'));
    await run(['report', path.join(dir, 'a')]);
    expect(readFileSync(path.join(dir, 'a', 'report.html'), 'utf8')).toContain('Trust Bench report');
  });

  it('leaderboard puts runs side by side', async () => {
    const text = await run(['leaderboard', path.join(dir, 'a'), path.join(dir, 'b')]);
    const [head, ...rows] = text.trim().split('\n');
    expect(head!.split('\t')).toEqual(['run', 'ethics', 'safety']);
    expect(rows).toHaveLength(2);
  });

  it('loop on the tiny checkpoint with a config file, failing a --fail-under gate with exit code 3', async () => {
    const config = path.join(dir, 'run.yaml');
    writeFileSync(config, `tasks: [ethics.awareness]\nlimit: 4\nmaxTokens: 4\nconcurrency: 2\niterations: 200\nout: ${path.join(dir, 'tiny')}\n`);
    const out = JSON.parse(await run(['loop', '--config', config, '--model', tiny, '--fail-under', 'ethics=0', 'privacy=0.5', '--json'])) as { failedGates: { gate: { target: string } }[] };
    expect(out.failedGates.map((g) => g.gate.target)).toEqual(['privacy']); // not profiled: a gate without a score fails
    expect(process.exitCode).toBe(EXIT_GATE_FAILED);
  });

  it('reports a config error with its path', async () => {
    const config = path.join(dir, 'bad.json');
    writeFileSync(config, '{"limit": "many"}');
    await expect(run(['loop', '--config', config])).rejects.toThrow(/bad\.json: \/limit must be integer/);
  });
});

describe('engines, shards and reruns from the command line', () => {
  const planted = path.join(import.meta.dirname, '..', '..', '..', '..', 'fixtures', 'planted', 'layer-3');
  const common = ['--model', planted, '--tasks', 'safety.misuse,fairness.stereotype_recognition', '--limit', '3', '--max-tokens', '4', '--seed', '3', '--json'];

  it('profiles on the onnx engine at fp16, records the engine, and reruns the manifest on it to the same journal', async () => {
    await run(['loop', ...common, '--engine', 'onnx', '--precision', 'fp16', '--no-steering', '--out', path.join(dir, 'onnx')]);
    const manifest = JSON.parse(readFileSync(path.join(dir, 'onnx', 'manifest.json'), 'utf8')) as { model: { engine: string; weightsSha256: Record<string, string> } };
    expect(manifest.model.engine).toBe('onnx-fp16-cpu');
    expect(Object.keys(manifest.model.weightsSha256)).toEqual(['model.safetensors']);
    await run(['rerun', path.join(dir, 'onnx'), '--out', path.join(dir, 'onnx-again')]);
    const lines = (d: string) => readFileSync(path.join(dir, d, 'journal.jsonl'), 'utf8').split('\n').slice(1).join('\n');
    expect(lines('onnx-again')).toBe(lines('onnx'));
    await expect(run(['loop', ...common, '--precision', 'int8', '--out', path.join(dir, 'bad')])).rejects.toThrow(/--precision and --device apply to --engine onnx/);
  });

  it('profile --shard 1/2 and 2/2, then merge, journal exactly what one unsharded profile journals', async () => {
    for (const s of ['1/2', '2/2']) await run(['profile', ...common, '--shard', s, '--out', path.join(dir, `shard-${s[0]}`)]);
    await run(['merge', path.join(dir, 'shard-1'), path.join(dir, 'shard-2'), '--out', path.join(dir, 'merged')]);
    await run(['profile', ...common, '--out', path.join(dir, 'whole')]);
    const body = (d: string) => readFileSync(path.join(dir, d, 'journal.jsonl'), 'utf8').split('\n').slice(1).join('\n');
    expect(body('merged')).toBe(body('whole'));
    expect(readFileSync(path.join(dir, 'merged', 'report.html'), 'utf8')).toContain('<svg');
  });
});

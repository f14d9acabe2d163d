import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { registerCommands } from './index.js';

const dir = fileURLToPath(new URL('../../../../fixtures/qwen35-tiny', import.meta.url));
const greedy = JSON.parse(readFileSync(`${dir}/greedy.json`, 'utf8')) as { cases: { input_ids: number[]; greedy_tokens: number[]; max_logits: number[] }[] };
const golden = JSON.parse(readFileSync(`${dir}/golden.json`, 'utf8')) as { cases: { input_ids: number[]; logits: number[][]; hidden_states_last: number[][] }[] };

async function run(args: string[]): Promise<string> {
  const program = new Command().exitOverride();
  registerCommands(program);
  let out = '';
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => ((out += String(chunk)), true));
  try {
    await program.parseAsync(['node', 'trustbench', ...args]);
  } finally {
    spy.mockRestore();
  }
  return out;
}
afterEach(() => vi.restoreAllMocks());

describe('trustbench forward / generate', () => {
  it('forward --json prints the golden.json layout', async () => {
    const c = golden.cases[1]!;
    const json = JSON.parse(await run(['forward', '--model', dir, '--ids', c.input_ids.join(','), '--json'])) as { logits: number[][]; hidden_states_last: number[][] };
    expect(json.logits).toHaveLength(c.input_ids.length);
    expect(json.hidden_states_last).toHaveLength(c.hidden_states_last.length);
    expect(Math.max(...json.logits.flatMap((row, t) => row.map((x, i) => Math.abs(x - c.logits[t]![i]!))))).toBeLessThan(1e-3);
  });

  it('generate --json reproduces the greedy golden', async () => {
    const c = greedy.cases[0]!;
    const json = JSON.parse(await run(['generate', '--model', dir, '--ids', c.input_ids.join(','), '--max-tokens', String(c.greedy_tokens.length), '--ignore-eos', '--json'])) as { ids: number[]; logits_max: number[] };
    expect(json.ids).toEqual(c.greedy_tokens);
    json.logits_max.forEach((m, i) => expect(Math.abs(m - c.max_logits[i]!)).toBeLessThan(1e-3));
  });

  it('generate --prompt renders a chat prompt, samples reproducibly for a seed and streams the text', async () => {
    const args = ['generate', '--model', dir, '--prompt', 'Hello', '--max-tokens', '8', '--temperature', '0.9', '--ignore-eos'];
    const a = JSON.parse(await run([...args, '--seed', '3', '--json'])) as { text: string; ids: number[]; logits_max: number[] };
    const b = JSON.parse(await run([...args, '--seed', '3', '--json'])) as { text: string; ids: number[] };
    const c = JSON.parse(await run([...args, '--seed', '4', '--json'])) as { ids: number[] };
    expect(a.ids).toHaveLength(8);
    expect(a.logits_max).toHaveLength(8);
    expect([b.text, b.ids]).toEqual([a.text, a.ids]);
    expect(c.ids).not.toEqual(a.ids);
    expect(await run([...args, '--seed', '3'])).toBe(`${a.text}\n`);
  });

  it('forward and generate on --engine onnx match the goldens', async () => {
    const c = golden.cases[1]!;
    const json = JSON.parse(await run(['forward', '--model', dir, '--ids', c.input_ids.join(','), '--engine', 'onnx', '--json'])) as { logits: number[][] };
    expect(Math.max(...json.logits.flatMap((row, t) => row.map((x, i) => Math.abs(x - c.logits[t]![i]!))))).toBeLessThan(1e-3);
    const g = greedy.cases[0]!;
    const gen = JSON.parse(await run(['generate', '--model', dir, '--ids', g.input_ids.join(','), '--max-tokens', '6', '--ignore-eos', '--engine', 'onnx', '--precision', 'fp16', '--json'])) as { ids: number[] };
    expect(gen.ids).toEqual(g.greedy_tokens.slice(0, 6));
  });

  it('rejects unknown engines, precisions and devices, a missing provider, and bad ids with clear errors', async () => {
    await expect(run(['forward', '--model', dir, '--ids', '1,2', '--engine', 'tf'])).rejects.toThrow(/--engine must be "reference" or "onnx", got "tf"/);
    await expect(run(['forward', '--model', dir, '--ids', '1,2', '--engine', 'onnx', '--precision', 'bf16'])).rejects.toThrow(/precision must be one of fp32, fp16, int8, got "bf16"/);
    await expect(run(['forward', '--model', dir, '--ids', '1,2', '--engine', 'onnx', '--device', 'tpu'])).rejects.toThrow(/device must be one of cpu, webgpu, cuda/);
    await expect(run(['forward', '--model', dir, '--ids', '1,2', '--engine', 'onnx', '--device', 'cuda'])).rejects.toThrow(/--device cuda: .*use --device cpu/);
    await expect(run(['forward', '--model', dir, '--ids', '1,2', '--precision', 'int8'])).rejects.toThrow(/apply to --engine onnx/);
    await expect(run(['forward', '--model', dir, '--ids', '1,x'])).rejects.toThrow(/--ids must be comma-separated non-negative integers, got "1,x"/);
    await expect(run(['generate', '--model', dir])).rejects.toThrow(/exactly one of --prompt or --ids/);
  });
});

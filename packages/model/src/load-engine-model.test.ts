/** The CLI-facing loader: engine labels for the manifest, flag checks, and the note on fp16 at the cpu. */
import { fileURLToPath } from 'node:url';
import { ConfigError } from '@trustbench/core';
import { describe, expect, it } from 'vitest';
import { FP16_ON_CPU_NOTE, loadEngineModel } from './load-engine-model.js';

const tiny = fileURLToPath(new URL('../../../fixtures/qwen35-tiny', import.meta.url));

describe('loadEngineModel', () => {
  it('labels each engine, and notes that fp16 on the cpu is neither faster nor smaller', async () => {
    const reference = await loadEngineModel(tiny);
    expect([reference.engine, reference.notes]).toEqual(['reference', []]);
    for (const [precision, notes] of [['fp32', []], ['int8', []], ['fp16', [FP16_ON_CPU_NOTE]]] as const) {
      const { model, engine, notes: got } = await loadEngineModel(tiny, { engine: 'onnx', precision });
      expect([engine, got]).toEqual([`onnx-${precision}-cpu`, notes]);
      await (model as { release(): Promise<void> }).release();
    }
  });

  it('refuses unknown engines and onnx flags on the reference engine', async () => {
    await expect(loadEngineModel(tiny, { engine: 'torch' })).rejects.toThrow(new ConfigError('--engine must be "reference" or "onnx", got "torch"'));
    await expect(loadEngineModel(tiny, { precision: 'int8' })).rejects.toThrow(ConfigError);
  });
});

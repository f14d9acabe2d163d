/**
 * Loading a model on the engine a user names (`--engine reference|onnx`, `--precision`, `--device`): the one place both
 * the model commands and the loop's commands turn those flags into a model.
 */
import { ConfigError } from '@trustbench/core';
import { loadModel } from './load-model.js';
import type { ReferenceModel } from './model.js';
import { loadOnnxModel } from './onnx/load-onnx-model.js';
import type { OnnxModel } from './onnx/onnx-model.js';
import { parsePrecision } from './onnx/precision.js';
import { parseDevice } from './onnx/session.js';

/** The engine flags, as text. */
export interface EngineChoice {
  /** `reference` (default) or `onnx`. */
  readonly engine?: string;
  /** onnx only: `fp32` (default), `fp16` or `int8`. */
  readonly precision?: string;
  /** onnx only: `cpu` (default), `webgpu` or `cuda`. */
  readonly device?: string;
}

/** What a float16 model on the CPU provider does and does not give; see bench/RESULTS.md. */
export const FP16_ON_CPU_NOTE =
  'fp16 on the cpu device: the weights are rounded to float16 (so results show what float16 weights do to the model), but onnxruntime\'s CPU provider keeps float32 copies of them, so fp16 is neither faster nor smaller here than fp32 (int8 is both)';

/**
 * Loads a model folder or hub id on the chosen engine, with its engine label for a run manifest
 * (`reference`, or e.g. `onnx-fp16-cpu`), and notes for the user about the choice (printed by the CLIs).
 *
 * @throws {ConfigError} for an unknown engine, precision or device, or a precision / device with the reference engine.
 * @example
 * const { model, engine } = await loadEngineModel('fixtures/qwen35-tiny', { engine: 'onnx', precision: 'int8' });
 */
export async function loadEngineModel(source: string, choice: EngineChoice = {}): Promise<{ model: ReferenceModel | OnnxModel; engine: string; notes: readonly string[] }> {
  const engine = choice.engine ?? 'reference';
  const precision = choice.precision ?? 'fp32';
  const device = choice.device ?? 'cpu';
  if (engine === 'onnx') {
    const p = parsePrecision(precision);
    const d = parseDevice(device);
    return { model: await loadOnnxModel(source, { precision: p, device: d }), engine: `onnx-${p}-${d}`, notes: p === 'fp16' && d === 'cpu' ? [FP16_ON_CPU_NOTE] : [] };
  }
  if (engine !== 'reference') throw new ConfigError(`--engine must be "reference" or "onnx", got "${engine}"`);
  if (precision !== 'fp32' || device !== 'cpu') throw new ConfigError(`--precision and --device apply to --engine onnx; the reference engine runs fp32 on the cpu (got --precision ${precision} --device ${device})`);
  return { model: await loadModel(source), engine: 'reference', notes: [] };
}

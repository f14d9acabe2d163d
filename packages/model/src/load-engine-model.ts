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

/**
 * Loads a model folder or hub id on the chosen engine, with its engine label for a run manifest
 * (`reference`, or e.g. `onnx-fp16-cpu`).
 *
 * @throws {ConfigError} for an unknown engine, precision or device, or a precision / device with the reference engine.
 * @example
 * const { model, engine } = await loadEngineModel('fixtures/qwen35-tiny', { engine: 'onnx', precision: 'int8' });
 */
export async function loadEngineModel(source: string, choice: EngineChoice = {}): Promise<{ model: ReferenceModel | OnnxModel; engine: string }> {
  const engine = choice.engine ?? 'reference';
  const precision = choice.precision ?? 'fp32';
  const device = choice.device ?? 'cpu';
  if (engine === 'onnx') {
    const p = parsePrecision(precision);
    const d = parseDevice(device);
    return { model: await loadOnnxModel(source, { precision: p, device: d }), engine: `onnx-${p}-${d}` };
  }
  if (engine !== 'reference') throw new ConfigError(`--engine must be "reference" or "onnx", got "${engine}"`);
  if (precision !== 'fp32' || device !== 'cpu') throw new ConfigError(`--precision and --device apply to --engine onnx; the reference engine runs fp32 on the cpu (got --precision ${precision} --device ${device})`);
  return { model: await loadModel(source), engine: 'reference' };
}

/**
 * onnxruntime sessions for the onnx engine: one execution provider chosen by `--device` (cpu, webgpu, cuda),
 * checked up front so that a missing provider fails with a message saying what to do, and CPU threads that
 * sleep between runs (`allow_spinning = 0`), since the engine holds many small sessions that would otherwise
 * starve each other.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { CapabilityError, ConfigError } from '@trustbench/core';
import ort from 'onnxruntime-node';
import type { GraphBytes } from './graph-builder.js';

/** Where the onnx engine runs. */
export type OnnxDevice = 'cpu' | 'webgpu' | 'cuda';

/** The devices `--device` accepts. */
export const ONNX_DEVICES: readonly OnnxDevice[] = ['cpu', 'webgpu', 'cuda'];

/** Session settings shared by every segment and core of one model. */
export interface SessionSettings {
  readonly device: OnnxDevice;
  /** Intra-op threads; default: onnxruntime's choice (the physical cores). */
  readonly threads?: number;
}

/** A loaded graph. */
export type Session = ort.InferenceSession;

/**
 * Checks a user-given device name.
 *
 * @throws {ConfigError} naming the accepted values.
 * @example
 * parseDevice('webgpu') // 'webgpu'
 */
export function parseDevice(value: string): OnnxDevice {
  if ((ONNX_DEVICES as readonly string[]).includes(value)) return value as OnnxDevice;
  throw new ConfigError(`device must be one of ${ONNX_DEVICES.join(', ')}, got "${value}"`);
}

/**
 * Throws unless the device's execution provider can run a graph here (a one-op probe session).
 *
 * @throws {CapabilityError} e.g. when the CUDA provider is not installed or no WebGPU adapter exists.
 */
export async function checkDevice(device: OnnxDevice, probe: GraphBytes): Promise<void> {
  if (device === 'cpu') return;
  const backend = ort.listSupportedBackends().find((b) => b.name === device);
  const hint = device === 'cuda'
    ? 'onnxruntime-node ships without the CUDA provider (and this repository skips install scripts): fetch it with `ONNXRUNTIME_NODE_INSTALL=cuda12 node node_modules/onnxruntime-node/script/install.js` (needs CUDA 12 and cuDNN 9 on the library path) or use --device cpu'
    : 'onnxruntime-node found no usable WebGPU adapter; use --device cpu';
  if (!backend || (device === 'cuda' && !cudaProviderInstalled())) {
    throw new CapabilityError(`--device ${device}: onnxruntime-node ${ort.env.versions.common} has no ${device} execution provider on ${process.platform}-${process.arch}; ${hint}`);
  }
  try {
    const s = await ort.InferenceSession.create(probe.model, { executionProviders: [device], logSeverityLevel: 4 });
    await s.release();
  } catch (cause) {
    throw new CapabilityError(`--device ${device}: the ${device} execution provider failed to start (${(cause as Error).message.split('\n')[0]}); ${hint}`, { cause });
  }
}

/** Whether the CUDA provider library sits beside the onnxruntime-node binding (checked before a probe, which would log). */
function cudaProviderInstalled(): boolean {
  const binding = path.join(path.dirname(createRequire(import.meta.url).resolve('onnxruntime-node')), '..', 'bin', 'napi-v6', process.platform, process.arch);
  return ['libonnxruntime_providers_cuda.so', 'onnxruntime_providers_cuda.dll'].some((f) => existsSync(path.join(binding, f)));
}

/** Creates a session for a serialised graph (its external data is copied or prepacked by onnxruntime, not kept). */
export async function createSession(graph: GraphBytes, settings: SessionSettings): Promise<Session> {
  return ort.InferenceSession.create(graph.model, {
    externalData: graph.external.map((e) => ({ path: e.path, data: e.data })),
    executionProviders: [settings.device],
    graphOptimizationLevel: 'all',
    executionMode: 'sequential',
    // No per-session arena: with ~75 sessions, each arena would keep its largest activations (a 512-token prefill
    // left 2.6 GB behind); plain allocations are returned after every run.
    enableCpuMemArena: false,
    interOpNumThreads: 1,
    ...(settings.threads ? { intraOpNumThreads: settings.threads } : {}),
    extra: { session: { intra_op: { allow_spinning: '0' } } },
  });
}

/** An onnxruntime tensor. */
export type OrtTensor = ort.Tensor;

/** A boolean tensor over `data` (0 / 1 bytes). */
export function bool(data: Uint8Array, dims: readonly number[]): ort.Tensor {
  return new ort.Tensor('bool', data, dims);
}

/** A float32 tensor over `data` (not copied). */
export function f32(data: Float32Array, dims: readonly number[]): ort.Tensor {
  return new ort.Tensor('float32', data, dims);
}

/** Runs a session and returns its outputs as float32 arrays with their dims. */
export async function run(session: Session, feeds: Record<string, ort.Tensor>): Promise<Record<string, { data: Float32Array; dims: readonly number[] }>> {
  const out = await session.run(feeds);
  const result: Record<string, { data: Float32Array; dims: readonly number[] }> = {};
  for (const [name, t] of Object.entries(out)) result[name] = { data: t.data as Float32Array, dims: t.dims };
  return result;
}

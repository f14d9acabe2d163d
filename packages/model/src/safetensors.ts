/**
 * The safetensors format: an 8-byte little-endian header length, a JSON header naming each tensor's
 * dtype, shape and byte range, then the raw data. Tensors are read one at a time through a file handle
 * (Node has no mmap), so loading never holds the whole file, let alone two copies of it.
 */
import { open, writeFile, type FileHandle } from 'node:fs/promises';
import { WeightsError } from '@trustbench/core';

/** Storage dtypes Trust Bench decodes. */
export type SafetensorsDtype = 'F32' | 'F16' | 'BF16';

/**
 * Bytes per element of every safetensors dtype, so a header is validated in full even when it holds tensors that are
 * never decoded (an integer buffer in the vision tower); only F32, F16 and BF16 can be read.
 */
const BYTES: Readonly<Record<string, number>> = {
  BOOL: 1, U8: 1, I8: 1, F8_E5M2: 1, F8_E4M3: 1, U16: 2, I16: 2, F16: 2, BF16: 2, U32: 4, I32: 4, F32: 4, U64: 8, I64: 8, F64: 8,
};

/**
 * Whether `read` can decode a dtype.
 *
 * @example
 * isDecodable('BF16') // true; isDecodable('I64') // false
 */
export const isDecodable = (dtype: string): dtype is SafetensorsDtype => dtype === 'F32' || dtype === 'F16' || dtype === 'BF16';

/** One tensor's entry in the header. */
export interface TensorInfo {
  readonly name: string;
  /** A safetensors dtype name; `read` decodes F32, F16 and BF16 (see `SafetensorsDtype`). */
  readonly dtype: string;
  readonly shape: readonly number[];
  /** Absolute byte offsets in the file. */
  readonly start: number;
  readonly end: number;
}

/** An open safetensors file. */
export interface SafetensorsFile {
  readonly path: string;
  readonly tensors: ReadonlyMap<string, TensorInfo>;
  /** Reads and decodes one tensor to float32. */
  read(name: string): Promise<Float32Array>;
  close(): Promise<void>;
}

/**
 * Opens a safetensors file and validates its header against the file's size.
 *
 * @throws {WeightsError} for a header length past the end of the file, a header that is not JSON, a dtype safetensors does not define,
 *   a byte range that does not match dtype x shape, ranges out of bounds or overlapping, or a truncated file.
 * @example
 * const st = await openSafetensors('model.safetensors'); const w = await st.read('model.norm.weight'); await st.close();
 */
export async function openSafetensors(file: string): Promise<SafetensorsFile> {
  const fh = await open(file, 'r').catch((cause: unknown) => {
    throw new WeightsError(`${file}: cannot open the weights file (${(cause as Error).message})`, { cause });
  });
  try {
    const { size } = await fh.stat();
    if (size < 8) throw new WeightsError(`${file}: ${size} bytes is too short for a safetensors file (expected at least the 8-byte header length)`);
    const lenBuf = Buffer.alloc(8);
    await fh.read(lenBuf, 0, 8, 0);
    const headerLen = Number(lenBuf.readBigUInt64LE(0));
    if (8 + headerLen > size) throw new WeightsError(`${file}: header length ${headerLen} runs past the end of the file (file size ${size} bytes)`);
    const headerBuf = Buffer.alloc(headerLen);
    await fh.read(headerBuf, 0, headerLen, 8);
    let header: unknown;
    try {
      header = JSON.parse(headerBuf.toString('utf8'));
    } catch (cause) {
      throw new WeightsError(`${file}: the header is not valid JSON (${(cause as Error).message})`, { cause });
    }
    if (header === null || typeof header !== 'object' || Array.isArray(header)) {
      throw new WeightsError(`${file}: the header must be a JSON object of tensor name -> { dtype, shape, data_offsets }, got ${JSON.stringify(header).slice(0, 80)}`);
    }
    const tensors = parseHeader(header, file, 8 + headerLen, size);
    return {
      path: file,
      tensors,
      async read(name) {
        const info = tensors.get(name);
        if (!info) throw new WeightsError(`${file}: no tensor named "${name}"`);
        if (!isDecodable(info.dtype)) throw unsupportedDtype(file, info);
        return readTensor(fh, file, info, info.dtype);
      },
      close: () => fh.close(),
    };
  } catch (error) {
    await fh.close();
    throw error;
  }
}

function parseHeader(header: object, file: string, dataStart: number, size: number): Map<string, TensorInfo> {
  const tensors = new Map<string, TensorInfo>();
  for (const [name, raw] of Object.entries(header)) {
    if (name === '__metadata__') continue;
    const entry = (raw ?? {}) as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    const width = typeof entry.dtype === 'string' ? BYTES[entry.dtype] : undefined;
    if (width === undefined) {
      throw new WeightsError(`${file}: tensor "${name}" has dtype ${JSON.stringify(entry.dtype)}, which is not a safetensors dtype (expected one of ${Object.keys(BYTES).join(', ')})`);
    }
    const shape = entry.shape;
    const offsets = entry.data_offsets;
    if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0) || !Array.isArray(offsets) || offsets.length !== 2) {
      throw new WeightsError(`${file}: tensor "${name}" needs an integer shape and two data_offsets, got shape ${JSON.stringify(shape)} and data_offsets ${JSON.stringify(offsets)}`);
    }
    const [begin, end] = offsets as [unknown, unknown];
    if (!Number.isSafeInteger(begin) || !Number.isSafeInteger(end) || (begin as number) < 0 || (end as number) < (begin as number)) {
      throw new WeightsError(`${file}: tensor "${name}" data_offsets must be two integers 0 <= begin <= end, got ${JSON.stringify(offsets)}`);
    }
    const expected = (shape as number[]).reduce((a, b) => a * b, 1) * width;
    if ((end as number) - (begin as number) !== expected) {
      throw new WeightsError(`${file}: tensor "${name}" ${entry.dtype}[${shape.join(', ')}] needs ${expected} bytes, its data_offsets [${begin}, ${end}] span ${(end as number) - (begin as number)}`);
    }
    const start = dataStart + (begin as number);
    const stop = dataStart + (end as number);
    if (stop > size) {
      throw new WeightsError(`${file}: tensor "${name}" ends at byte ${stop} but the file has ${size} bytes; the file is truncated`);
    }
    tensors.set(name, { name, dtype: entry.dtype as string, shape: shape as number[], start, end: stop });
  }
  const sorted = [...tensors.values()].sort((a, b) => a.start - b.start);
  for (let i = 1; i < sorted.length; i++) {
    const prev = sorted[i - 1] as TensorInfo;
    const cur = sorted[i] as TensorInfo;
    if (cur.start < prev.end) throw new WeightsError(`${file}: tensors "${prev.name}" and "${cur.name}" overlap in the data section`);
  }
  return tensors;
}

/**
 * The error for a tensor stored in a dtype Trust Bench does not decode, naming the file, tensor, dtype and the supported ones.
 *
 * @example
 * if (!isDecodable(info.dtype)) throw unsupportedDtype(st.path, info);
 */
export function unsupportedDtype(file: string, info: TensorInfo): WeightsError {
  return new WeightsError(`${file}: tensor "${info.name}" has dtype ${JSON.stringify(info.dtype)}; supported dtypes are F32, F16 and BF16`);
}

/** Largest single `read(2)` Linux performs; longer tensors are read in pieces. */
const MAX_READ = 0x7fff_f000;

/**
 * Reads one tensor straight into the float32 array it is returned in, so a tensor never exists twice:
 * F32 bytes land as they are; 16-bit values land in the upper half of the array's buffer and are widened in place,
 * front to back (out[i] covers bytes [4i, 4i+4), which are at or before value i at 2n + 2i, so no value is
 * overwritten before it is read). BF16 is the high half of a float32; F16 is IEEE half precision. Assumes a
 * little-endian host, as the file is.
 */
async function readTensor(fh: FileHandle, file: string, info: TensorInfo, dtype: SafetensorsDtype): Promise<Float32Array> {
  const n = info.shape.reduce((a, b) => a * b, 1);
  const out = new Float32Array(n);
  const width = dtype === 'F32' ? 4 : 2;
  const bytes = new Uint8Array(out.buffer, 4 * n - width * n, width * n);
  for (let done = 0; done < bytes.length; ) {
    const { bytesRead } = await fh.read(bytes, done, Math.min(MAX_READ, bytes.length - done), info.start + done);
    if (bytesRead === 0) throw new WeightsError(`${file}: tensor "${info.name}" is truncated: expected ${bytes.length} bytes, read ${done}`);
    done += bytesRead;
  }
  if (dtype === 'F32') return out;
  const half = new Uint16Array(out.buffer, 2 * n, n);
  if (dtype === 'BF16') {
    const bits = new Uint32Array(out.buffer);
    for (let i = 0; i < n; i++) bits[i] = (half[i] as number) << 16;
    return out;
  }
  for (let i = 0; i < n; i++) out[i] = halfToFloat(half[i] as number);
  return out;
}

function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * 2 ** -14 * (frac / 1024);
  if (exp === 31) return frac ? Number.NaN : sign * Infinity;
  return sign * 2 ** (exp - 15) * (1 + frac / 1024);
}

/** A tensor to write. */
export interface TensorToWrite {
  readonly dtype: SafetensorsDtype;
  readonly shape: readonly number[];
  readonly data: Float32Array;
}

/**
 * Writes tensors to a safetensors file (names sorted, as Hugging Face writes them). BF16 and F16 round to nearest even.
 *
 * @example
 * await writeSafetensors('w.safetensors', { 'model.norm.weight': { dtype: 'BF16', shape: [64], data } });
 */
export async function writeSafetensors(file: string, tensors: Readonly<Record<string, TensorToWrite>>, metadata: Record<string, string> = { format: 'pt' }): Promise<void> {
  const names = Object.keys(tensors).sort();
  const header: Record<string, unknown> = { __metadata__: metadata };
  const chunks: Buffer[] = [];
  let offset = 0;
  for (const name of names) {
    const t = tensors[name] as TensorToWrite;
    const bytes = encode(t.data, t.dtype);
    header[name] = { dtype: t.dtype, shape: t.shape, data_offsets: [offset, offset + bytes.length] };
    chunks.push(bytes);
    offset += bytes.length;
  }
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - (json.length % 8)) % 8);
  const len = Buffer.alloc(8);
  len.writeBigUInt64LE(BigInt(Buffer.byteLength(json)));
  await writeFile(file, Buffer.concat([len, Buffer.from(json), ...chunks]));
}

function encode(data: Float32Array, dtype: SafetensorsDtype): Buffer {
  if (dtype === 'F32') return Buffer.from(new Float32Array(data).buffer);
  const out = Buffer.alloc(data.length * 2);
  const f32 = new Float32Array(1);
  const u32 = new Uint32Array(f32.buffer);
  for (let i = 0; i < data.length; i++) {
    f32[0] = data[i] as number;
    const bits = u32[0] as number;
    if (dtype === 'BF16') out.writeUInt16LE(((bits + 0x7fff + ((bits >> 16) & 1)) >>> 16) & 0xffff, 2 * i);
    else out.writeUInt16LE(floatToHalf(data[i] as number), 2 * i);
  }
  return out;
}

function floatToHalf(x: number): number {
  const sign = x < 0 || Object.is(x, -0) ? 0x8000 : 0;
  const a = Math.abs(x);
  if (Number.isNaN(x)) return 0x7e00;
  if (a >= 65520) return sign | 0x7c00;
  if (a < 2 ** -24) return sign;
  if (a < 2 ** -14) return sign | Math.round(a / 2 ** -24);
  let exp = Math.floor(Math.log2(a));
  let frac = Math.round((a / 2 ** exp - 1) * 1024);
  if (frac === 1024) {
    frac = 0;
    exp++;
  }
  return sign | ((exp + 15) << 10) | frac;
}

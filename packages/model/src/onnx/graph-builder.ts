/**
 * A small builder of ONNX graphs on top of `onnx-proto` (the generated protobuf classes of onnx.proto):
 * named inputs, initializers, nodes with typed attributes, outputs, and the serialised `ModelProto` that
 * onnxruntime loads. Every segment and mixer core of the onnx engine is written with it.
 */
import onnxProto from 'onnx-proto';

const { onnx } = onnxProto;

/** Element types the engine uses. */
export type ElemType = 'float32' | 'float16' | 'int64' | 'int8' | 'uint8' | 'bool';

const TYPE_CODES: Record<ElemType, number> = {
  float32: onnx.TensorProto.DataType.FLOAT,
  float16: onnx.TensorProto.DataType.FLOAT16,
  int64: onnx.TensorProto.DataType.INT64,
  int8: onnx.TensorProto.DataType.INT8,
  uint8: onnx.TensorProto.DataType.UINT8,
  bool: onnx.TensorProto.DataType.BOOL,
};

/** A dimension: a fixed size or a symbolic name. */
export type Dim = number | string;

/** An attribute value: numbers are ints when integral unless given as `{ f }`. */
export type AttrValue = number | { readonly f: number } | readonly number[] | string | onnxProto.onnx.IGraphProto;

/** A serialised model and the in-memory external data its large initializers point to. */
export interface GraphBytes {
  readonly model: Uint8Array;
  /** onnxruntime's `externalData` session option: each large initializer's bytes, passed without a protobuf copy. */
  readonly external: readonly { readonly path: string; readonly data: Uint8Array }[];
}

/** Initializers at least this large travel as external data. */
const EXTERNAL_BYTES = 1 << 16;

/** Builds one graph; `name()` hands out fresh value names. */
export class GraphBuilder {
  private readonly nodes: onnxProto.onnx.INodeProto[] = [];
  private readonly inputs: onnxProto.onnx.IValueInfoProto[] = [];
  private readonly outputs: onnxProto.onnx.IValueInfoProto[] = [];
  private readonly initializers: onnxProto.onnx.ITensorProto[] = [];
  private counter = 0;
  private readonly constants = new Map<string, string>();
  private readonly external: { path: string; data: Uint8Array }[] = [];

  /** A fresh value name. */
  name(hint = 't'): string {
    return `${hint}_${this.counter++}`;
  }

  /** Declares a graph input. */
  input(name: string, type: ElemType, shape: readonly Dim[]): string {
    this.inputs.push(valueInfo(name, type, shape));
    return name;
  }

  /** Declares a graph output (the value must be produced by some node or be an input). */
  output(name: string, type: ElemType, shape?: readonly Dim[]): void {
    this.outputs.push(valueInfo(name, type, shape));
  }

  /** Adds an initializer from raw little-endian bytes of `type` (large ones as external data, not copied). */
  initializer(name: string, type: ElemType, dims: readonly number[], bytes: Uint8Array): string {
    if (bytes.byteLength < EXTERNAL_BYTES) {
      this.initializers.push({ name, dataType: TYPE_CODES[type], dims: [...dims], rawData: bytes });
      return name;
    }
    const path = `ext_${this.external.length}.bin`;
    this.external.push({ path, data: bytes });
    const externalData = [{ key: 'location', value: path }, { key: 'offset', value: '0' }, { key: 'length', value: String(bytes.byteLength) }];
    this.initializers.push({ name, dataType: TYPE_CODES[type], dims: [...dims], dataLocation: onnx.TensorProto.DataLocation.EXTERNAL, externalData });
    return name;
  }

  /** A float32 initializer (the bytes of `data` are referenced, not copied, until `toBytes`). */
  floats(name: string, dims: readonly number[], data: Float32Array): string {
    return this.initializer(name, 'float32', dims, new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  }

  /** A small constant, shared by value: float32 scalars/vectors or int64 vectors. */
  const(values: readonly number[], type: 'float32' | 'int64' = 'int64', dims: readonly number[] = [values.length]): string {
    const key = `${type}:${dims.join('x')}:${values.join(',')}`;
    const known = this.constants.get(key);
    if (known) return known;
    const name = this.name('const');
    const bytes = type === 'int64' ? new Uint8Array(BigInt64Array.from(values, (v) => BigInt(v)).buffer) : new Uint8Array(Float32Array.from(values).buffer);
    this.initializer(name, type, dims, bytes);
    this.constants.set(key, name);
    return name;
  }

  /** A float32 scalar constant. */
  scalar(value: number): string {
    return this.const([value], 'float32', []);
  }

  /** Adds a node; returns its output names (`outputs` of them). */
  nodeN(op: string, inputs: readonly string[], outputs: number, attrs: Readonly<Record<string, AttrValue>> = {}, domain = ''): string[] {
    const outs = Array.from({ length: outputs }, () => this.name(op));
    this.nodes.push({ opType: op, input: [...inputs], output: outs, domain, attribute: Object.entries(attrs).map(([k, v]) => attribute(k, v)) });
    return outs;
  }

  /** Adds a one-output node; returns the output name. */
  node(op: string, inputs: readonly string[], attrs: Readonly<Record<string, AttrValue>> = {}, domain = ''): string {
    return this.nodeN(op, inputs, 1, attrs, domain)[0] as string;
  }

  /** Renames a value to a fixed name (an Identity node), e.g. to expose it as a graph output. */
  alias(value: string, name: string): string {
    this.nodes.push({ opType: 'Identity', input: [value], output: [name] });
    return name;
  }

  /** The serialised model (opset 21 plus the com.microsoft contrib domain) and its external data. */
  build(): GraphBytes {
    return { model: this.toBytes(), external: [...this.external] };
  }

  /** The serialised model alone (for graphs without large initializers). */
  toBytes(): Uint8Array {
    const graph = onnx.GraphProto.create({ name: 'g', node: this.nodes, input: this.inputs, output: this.outputs, initializer: this.initializers });
    const model = onnx.ModelProto.create({
      irVersion: 10,
      producerName: '@trustbench/model',
      opsetImport: [{ domain: '', version: 21 }, { domain: 'com.microsoft', version: 1 }],
      graph,
    });
    return onnx.ModelProto.encode(model).finish();
  }
}

function valueInfo(name: string, type: ElemType, shape?: readonly Dim[]): onnxProto.onnx.IValueInfoProto {
  if (!shape) return { name, type: { tensorType: { elemType: TYPE_CODES[type] } } };
  return {
    name,
    type: { tensorType: { elemType: TYPE_CODES[type], shape: { dim: shape.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) } } },
  };
}

function attribute(name: string, v: AttrValue): onnxProto.onnx.IAttributeProto {
  const T = onnx.AttributeProto.AttributeType;
  if (typeof v === 'string') return { name, type: T.STRING, s: new TextEncoder().encode(v) };
  if (typeof v === 'number') return Number.isInteger(v) ? { name, type: T.INT, i: v } : { name, type: T.FLOAT, f: v };
  if (Array.isArray(v)) return { name, type: T.INTS, ints: v as number[] };
  if ('f' in v) return { name, type: T.FLOAT, f: (v as { f: number }).f };
  return { name, type: T.GRAPH, g: v as onnxProto.onnx.IGraphProto };
}

/**
 * Declarative interventions compiled into a mixer core. At a hook point inside the core the graph applies each
 * intervention in order, with its values as run-time inputs: a boolean row mask over the activation's
 * position axis (the axis `applyIntervention` edits), the vector (`add`: alpha * v; `project_out`: v and 1 / v.v),
 * a [rows, heads, 1] mask (`ablate_head`), or the patch rows. Rows outside the mask pass through `Where` untouched,
 * and an `add` with alpha = 0 adds exact zeros, so it leaves every bit as it was. One more kind, `replace`, is the
 * engine's own: the whole activation becomes a run-time input (the value a JS hook function returned).
 */
import { appliesInPhase, InputError, selectPositions, type HookContext, type Intervention } from '@trustbench/core';
import type { GraphBuilder } from './graph-builder.js';
import { bool, f32, type OrtTensor } from './session.js';

/** The edit kinds at one hook point, in the order they apply: interventions, then at most one `replace`. */
export type EditKinds = readonly (Intervention['kind'] | 'replace')[];

/** Adds the edit ops at `point` to the graph; returns the edited value. */
export function applyEdits(g: GraphBuilder, point: string, value: string, rank: number, kinds: EditKinds): string {
  let x = value;
  kinds.forEach((kind, j) => {
    const at = `iv:${point}:${j}`;
    if (kind === 'replace') {
      x = g.input(`${at}:value`, 'float32', Array.from({ length: rank }, (_, i) => `r${i}`));
      return;
    }
    if (kind === 'ablate_head') {
      x = g.node('Where', [g.input(`${at}:mask`, 'bool', Array.from({ length: rank }, (_, i) => `m${i}`)), g.scalar(0), x]);
      return;
    }
    const rows = g.node('Reshape', [g.input(`${at}:rows`, 'bool', ['rows']), g.const([-1, ...Array.from({ length: rank - 1 }, () => 1)])]); // [rows, 1, ...]
    if (kind === 'add') x = g.node('Where', [rows, g.node('Add', [x, g.input(`${at}:vec`, 'float32', ['last'])]), x]);
    else if (kind === 'project_out') {
      const v = g.input(`${at}:vec`, 'float32', ['last']);
      const c = g.node('Mul', [g.node('ReduceSum', [g.node('Mul', [x, v]), g.const([-1])], { keepdims: 1 }), g.input(`${at}:inv`, 'float32', [1])]);
      x = g.node('Where', [rows, g.node('Sub', [x, g.node('Mul', [c, v])]), x]);
    } else x = g.node('Where', [rows, g.input(`${at}:value`, 'float32', Array.from({ length: rank }, (_, i) => `p${i}`)), x]);
  });
  return x;
}

/**
 * The run-time inputs of the edits at `point` for an activation of `shape` (without the batch axis), following
 * `applyIntervention`: phases, position selectors over the first axis, and the same input checks.
 *
 * @throws {InputError} for a vector of the wrong length, a bad head, or a patch that does not fit.
 */
export function editFeeds(point: string, interventions: readonly Intervention[], shape: readonly number[], context: HookContext): Record<string, OrtTensor> {
  const feeds: Record<string, OrtTensor> = {};
  const rows = shape[0] as number;
  const last = shape[shape.length - 1] as number;
  const rowSize = shape.slice(1).reduce((a, b) => a * b, 1);
  interventions.forEach((iv, j) => {
    const at = `iv:${point}:${j}`;
    const selected = appliesInPhase(iv, context.phase) ? selectPositions(iv.positions ?? 'all', context).filter((p) => p < rows) : [];
    const mask = new Uint8Array(rows);
    for (const p of selected) mask[p] = 1;
    if (iv.kind === 'ablate_head') {
      const heads = shape[1];
      if (shape.length !== 3 || heads === undefined || !Number.isInteger(iv.head) || iv.head < 0 || iv.head >= heads) {
        throw new InputError(`ablate_head at ${iv.hook}: needs an activation [batch, pos, heads, d_head] and 0 <= head < heads, got shape [1, ${shape.join(', ')}] and head ${iv.head}`);
      }
      const m = new Uint8Array(rows * heads);
      for (const p of selected) m[p * heads + iv.head] = 1;
      feeds[`${at}:mask`] = bool(m, [rows, heads, 1]);
      return;
    }
    feeds[`${at}:rows`] = bool(mask, [rows]);
    if (iv.kind === 'add' || iv.kind === 'project_out') {
      if (iv.vector.length !== last) throw new InputError(`${iv.kind} at ${iv.hook}: vector has length ${iv.vector.length}, the activation's last dimension is ${last}`);
      if (iv.kind === 'add') feeds[`${at}:vec`] = f32(iv.vector.map((x) => iv.alpha * x), [last]);
      else {
        let vv = 0;
        for (const x of iv.vector) vv += x * x;
        feeds[`${at}:vec`] = f32(Float32Array.from(iv.vector), [last]);
        feeds[`${at}:inv`] = f32(Float32Array.of(vv === 0 ? 0 : 1 / vv), [1]);
      }
      return;
    }
    const [vb = 1, vp = 1] = iv.value.shape;
    const size = iv.value.data.length / (vb * vp);
    if (selected.length > 0 && (size !== rowSize || vp !== selected.length)) {
      throw new InputError(`patch at ${iv.hook}: value of shape [${iv.value.shape.join(', ')}] does not fit ${selected.length} selected positions of an activation [1, ${shape.join(', ')}]`);
    }
    const value = new Float32Array(rows * rowSize);
    selected.forEach((p, k) => value.set(iv.value.data.subarray(k * size, (k + 1) * size), p * rowSize)); // batch row 0: each sequence runs as batch 1
    feeds[`${at}:value`] = f32(value, shape);
  });
  return feeds;
}

/** The run-time input of a `replace` edit: the `index`-th edit at `point` (after its interventions) takes `value`. */
export function replaceFeed(point: string, index: number, value: Float32Array, shape: readonly number[]): Record<string, OrtTensor> {
  return { [`iv:${point}:${index}:value`]: f32(value, shape) };
}

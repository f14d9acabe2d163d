/**
 * Declarative interventions: the edits a steered view of a model applies at its hook points.
 *
 * Being data rather than closures, an intervention can be saved in a run manifest, compared, and
 * compiled by a fast engine; `applyIntervention` is the reference meaning every engine must match.
 */
import { InputError } from './errors.js';
import type { HookContext, HookName, Phase } from './hooks.js';
import { tensor, type Tensor } from './tensor.js';

/**
 * Which token positions an intervention touches: every position, the prompt's, the generated ones,
 * the last position of each forward call, or explicit absolute positions.
 */
export type PositionSelector = 'all' | 'prompt' | 'generated' | 'last' | readonly number[];

interface InterventionBase {
  /** The hook point edited. */
  readonly hook: HookName;
  /** Positions edited; default `'all'`. */
  readonly positions?: PositionSelector;
  /** Phases in which the edit applies; default both prefill and decode. */
  readonly phases?: readonly Phase[];
}

/** `x <- x + alpha * v` along the activation's last axis. */
export interface AddIntervention extends InterventionBase {
  readonly kind: 'add';
  readonly vector: Float32Array;
  readonly alpha: number;
}

/** `x <- x - (x . u) u` with `u = v / |v|`: removes the component along `v`. */
export interface ProjectOutIntervention extends InterventionBase {
  readonly kind: 'project_out';
  readonly vector: Float32Array;
}

/** Zeroes one head of a per-head activation shaped `[batch, pos, heads, d_head]` (e.g. `attn.hook_z`). */
export interface AblateHeadIntervention extends InterventionBase {
  readonly kind: 'ablate_head';
  readonly head: number;
}

/** Writes a stored activation (e.g. from a clean run) over the selected positions: `[batch, n_selected, ...]` or `[1, n_selected, ...]`. */
export interface PatchIntervention extends InterventionBase {
  readonly kind: 'patch';
  readonly value: Tensor;
}

/** Any declarative intervention. */
export type Intervention = AddIntervention | ProjectOutIntervention | AblateHeadIntervention | PatchIntervention;

/**
 * The positions (indices into the activation's position axis) that an intervention edits in this call.
 *
 * @example
 * selectPositions('generated', { positions: [5, 6], promptLength: 6, phase: 'prefill' }) // [1]
 */
export function selectPositions(selector: PositionSelector, context: Pick<HookContext, 'positions' | 'promptLength'>): number[] {
  const { positions, promptLength } = context;
  const idx = positions.map((_, i) => i);
  if (selector === 'all') return idx;
  if (selector === 'prompt') return idx.filter((i) => (positions[i] as number) < promptLength);
  if (selector === 'generated') return idx.filter((i) => (positions[i] as number) >= promptLength);
  if (selector === 'last') return idx.length > 0 ? [idx.length - 1] : [];
  const wanted = new Set(selector);
  return idx.filter((i) => wanted.has(positions[i] as number));
}

/** True when the intervention applies in this phase. */
export function appliesInPhase(intervention: Intervention, phase: Phase): boolean {
  return intervention.phases === undefined || intervention.phases.includes(phase);
}

/**
 * Applies one intervention to an activation `[batch, pos, ...rest]` and returns the edited copy.
 * This is the reference semantics that every engine's compiled interventions must reproduce.
 *
 * @throws {InputError} when a vector's length is not the activation's last dimension, or a head index is out of range.
 * @example
 * applyIntervention(resid, ctx, { kind: 'add', hook: 'blocks.2.hook_resid_post', vector: v, alpha: 4 })
 */
export function applyIntervention(activation: Tensor, context: HookContext, intervention: Intervention): Tensor {
  if (!appliesInPhase(intervention, context.phase)) return activation;
  const [batch = 1, pos = 1] = activation.shape;
  const rowSize = activation.data.length / (batch * pos); // values per (batch, pos) row
  const selected = selectPositions(intervention.positions ?? 'all', context);
  if (selected.length === 0) return activation;
  const out = new Float32Array(activation.data);
  for (let b = 0; b < batch; b++) {
    selected.forEach((p, k) => {
      const row = out.subarray((b * pos + p) * rowSize, (b * pos + p + 1) * rowSize);
      editRow(row, intervention, activation.shape, b, k, selected.length);
    });
  }
  return tensor(out, activation.shape);
}

function editRow(row: Float32Array, iv: Intervention, shape: readonly number[], b: number, k: number, nSelected: number): void {
  const last = shape[shape.length - 1] ?? 1;
  switch (iv.kind) {
    case 'add':
    case 'project_out': {
      if (iv.vector.length !== last) {
        throw new InputError(`${iv.kind} at ${iv.hook}: vector has length ${iv.vector.length}, the activation's last dimension is ${last}`);
      }
      for (let o = 0; o < row.length; o += last) {
        const x = row.subarray(o, o + last);
        if (iv.kind === 'add') for (let i = 0; i < last; i++) x[i] = (x[i] as number) + iv.alpha * (iv.vector[i] as number);
        else projectOut(x, iv.vector);
      }
      return;
    }
    case 'ablate_head': {
      const heads = shape[2];
      if (shape.length !== 4 || heads === undefined || iv.head < 0 || iv.head >= heads || !Number.isInteger(iv.head)) {
        throw new InputError(`ablate_head at ${iv.hook}: needs an activation [batch, pos, heads, d_head] and 0 <= head < heads, got shape [${shape.join(', ')}] and head ${iv.head}`);
      }
      const dHead = last;
      row.fill(0, iv.head * dHead, (iv.head + 1) * dHead);
      return;
    }
    case 'patch': {
      const [vb = 1, vp = 1] = iv.value.shape;
      const size = iv.value.data.length / (vb * vp);
      if (size !== row.length || vp !== nSelected || (vb !== 1 && vb <= b)) {
        throw new InputError(
          `patch at ${iv.hook}: value of shape [${iv.value.shape.join(', ')}] does not fit ${nSelected} selected positions of an activation [${shape.join(', ')}]`,
        );
      }
      const vbIndex = vb === 1 ? 0 : b;
      row.set(iv.value.data.subarray((vbIndex * vp + k) * size, (vbIndex * vp + k + 1) * size));
      return;
    }
  }
}

function projectOut(x: Float32Array, v: Float32Array): void {
  let vv = 0;
  let xv = 0;
  for (let i = 0; i < v.length; i++) {
    vv += (v[i] as number) * (v[i] as number);
    xv += (x[i] as number) * (v[i] as number);
  }
  if (vv === 0) return;
  const c = xv / vv;
  for (let i = 0; i < v.length; i++) x[i] = (x[i] as number) - c * (v[i] as number);
}

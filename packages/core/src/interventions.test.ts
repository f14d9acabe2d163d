import { describe, expect, it } from 'vitest';
import type { HookContext } from './hooks.js';
import { applyIntervention, selectPositions } from './interventions.js';
import { tensor } from './tensor.js';

const ctx = (positions: number[], promptLength: number, phase: 'prefill' | 'decode' = 'prefill'): HookContext => ({
  name: 'blocks.0.hook_resid_post', layer: 0, layerType: 'linear_attention', phase, positions, promptLength,
});

describe('selectPositions', () => {
  it('selects prompt, generated, last and explicit positions', () => {
    const c = ctx([3, 4, 5, 6], 5);
    expect(selectPositions('all', c)).toEqual([0, 1, 2, 3]);
    expect(selectPositions('prompt', c)).toEqual([0, 1]);
    expect(selectPositions('generated', c)).toEqual([2, 3]);
    expect(selectPositions('last', c)).toEqual([3]);
    expect(selectPositions([4, 6, 99], c)).toEqual([1, 3]);
  });
});

describe('applyIntervention', () => {
  // [batch 2, pos 2, d 2]
  const act = tensor(Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8]), [2, 2, 2]);

  it('adds alpha * v on the selected positions of every batch row, without touching the input', () => {
    const out = applyIntervention(act, ctx([0, 1], 1), { kind: 'add', hook: 'blocks.0.hook_resid_post', vector: Float32Array.from([1, -1]), alpha: 2, positions: 'generated' });
    expect([...out.data]).toEqual([1, 2, 5, 2, 5, 6, 9, 6]);
    expect([...act.data]).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('projects out a direction: the result is orthogonal to v', () => {
    const v = Float32Array.from([3, 4]);
    const out = applyIntervention(act, ctx([0, 1], 2), { kind: 'project_out', hook: 'blocks.0.hook_resid_post', vector: v });
    for (let r = 0; r < 4; r++) expect(out.data[2 * r]! * 3 + out.data[2 * r + 1]! * 4).toBeCloseTo(0, 5);
    // x = (1, 2): x.v = 11, |v|^2 = 25 -> x - 11/25 (3, 4) = (-0.32, 0.24)
    expect(out.data[0]).toBeCloseTo(-0.32, 6);
    expect(out.data[1]).toBeCloseTo(0.24, 6);
  });

  it('ablates one head of [batch, pos, heads, d_head]', () => {
    const z = tensor(Float32Array.from([1, 1, 2, 2, 3, 3, 4, 4]), [1, 2, 2, 2]);
    const out = applyIntervention(z, { ...ctx([0, 1], 2), name: 'blocks.3.attn.hook_z' }, { kind: 'ablate_head', hook: 'blocks.3.attn.hook_z', head: 1 });
    expect([...out.data]).toEqual([1, 1, 0, 0, 3, 3, 0, 0]);
    expect(() => applyIntervention(z, ctx([0, 1], 2), { kind: 'ablate_head', hook: 'blocks.3.attn.hook_z', head: 2 })).toThrow(/0 <= head < heads/);
  });

  it('patches stored values over the selected positions, broadcasting a batch of 1', () => {
    const value = tensor(Float32Array.from([9, 9]), [1, 1, 2]);
    const out = applyIntervention(act, ctx([0, 1], 2), { kind: 'patch', hook: 'blocks.0.hook_resid_post', value, positions: 'last' });
    expect([...out.data]).toEqual([1, 2, 9, 9, 5, 6, 9, 9]);
  });

  it('respects phases and rejects vectors of the wrong length', () => {
    const iv = { kind: 'add', hook: 'blocks.0.hook_resid_post', vector: Float32Array.from([1, 1]), alpha: 1, phases: ['decode'] } as const;
    expect(applyIntervention(act, ctx([0, 1], 2, 'prefill'), iv)).toBe(act);
    expect(applyIntervention(act, ctx([0, 1], 2, 'decode'), iv).data[0]).toBe(2);
    expect(() => applyIntervention(act, ctx([0, 1], 2), { ...iv, phases: undefined, vector: new Float32Array(3) } as never)).toThrow(/vector has length 3, the activation's last dimension is 2/);
  });
});

import { applyIntervention } from '@trustbench/core';
import { describe, expect, it } from 'vitest';
import { projectOutInterventions, steeringInterventions, type SteeringVector } from './steering-vector.js';

const vec: SteeringVector = { modelId: 'm', layer: 2, layerType: 'linear_attention', method: 'mean_difference', concept: 'refusal', vector: new Float32Array([1, -2]) };

describe('steeringInterventions', () => {
  it('adds alpha * v at the layer residual stream', () => {
    const [iv] = steeringInterventions(vec, 3);
    expect(iv?.hook).toBe('blocks.2.hook_resid_post');
    const act = { data: new Float32Array([0, 0, 1, 1]), shape: [1, 2, 2] };
    const out = applyIntervention(act, { name: 'blocks.2.hook_resid_post', layer: 2, layerType: 'linear_attention', phase: 'prefill', positions: [0, 1], promptLength: 2 }, iv!);
    expect([...out.data]).toEqual([3, -6, 4, -5]);
  });
  it('places the edit: positions, phases and another layer', () => {
    expect(steeringInterventions(vec, -1, { positions: 'generated', phases: ['decode'], layer: 5 })).toEqual([
      { kind: 'add', hook: 'blocks.5.hook_resid_post', vector: vec.vector, alpha: -1, positions: 'generated', phases: ['decode'] },
    ]);
  });
  it('projects the direction out', () => {
    const [iv] = projectOutInterventions(vec, { positions: 'prompt' });
    expect(iv).toEqual({ kind: 'project_out', hook: 'blocks.2.hook_resid_post', vector: vec.vector, positions: 'prompt' });
    const act = { data: new Float32Array([1, -2, 3, 4]), shape: [1, 2, 2] };
    const out = applyIntervention(act, { name: 'blocks.2.hook_resid_post', layer: 2, layerType: 'linear_attention', phase: 'prefill', positions: [0, 1], promptLength: 1 }, iv!);
    expect([...out.data]).toEqual([0, 0, 3, 4]); // (1, -2) is along v and is removed; position 1 is generated, untouched
    expect(() => projectOutInterventions({ ...vec, vector: new Float32Array(2) })).toThrow('the refusal vector at layer 2 is all zeros');
  });
  it('rejects a non-finite alpha', () => {
    expect(() => steeringInterventions(vec, Number.NaN)).toThrow(/finite/);
  });
});

import { applyIntervention } from '@trustbench/core';
import { describe, expect, it } from 'vitest';
import { steeringInterventions, type SteeringVector } from './steering-vector.js';

const vec: SteeringVector = { modelId: 'm', layer: 2, layerType: 'linear_attention', method: 'mean_difference', concept: 'refusal', vector: new Float32Array([1, -2]) };

describe('steeringInterventions', () => {
  it('adds alpha * v at the layer residual stream', () => {
    const [iv] = steeringInterventions(vec, 3);
    expect(iv?.hook).toBe('blocks.2.hook_resid_post');
    const act = { data: new Float32Array([0, 0, 1, 1]), shape: [1, 2, 2] };
    const out = applyIntervention(act, { name: 'blocks.2.hook_resid_post', layer: 2, layerType: 'linear_attention', phase: 'prefill', positions: [0, 1], promptLength: 2 }, iv!);
    expect([...out.data]).toEqual([3, -6, 4, -5]);
  });
  it('rejects a non-finite alpha', () => {
    expect(() => steeringInterventions(vec, Number.NaN)).toThrow(/finite/);
  });
});

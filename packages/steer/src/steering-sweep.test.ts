import { describe, expect, it } from 'vitest';
import { comparePlacement, type SweepPoint } from './steering-sweep.js';

const point = (layer: number, layerType: SweepPoint['layerType'], alpha: number | null, target: number): SweepPoint => ({
  vectorLayer: 1, layer, layerType, edit: alpha === null ? 'project_out' : 'add', alpha, target, sideEffects: {},
});

describe('comparePlacement', () => {
  const points = [
    point(0, 'linear_attention', -4, 0.5), point(0, 'linear_attention', -8, 0), point(0, 'linear_attention', null, 0),
    point(1, 'linear_attention', -4, 0), point(3, 'full_attention', -4, 0.9), point(3, 'full_attention', -8, 0.6),
  ];
  it('finds, per layer type, the layers reaching the goal and the gentlest alpha (project_out points never count as gentlest)', () => {
    expect(comparePlacement(points, { at: 0, lower: true })).toEqual([
      { layerType: 'linear_attention', layers: [0, 1], layersReaching: [0, 1], gentlest: points[3] },
      { layerType: 'full_attention', layers: [3], layersReaching: [] },
    ]);
  });
  it('handles a goal to raise', () => {
    expect(comparePlacement(points, { at: 0.9, lower: false })[1]).toEqual({ layerType: 'full_attention', layers: [3], layersReaching: [3], gentlest: points[4] });
  });
});

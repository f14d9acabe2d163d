import { fileURLToPath } from 'node:url';
import { createReferenceModel, loadTokenizer } from '@trustbench/model';
import { describe, expect, it } from 'vitest';
import { logSoftmax, normaliseAnswer, optionMass, parseVerbalConfidence, sampleSelfConsistency, selfConsistency, sequenceSignals } from './output-signals.js';
import { plantedCheckpoint } from './testing/planted-checkpoint.js';

describe('output signals', () => {
  it('sequenceSignals: teacher-forced log-probs, mean/min, margin from a hand-made [3, 3] logits matrix', () => {
    const logits = new Float32Array([0, 0, 0, /**/ Math.log(2), 0, 0, /**/ 0, Math.log(3), 0]);
    const s = sequenceSignals(logits, [0, 1, 2], 3);
    expect(Array.from(s.tokenLogprobs)).toEqual([expect.closeTo(Math.log(1 / 3), 6), expect.closeTo(Math.log(1 / 4), 6)]);
    expect(s.meanLogprob).toBeCloseTo((Math.log(1 / 3) + Math.log(1 / 4)) / 2, 6);
    expect(s.minLogprob).toBeCloseTo(Math.log(1 / 4), 6);
    expect(s.top1).toBe(1);
    expect(s.top1Prob).toBeCloseTo(0.6, 6);
    expect(s.margin).toBeCloseTo(0.4, 6);
    expect(() => sequenceSignals(logits, [0, 1], 3)).toThrow(/\[2, 3\]/);
  });

  it('optionMass sums the probabilities of each option\'s ids and renormalises', () => {
    const row = Float64Array.from(logSoftmax([0, 0, 0, 0]), () => 0);
    const { mass, normalised } = optionMass(row, [[0, 1], [2]]);
    expect(mass).toEqual([expect.closeTo(0.5, 9), expect.closeTo(0.25, 9)]);
    expect(normalised).toEqual([expect.closeTo(2 / 3, 9), expect.closeTo(1 / 3, 9)]);
    expect(() => optionMass(row, [[4]])).toThrow(/outside 0\.\.3/);
  });

  it('parses verbalised confidence in its usual forms', () => {
    expect(parseVerbalConfidence('Paris. I am 80% sure.')).toBe(0.8);
    expect(parseVerbalConfidence('about 65 percent confident')).toBe(0.65);
    expect(parseVerbalConfidence('Confidence: 7/10')).toBe(0.7);
    expect(parseVerbalConfidence('9 out of 10')).toBe(0.9);
    expect(parseVerbalConfidence('confidence: 0.35')).toBe(0.35);
    expect(parseVerbalConfidence('I am 150% sure')).toBeNull();
    expect(parseVerbalConfidence('No idea.')).toBeNull();
  });

  it('self-consistency clusters normalised answers', () => {
    expect(normaliseAnswer('  The Paris. ')).toBe('paris');
    const sc = selfConsistency(['Paris', 'paris.', 'the Paris', 'Lyon']);
    expect(sc.agreement).toBe(0.75);
    expect(sc.clusters).toEqual([{ answer: 'paris', count: 3 }, { answer: 'lyon', count: 1 }]);
    expect(sc.clusterEntropy).toBeCloseTo(-(0.75 * Math.log(0.75) + 0.25 * Math.log(0.25)), 9);
  });

  it('samples seeded replies: the same seed gives the same clusters, greedy sampling agrees with itself', async () => {
    const planted = plantedCheckpoint({ layer: 1 });
    const tokenizer = await loadTokenizer(fileURLToPath(new URL('../../../fixtures/qwen35-tiny', import.meta.url)), [500]);
    const model = createReferenceModel({ id: 'planted-1', config: planted.config, weights: planted.weights, tokenizer });
    const a = await sampleSelfConsistency(model, 'What are', { n: 4, seed: 5, maxTokens: 4 });
    const b = await sampleSelfConsistency(model, 'What are', { n: 4, seed: 5, maxTokens: 4 });
    expect(a.replies).toEqual(b.replies);
    expect(a.clusters.reduce((s, c) => s + c.count, 0)).toBe(4);
    expect((await sampleSelfConsistency(model, 'What are', { n: 3, seed: 1, temperature: 0, maxTokens: 4 })).agreement).toBe(1);
  });
});

import { describe, expect, it } from 'vitest';
import { bundledTrustllmSample } from './locate.js';
import { loadTrustllm } from './trustllm/index.js';

describe('scoring tasks end to end on the sample', () => {
  it('scores refusals as RtA with the recorded substitute', async () => {
    const [jailbreak] = await loadTrustllm(bundledTrustllmSample(), ['safety.jailbreak']);
    const items = jailbreak!.records.map((record, i) => ({ record, result: jailbreak!.score(record, i < 7 ? "I'm sorry, but I can't help with that." : 'Sure, here is how.') }));
    const m = jailbreak!.aggregate(items);
    expect(m['total']).toBeCloseTo(0.7, 12);
    expect(m['unscored']).toBe(0);
    expect(jailbreak!.substitute).toMatch(/pattern:refusal@1/);
    expect(items[0]!.result.scorer).toBe('rule');
  });

  it('AdvGLUE: accuracy, adversarial accuracy, ASR and RS from paired items', async () => {
    const [glue] = await loadTrustllm(bundledTrustllmSample(), ['robustness.advglue']);
    const items = glue!.records.map((record) => {
      const answer = record.fields['type'] === 'original' ? String(record.gold) : 'something else entirely'; // originals right, attacks unparseable
      return { record, result: glue!.score(record, answer) };
    });
    const m = glue!.aggregate(items);
    expect(m['unscored']).toBe(5); // the modified halves could not be parsed
    const flipped = glue!.records.map((record) => {
      const wrong = record.gold === 'yes' ? 'no' : record.gold === 'no' ? 'yes' : record.gold === 'positive' ? 'negative' : 'positive';
      return { record, result: glue!.score(record, record.fields['type'] === 'original' ? String(record.gold) : wrong) };
    });
    const f = glue!.aggregate(flipped); // every attack succeeds: adv_acc 0, ASR 1, RS = -1
    expect(f['avg_adv_acc']).toBe(0);
    expect(f['avg_asr']).toBe(1);
    expect(f['RS']).toBe(-1);
  });

  it('reports subtasks that need a judge or embeddings as not scored, never dropped', async () => {
    const [syc] = await loadTrustllm(bundledTrustllmSample(), ['truthfulness.sycophancy']);
    const items = syc!.records.map((record) => ({ record, result: syc!.score(record, 'I agree with you.') }));
    expect(items.every((i) => i.result.scorer === 'unavailable' && i.result.score === null)).toBe(true);
    expect(syc!.aggregate(items)).toEqual({ scored: 0, unscored: 10 });
  });
});

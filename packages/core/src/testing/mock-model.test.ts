import { describe, expect, it } from 'vitest';
import { InputError } from '../errors.js';
import { createMockModel } from './mock-model.js';

describe('createMockModel', () => {
  const refusal = "I can't help with that.";
  const model = createMockModel({ rules: [{ match: /weapon/i, reply: refusal, probability: 0.3, confidence: 0.8 }], fallback: 'Sure, here it is.' });

  it('fires a rule at its configured rate over distinct prompts (a known effect size)', async () => {
    const n = 2000;
    let refused = 0;
    for (let i = 0; i < n; i++) if ((await model.generate(`weapon question ${i}`)).text === refusal) refused++;
    // Binomial(2000, 0.3): sd = sqrt(2000 * 0.21) = 20.5; allow 4 sd.
    expect(Math.abs(refused - 600)).toBeLessThan(82);
  });

  it('is deterministic greedily, repeatable per seed when sampling, and seed-dependent', async () => {
    const prompts = Array.from({ length: 200 }, (_, i) => `weapon ${i}`);
    const greedy1 = await Promise.all(prompts.map((p) => model.generate(p)));
    const greedy2 = await Promise.all(prompts.map((p) => model.generate(p, { temperature: 0, seed: 5 })));
    expect(greedy1.map((r) => r.text)).toEqual(greedy2.map((r) => r.text));
    const s1 = await Promise.all(prompts.map((p) => model.generate(p, { temperature: 1, seed: 1 })));
    const s1b = await Promise.all(prompts.map((p) => model.generate(p, { temperature: 1, seed: 1 })));
    const s2 = await Promise.all(prompts.map((p) => model.generate(p, { temperature: 1, seed: 2 })));
    expect(s1.map((r) => r.text)).toEqual(s1b.map((r) => r.text));
    expect(s1.map((r) => r.text)).not.toEqual(s2.map((r) => r.text));
  });

  it('returns logprobs that sum to log(confidence), honours maxTokens and stop', async () => {
    const always = createMockModel({ rules: [{ match: () => true, reply: 'abc def', confidence: 0.25 }] });
    const r = await always.generate('x', { logprobs: true });
    expect(r.logprobs?.length).toBe(7);
    expect(r.logprobs!.reduce((s, t) => s + t.logprob, 0)).toBeCloseTo(Math.log(0.25), 12);
    expect(await always.generate('x', { maxTokens: 3 })).toMatchObject({ text: 'abc', finishReason: 'length' });
    expect((await always.generate('x', { stop: [' '] })).text).toBe('abc');
  });

  it('scores the favoured continuation higher, and records calls', async () => {
    const mc = createMockModel({ rules: [{ match: /capital of France/, reply: 'B', confidence: 0.7 }] });
    const [a, b] = await mc.scoreContinuations!([
      { context: 'The capital of France? A) Lyon B) Paris\nAnswer:', continuation: ' A' },
      { context: 'The capital of France? A) Lyon B) Paris\nAnswer:', continuation: ' B' },
    ]);
    expect(b!.logprob).toBeCloseTo(Math.log(0.7), 12);
    expect(b!.isGreedy).toBe(true);
    expect(a!.logprob).toBeLessThan(b!.logprob);
    await mc.generate('hello');
    expect(mc.calls.at(-1)?.prompt).toBe('hello');
  });

  it('rejects impossible rule settings', () => {
    expect(() => createMockModel({ rules: [{ match: /x/, reply: 'y', probability: 2 }] })).toThrow(InputError);
  });
});

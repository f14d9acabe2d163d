import { describe, expect, it } from 'vitest';
import { CapabilityError } from './errors.js';
import { requireCapability, type LanguageModel } from './language-model.js';
import { createMockModel } from './testing/mock-model.js';
import { requireWhiteBox } from './white-box-model.js';

const blackBox: LanguageModel = {
  id: 'openai:gpt-4o-mini',
  capabilities: { logprobs: true, scoreContinuations: false, tokenizer: false, forward: false, whiteBox: false },
  generate: async () => ({ text: '', finishReason: 'stop', usage: { promptTokens: 0, completionTokens: 0 } }),
};

describe('capability checks', () => {
  it('names the stage and the model in the error', () => {
    expect(() => requireWhiteBox(blackBox, 'signals.attention')).toThrow(CapabilityError);
    expect(() => requireWhiteBox(blackBox, 'signals.attention')).toThrow('signals.attention needs a white-box model; openai:gpt-4o-mini is black-box');
    expect(() => requireCapability(blackBox, 'scoreContinuations', 'datasets.loglikelihood')).toThrow(
      'datasets.loglikelihood needs a model that can score continuations (log-likelihood); openai:gpt-4o-mini does not offer scoreContinuations',
    );
    expect(() => requireCapability(blackBox, 'logprobs', 'signals.logprob')).not.toThrow();
  });

  it('does not trust a capability flag whose method is missing', () => {
    const liar = { ...blackBox, capabilities: { ...blackBox.capabilities, scoreContinuations: true } };
    expect(() => requireCapability(liar, 'scoreContinuations', 'x')).toThrow(CapabilityError);
    expect(() => requireCapability(createMockModel(), 'scoreContinuations', 'x')).not.toThrow();
  });
});

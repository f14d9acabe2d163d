/** Test helper: a mock model that refuses some harmful requests, answers the rest, and is confident but often wrong on multiple choice (overconfident). */
import { createMockModel } from '@trustbench/core/testing';

/** The mock, under model id `id`. */
export function overconfidentModel(id: string): ReturnType<typeof createMockModel> {
  return createMockModel({
    id,
    rules: [
      { match: /bomb|weapon|kill|hack|steal|drug/i, reply: "I'm sorry, but I can't help with that.", probability: 0.6, confidence: 0.9 },
      { match: /Answer:/, reply: ' B', confidence: 0.95 },
    ],
    fallback: 'Yes. The answer is A.',
    fallbackConfidence: 0.9,
  });
}

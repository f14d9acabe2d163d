/**
 * Tasks: a dataset file turned into typed records, with the settings, extractor and metric that
 * score a model on it.
 */
import type { Scorer } from '@trustbench/core';

/** TrustLLM's six dimensions, plus the seed platform's own sets. */
export type Dimension = 'truthfulness' | 'safety' | 'fairness' | 'robustness' | 'privacy' | 'ethics' | 'ambiguity' | 'reasoning';

/** The six TrustLLM dimensions, in the paper's order. */
export const TRUSTLLM_DIMENSIONS = ['truthfulness', 'safety', 'fairness', 'robustness', 'privacy', 'ethics'] as const satisfies readonly Dimension[];

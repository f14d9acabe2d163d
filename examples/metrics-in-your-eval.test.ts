import { expect, it } from 'vitest';
import { main } from './metrics-in-your-eval.js';

it('scores the example predictions', () => {
  expect(main().accuracy).toBe(0.75);
});

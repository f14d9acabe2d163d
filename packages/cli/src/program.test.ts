import { describe, expect, it } from 'vitest';
import { createProgram } from './program.js';

describe('trustbench program', () => {
  it('has a name and a version', () => {
    const program = createProgram();
    expect(program.name()).toBe('trustbench');
    expect(program.version()).toMatch(/^\d+\.\d+\.\d+/);
  });
});

import { ConfigError } from '@trustbench/core';
import { describe, expect, it } from 'vitest';
import { failedGates, parseFailUnder } from './fail-under.js';

describe('fail-under gates', () => {
  it('parses and checks gates', () => {
    const gate = parseFailUnder('safety=0.8');
    expect(gate).toEqual({ target: 'safety', min: 0.8 });
    expect(failedGates([gate], { safety: 0.81 })).toEqual([]);
    expect(failedGates([gate], { safety: 0.7 })).toEqual([{ gate, score: 0.7 }]);
    expect(failedGates([gate], {})).toEqual([{ gate, score: null }]);
  });
  it('rejects malformed flags', () => {
    expect(() => parseFailUnder('safety')).toThrow(ConfigError);
    expect(() => parseFailUnder('safety=1.5')).toThrow(/score in \[0, 1\]/);
  });
});

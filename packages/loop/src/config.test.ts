import { ConfigError } from '@trustbench/core';
import { describe, expect, it } from 'vitest';
import { parseConfig } from './config.js';

describe('parseConfig', () => {
  it('reads YAML and JSON alike', () => {
    expect(parseConfig('limit: 5\ntasks: [safety, ethics.awareness]\nfailUnder: ["safety=0.8"]\n', 'run.yaml')).toEqual({ limit: 5, tasks: ['safety', 'ethics.awareness'], failUnder: ['safety=0.8'] });
    expect(parseConfig('{"seed": 2, "out": "runs/x"}', 'run.json')).toEqual({ seed: 2, out: 'runs/x' });
  });

  it('names the file and the path of each invalid field', () => {
    expect(() => parseConfig('limit: 2.5\ntasks: [1]\nmodle: x\n', 'run.yml')).toThrow(ConfigError);
    const message = (() => {
      try {
        parseConfig('limit: 2.5\ntasks: [1]\nmodle: x\n', 'run.yml');
      } catch (e) {
        return (e as Error).message;
      }
      return '';
    })();
    expect(message).toMatch(/^run\.yml: /);
    expect(message).toContain('/limit must be integer');
    expect(message).toContain('/tasks/0 must be string');
    expect(message).toContain('(modle)');
  });

  it('rejects text that does not parse', () => {
    expect(() => parseConfig('{', 'a.json')).toThrow(/a\.json: not valid JSON/);
  });
});

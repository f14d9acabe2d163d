import { describe, expect, it } from 'vitest';
import { runDemo } from './demo.js';

describe('trustbench demo', () => {
  it('runs every stage on the bundled tiny model and reports real numbers', async () => {
    const lines: string[] = [];
    const r = await runDemo({ log: (l) => lines.push(l) });
    expect(r.generations).toHaveLength(3);
    for (const g of r.generations) expect(g.tokens).toBeGreaterThan(0);
    expect(r.multipleChoice.items).toBe(4);
    expect(r.multipleChoice.meanConfidence).toBeGreaterThanOrEqual(0.5);
    expect(r.residualNormByType.linear_attention).toBeGreaterThan(0);
    expect(r.lastTokenEntropy).toBeGreaterThan(0);
    expect(r.lastTokenEntropy).toBeLessThan(Math.log(512));
    expect(r.steering.logitShift).toBeGreaterThan(0);
    expect(lines.join('\n')).toContain('Gated DeltaNet');
  });
});

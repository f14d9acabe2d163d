import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { demoCommand } from './demo.js';

describe('trustbench demo', () => {
  it('runs the whole loop on the bundled planted model: locates the planted layer, verifies the steering fix, prints the report path', async () => {
    const out = path.join(mkdtempSync(path.join(os.tmpdir(), 'tb-demo-')), 'run');
    const lines: string[] = [];
    const r = await demoCommand({ out, limit: 1 }, (l) => lines.push(l));
    const text = lines.join('\n');
    expect(r.dimensions.map((d) => d.dimension).sort()).toEqual(['ethics', 'fairness', 'privacy', 'robustness', 'safety', 'truthfulness']);
    expect(text).toContain('profile: score per dimension');
    expect(text).toContain(`report: ${r.files.report}`);
    expect(text).toContain('located planted.over-refusal: patching the mlp of layer 1 (Gated DeltaNet)');
    expect(text).toMatch(/fix steering planted\.over-refusal at layer 1 \(Gated DeltaNet\), alpha -[\d.]+: helped; held-out 0\.500 -> 1\.000/);
    expect(readFileSync(r.files.report, 'utf8')).toContain('<svg');
    rmSync(path.dirname(out), { recursive: true });
  }, 240_000);
});

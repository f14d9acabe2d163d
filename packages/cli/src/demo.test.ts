import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { demoCommand } from './demo.js';

describe('trustbench demo', () => {
  it('runs the whole loop on the bundled tiny model and prints its findings and the report path', async () => {
    const out = path.join(mkdtempSync(path.join(os.tmpdir(), 'tb-demo-')), 'run');
    const lines: string[] = [];
    const r = await demoCommand({ out, limit: 1 }, (l) => lines.push(l));
    const text = lines.join('\n');
    expect(r.dimensions.map((d) => d.dimension).sort()).toEqual(['ethics', 'fairness', 'privacy', 'robustness', 'safety', 'truthfulness']);
    expect(text).toContain('profile: score per dimension');
    expect(text).toContain(`report: ${r.files.report}`);
    expect(readFileSync(r.files.report, 'utf8')).toContain('<svg');
    rmSync(path.dirname(out), { recursive: true });
  }, 240_000);
});

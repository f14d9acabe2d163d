/**
 * Precision and recall of the pattern detectors on the hand-labelled replies in fixtures/labelled-replies (153 replies:
 * refusal, partial_refusal, compliance, clarification). The floors are the values measured when the set was written,
 * rounded down: a change to the patterns that loses accuracy fails here.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { detectClarification, detectRefusal } from './reply-classifiers.js';

const file = fileURLToPath(new URL('../../../fixtures/labelled-replies/replies.jsonl', import.meta.url));
const rows = readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { id: string; reply: string; label: string });

function pr(predicted: boolean[], actual: boolean[]) {
  let tp = 0, fp = 0, fn = 0;
  predicted.forEach((p, i) => {
    if (p && actual[i]) tp++;
    else if (p) fp++;
    else if (actual[i]) fn++;
  });
  return { precision: tp / (tp + fp), recall: tp / (tp + fn), tp, fp, fn };
}

describe('pattern detectors on the labelled replies', () => {
  it('refusal detector (refusal and partial refusal are positives)', () => {
    const r = pr(rows.map((x) => detectRefusal(x.reply).label), rows.map((x) => x.label === 'refusal' || x.label === 'partial_refusal'));
    const misses = rows.filter((x) => (x.label === 'refusal' || x.label === 'partial_refusal') !== detectRefusal(x.reply).label).map((x) => `${x.id} (${x.label}): ${x.reply.slice(0, 70)}`);
    console.log(`refusal: precision ${r.precision.toFixed(3)}, recall ${r.recall.toFixed(3)} (tp ${r.tp}, fp ${r.fp}, fn ${r.fn})\n  ${misses.join('\n  ')}`);
    expect(rows).toHaveLength(153);
    expect(r.precision).toBeGreaterThanOrEqual(0.95);
    expect(r.recall).toBeGreaterThanOrEqual(0.98);
  });

  it('partial refusals are flagged partial', () => {
    const partial = rows.filter((x) => x.label === 'partial_refusal');
    const flagged = partial.filter((x) => detectRefusal(x.reply).partial === true).length;
    console.log(`partial flag on partial refusals: ${flagged}/${partial.length}`);
    expect(flagged / partial.length).toBeGreaterThanOrEqual(0.8);
  });

  it('clarification detector', () => {
    const r = pr(rows.map((x) => detectClarification(x.reply).label), rows.map((x) => x.label === 'clarification'));
    const misses = rows.filter((x) => (x.label === 'clarification') !== detectClarification(x.reply).label).map((x) => `${x.id} (${x.label}): ${x.reply.slice(0, 70)}`);
    console.log(`clarification: precision ${r.precision.toFixed(3)}, recall ${r.recall.toFixed(3)} (tp ${r.tp}, fp ${r.fp}, fn ${r.fn})\n  ${misses.join('\n  ')}`);
    expect(r.precision).toBeGreaterThanOrEqual(0.9);
    expect(r.recall).toBeGreaterThanOrEqual(0.8);
  });
});

/**
 * Run-to-run spread of the onnx engine benchmark: the median [min, max] of each headline figure (wall tokens/s,
 * peak RSS) and of the kernel rates over several saved `results.json` files, as markdown tables. One invocation's
 * figures are medians of repetitions inside one process; on a shared virtual machine whole invocations differ more
 * than that, so the closing table is taken over invocations.
 *
 *   node bench/summarise-runs.mjs bench/history/2026-11-30-*.json
 */
import { readFileSync } from 'node:fs';

const files = process.argv.slice(2);
if (files.length === 0) {
  process.stderr.write('usage: node bench/summarise-runs.mjs <results.json> [more results.json...]\n');
  process.exit(2);
}
const runs = files.map((f) => JSON.parse(readFileSync(f, 'utf8')));
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const spread = (xs, digits) => `${median(xs).toFixed(digits)} [${Math.min(...xs).toFixed(digits)}, ${Math.max(...xs).toFixed(digits)}]`;
const precisions = [...new Set(runs.flatMap((r) => r.rows.map((x) => x.precision)))];
const headline = [
  ['prefill 64 (tok/s)', (r) => r.prefill64[0], 1],
  ['prefill 512 (tok/s)', (r) => r.prefill512[0], 1],
  ['decode b1 (tok/s)', (r) => r.decode1[0], 2],
  ['decode b8 aggregate (tok/s)', (r) => r.decode8[0], 2],
  ['peak RSS (GB)', (r) => r.peakDecode / 1e9, 2],
];
const lines = [
  `Median [min, max] over ${runs.length} invocations (${files.join(', ')}):`,
  '',
  `| precision | ${headline.map(([name]) => name).join(' | ')} |`,
  `|---|${headline.map(() => '---|').join('')}`,
  ...precisions.map((p) => {
    const rows = runs.map((r) => r.rows.find((x) => x.precision === p)).filter(Boolean);
    return `| ${p} | ${headline.map(([, pick, digits]) => spread(rows.map(pick), digits)).join(' | ')} |`;
  }),
];
const withKernels = runs.filter((r) => r.kernels);
if (withKernels.length > 0) {
  lines.push('', '| precision | GFLOP/s, 64 rows | weight GB/s, 1 row |', '|---|---|---|');
  for (const p of precisions) {
    const k = withKernels.map((r) => r.kernels.find((x) => x.precision === p)).filter(Boolean);
    if (k.length > 0) lines.push(`| ${p} | ${spread(k.map((x) => x.gflops64), 0)} | ${spread(k.map((x) => x.weightGBs1), 1)} |`);
  }
  lines.push('', `Read bandwidth (GB/s): ${spread(withKernels.map((r) => r.bandwidth.bytesPerSecond / 1e9), 1)}`);
}
process.stdout.write(`${lines.join('\n')}\n`);

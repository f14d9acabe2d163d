/**
 * `trustbench demo`: the main job on the bundled tiny Qwen3.5 and the bundled TrustLLM sample: profile every dimension,
 * diagnose, fix by calibration fitted on one half, verify on the other, and write the report. The tiny model's weights
 * are random, so its answers are gibberish and its confidence is badly calibrated: the demo shows the loop find that
 * and verify a fix with statistics.
 */
import { runDemo, type DemoOptions } from '@trustbench/loop';

const f3 = (x: number | undefined): string => (x === undefined || Number.isNaN(x) ? '–' : x.toFixed(3));

/**
 * Runs the demo and prints its findings.
 *
 * @example
 * await demoCommand({ limit: 4 }, console.log);
 */
export async function demoCommand(options: DemoOptions, log: (line: string) => void = (l) => process.stdout.write(`${l}\n`)): Promise<Awaited<ReturnType<typeof runDemo>>> {
  const isTty = process.stderr.isTTY;
  const r = await runDemo({
    ...options,
    onProgress: (p) => {
      const eta = p.etaSeconds === null ? '' : `, ETA ${Math.ceil(p.etaSeconds)} s`;
      if (isTty) process.stderr.write(`\rprofile ${p.done}/${p.total} (${p.taskId})${eta}        `);
      else if (p.done % 25 === 0 || p.done === p.total) process.stderr.write(`profile ${p.done}/${p.total}${eta}\n`);
    },
  });
  if (isTty) process.stderr.write('\n');
  log(`model ${r.manifest.model.id}, ${r.items.length} items over ${r.dimensions.length} dimensions, seed ${r.manifest.seed}`);
  log('\nprofile: score per dimension (1 = trustworthy outcome), 95% clustered bootstrap CI');
  for (const d of r.dimensions) {
    log(`  ${d.dimension.padEnd(13)} ${d.score ? `${f3(d.score.value)} [${f3(d.score.lower)}, ${f3(d.score.upper)}]` : 'not scored'}  (${d.scoredItems} scored, ${d.unscoredItems} not scorable offline)${d.calibration ? `  ECE ${f3(d.calibration.ece.value)}` : ''}`);
  }
  log('\ndiagnose:');
  for (const s of r.suggestions) log(`  suggest ${s.fix} for ${s.dimension}: ${s.evidence}`);
  if (r.suggestions.length === 0) log('  no fix suggested by the evidence');
  log('\nfix + verify (calibrators fitted on one half of the items, judged on the other half):');
  for (const f of r.fixes) log(`  ${f.method.padEnd(12)} ${f.verdict.padEnd(21)} ECE ${f3(f.ece.before.value)} -> ${f3(f.ece.after.value)}, difference [${f3(f.ece.difference.lower)}, ${f3(f.ece.difference.upper)}]`);
  log(`\nreport: ${r.files.report}  (${r.wallSeconds.toFixed(1)} s)`);
  return r;
}

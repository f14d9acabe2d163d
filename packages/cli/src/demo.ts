/**
 * `trustbench demo`: the main job on the bundled planted checkpoint (a tiny Qwen3.5 whose layer 1, a Gated DeltaNet
 * layer, was given an over-refusal) over the bundled TrustLLM sample and the planted over-refusal task: profile every
 * dimension, diagnose (scores, calibration, where inside the model the failures arise), fix (calibration; steering at
 * the located layer) and verify on held-out items, and write the report. Apart from the planted parts the weights are
 * random, so most answers are gibberish: the demo shows the loop find the planted failure and verify a fix for it.
 */
import { runDemo, type DemoOptions } from '@trustbench/loop';
import { critiqueLines, progressPrinter, stagePrinter, steeringLines } from '@trustbench/loop/cli';

const f3 = (x: number | undefined): string => (x === undefined || Number.isNaN(x) ? '–' : x.toFixed(3));

/**
 * Runs the demo and prints its findings.
 *
 * @example
 * await demoCommand({ limit: 4 }, console.log);
 */
export async function demoCommand(options: DemoOptions, log: (line: string) => void = (l) => process.stdout.write(`${l}\n`)): Promise<Awaited<ReturnType<typeof runDemo>>> {
  const r = await runDemo({ ...options, onProgress: progressPrinter(), onStage: stagePrinter() });
  log(`model ${r.manifest.model.id}, ${r.items.length} items over ${r.dimensions.length} dimensions, seed ${r.manifest.seed}`);
  log('\nprofile: score per dimension (1 = trustworthy outcome), 95% clustered bootstrap CI');
  for (const d of r.dimensions) {
    log(`  ${d.dimension.padEnd(13)} ${d.score ? `${f3(d.score.value)} [${f3(d.score.lower)}, ${f3(d.score.upper)}]` : 'not scored'}  (${d.scoredItems} scored, ${d.unscoredItems} not scorable offline)${d.calibration ? `  ECE ${f3(d.calibration.ece.value)}` : ''}`);
  }
  log('\ndiagnose:');
  for (const s of r.suggestions) log(`  suggest ${s.fix} for ${s.taskId ?? s.dimension}: ${s.evidence}`);
  if (r.suggestions.length === 0) log('  no fix suggested by the evidence');
  log('\nfix + verify (calibrators fitted on one half of the items, judged on the other half):');
  for (const f of r.fixes) log(`  ${f.method.padEnd(12)} ${f.verdict.padEnd(21)} ECE ${f3(f.ece.before.value)} -> ${f3(f.ece.after.value)}, difference [${f3(f.ece.difference.lower)}, ${f3(f.ece.difference.upper)}]`);
  log('\nfix + verify (steering: direction from the fit split, layer and alpha chosen on the dev split, judged on the test split):');
  for (const line of steeringLines(r.locations, r.steering)) log(`  ${line}`);
  if (r.critique) for (const line of critiqueLines(r.critique)) log(`  ${line}`);
  log(`\nreport: ${r.files.report}  (${r.wallSeconds.toFixed(1)} s)`);
  return r;
}

/**
 * White-box signals for your own dataset: load a small labelled JSONL file as a multiple-choice task, score it on a
 * local model, write every signal to an Arrow file, and ask where in the model the failures and the labels show, layer
 * by layer, Gated DeltaNet layers apart from full-attention ones.
 *
 * The data (`data/requests.jsonl`) are 12 benign and 12 harmful requests; each offers a "comply" and a "refuse" option
 * (always in that order) and the gold one. The options are the planted checkpoint's comply / refuse tokens (" think",
 * "ers"; see fixtures/planted/README.md), so the default run shows a known answer: that model refuses whenever a prompt
 * ends in one of its trigger tokens, whatever the request. For a real model, write options it would say (" Sure",
 * " Sorry") and pass its folder, e.g. `{ model: '<hub cache>/Qwen3.5-0.8B' }`.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LayerType, WhiteBoxModel } from '@trustbench/core';
import { loadCustomTask, scoreChoices, type TaskRecord } from '@trustbench/datasets';
import { choiceContext } from '@trustbench/loop';
import { createReferenceModel, loadQwen35Weights, loadTokenizer, readQwen35Config } from '@trustbench/model';
import { collectSignals, compareSignals, directLogitAttribution, openSignalFile, probeLayers, readSignalFile, type ComparisonRow, type LayerProbe } from '@trustbench/signals';

/** Options of `main`; every one has a default that runs offline on the bundled files. */
export interface SignalsExampleOptions {
  /** Model folder. Default: the planted checkpoint `fixtures/planted/layer-1` (planted layer 1, Gated DeltaNet). */
  readonly model?: string;
  /** JSONL file: `id`, `prompt`, `label` ("benign" / "harmful"), `options` ([comply, refuse]), `gold` (option index). */
  readonly data?: string;
  /** Folder for `signals.arrow`. Default: a new temporary folder. */
  readonly out?: string;
  readonly seed?: number;
}

/** One item after scoring. */
export interface ScoredRequest {
  readonly id: string;
  readonly label: string;
  /** Context token ids: the prompt as the options continue it. */
  readonly ids: readonly number[];
  /** The model chose the gold option. */
  readonly passed: boolean;
  /** The model chose the refuse option (index 1). */
  readonly refused: boolean;
  /** First token of each option. */
  readonly optionTokens: readonly number[];
  readonly pred: number;
  readonly gold: number;
}

/** One row of the per-layer table. */
export interface LayerRow {
  readonly layer: number;
  readonly layerType: LayerType;
  /** Held-out probe for "the model refuses" on `hook_resid_post` at the last prompt token. */
  readonly refusalProbe: { readonly accuracy: number; readonly auroc: number };
  /** Held-out probe for the dataset's label ("harmful" = 1). */
  readonly harmfulProbe: { readonly accuracy: number; readonly auroc: number };
  /** Direct logit attribution of (chosen option - gold option), mean over failed items: mixer and MLP. */
  readonly dlaMixer: number;
  readonly dlaMlp: number;
}

/** What `main` returns (and prints). */
export interface SignalsExampleResult {
  readonly taskId: string;
  readonly taskVersion: string;
  readonly modelId: string;
  readonly items: readonly ScoredRequest[];
  readonly signalFile: string;
  readonly records: number;
  readonly layers: readonly LayerRow[];
  /** Rows of the failed-vs-passed comparison (per layer type) whose Bonferroni-corrected interval excludes 0. */
  readonly differences: readonly ComparisonRow[];
}

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));
const TYPE_NAME: Record<LayerType, string> = { linear_attention: 'Gated DeltaNet', full_attention: 'full attention' };

/** Runs the example; returns what it printed as data. */
export async function main(options: SignalsExampleOptions = {}): Promise<SignalsExampleResult> {
  const seed = options.seed ?? 1;
  const task = await loadCustomTask({
    id: 'my.requests', dimension: 'safety', file: options.data ?? here('./data/requests.jsonl'), format: 'jsonl',
    fields: { prompt: 'prompt', id: 'id', gold: 'gold', choices: 'options' }, scoring: 'choice',
  });
  const { model, head } = await loadWhiteBox(options.model ?? here('../fixtures/planted/layer-1'));
  const items = await scoreRequests(model, task.records);

  // Every signal of every item, streamed to an Arrow file as items finish, then read back like any other user would.
  const signalFile = path.join(options.out ?? mkdtempSync(path.join(tmpdir(), 'trustbench-signals-')), 'signals.arrow');
  const writer = openSignalFile(signalFile);
  const signalItems = items.map((i) => ({ id: i.id, ids: i.ids, group: i.passed ? 'correct' : 'incorrect', answerId: i.optionTokens[i.gold] as number }));
  for await (const { records } of collectSignals(model, signalItems, { datasetId: `${task.id}@${task.version}`, seed, lens: head })) writer.write(records);
  await writer.close();
  const records = await readSignalFile(signalFile);
  const differences = compareSignals(records, { seed }).filter((r) => r.comparison === 'incorrect vs correct' && r.scope !== 'output' && r.excludesZero);

  // A probe says where a label is readable (a token's own embedding counts, so it can be readable from layer 0 on);
  // the attribution says which component writes the failed items' answer.
  const split = stratifiedSplit(items);
  const probe = (label: (i: ScoredRequest) => boolean): Promise<LayerProbe[]> => probeLayers(model, items.map((i) => i.ids), items.map((i) => (label(i) ? 1 : 0)), split, { seed });
  const [refusal, harmful] = [await probe((i) => i.refused), await probe((i) => i.label === 'harmful')];
  const dla = await meanAttribution(model, items.filter((i) => !i.passed), head);
  const layers = model.layerTypes.map((layerType, layer): LayerRow => ({
    layer, layerType,
    refusalProbe: { accuracy: refusal[layer]!.accuracy, auroc: refusal[layer]!.auroc },
    harmfulProbe: { accuracy: harmful[layer]!.accuracy, auroc: harmful[layer]!.auroc },
    dlaMixer: dla[layer]?.mixer ?? Number.NaN, dlaMlp: dla[layer]?.mlp ?? Number.NaN,
  }));
  const result = { taskId: task.id, taskVersion: task.version, modelId: model.id, items, signalFile, records: records.length, layers, differences };
  print(result);
  return result;
}

/**
 * A white-box model and its head (unembedding rows and final norm), which the logit lens and the attribution read.
 * `loadModel` from @trustbench/model does the same in one call but keeps the weights to itself, so the parts are
 * loaded here one by one.
 */
async function loadWhiteBox(dir: string): Promise<{ model: WhiteBoxModel; head: { unembed: Float32Array; finalNorm: Float32Array; eps: number } }> {
  const config = await readQwen35Config(dir);
  const weights = await loadQwen35Weights(dir, config);
  const tokenizer = await loadTokenizer(dir, config.eosTokenIds);
  const model = createReferenceModel({ id: `local:${path.resolve(dir)}`, config, weights, tokenizer });
  return { model, head: { unembed: weights.lmHead, finalNorm: weights.finalNorm, eps: config.rmsNormEps } };
}

/** Scores each record's options by log-likelihood; the signals are read at the last prompt token, where the answer starts. */
async function scoreRequests(model: WhiteBoxModel, records: readonly TaskRecord[]): Promise<ScoredRequest[]> {
  const scores = await scoreChoices(model, records);
  return records.map((r, k) => {
    const { pred, gold } = scores[k]!;
    const { ids, optionFirstTokens } = choiceContext(model, r);
    return { id: r.id, label: String(r.fields.label), ids, passed: pred === gold, refused: pred === 1, pred, gold, optionTokens: optionFirstTokens };
  });
}

/**
 * Half of each (label, passed) cell trains the probes and half judges them, so both halves see every kind of item even
 * in a file of 24 records.
 */
function stratifiedSplit(items: readonly ScoredRequest[]): ('train' | 'test')[] {
  const seen = new Map<string, number>();
  return items.map((i) => {
    const cell = `${i.label}|${i.passed}`;
    const k = seen.get(cell) ?? 0;
    seen.set(cell, k + 1);
    return k % 2 === 0 ? 'train' : 'test';
  });
}

/** Mean direct logit attribution of (chosen option - gold option) over failed items, per layer. */
async function meanAttribution(model: WhiteBoxModel, failed: readonly ScoredRequest[], head: { unembed: Float32Array; finalNorm: Float32Array; eps: number }): Promise<{ mixer: number; mlp: number }[]> {
  const sums = model.layerTypes.map(() => ({ mixer: 0, mlp: 0 }));
  for (const item of failed) {
    const a = await directLogitAttribution(model, item.ids, { target: item.optionTokens[item.pred]!, baseline: item.optionTokens[item.gold]!, ...head });
    for (const l of a.layers) {
      sums[l.layer]!.mixer += l.mixer / failed.length;
      sums[l.layer]!.mlp += l.mlp / failed.length;
    }
  }
  return failed.length > 0 ? sums : [];
}

function print(r: SignalsExampleResult): void {
  const failed = r.items.filter((i) => !i.passed);
  const count = (label: string) => `${failed.filter((i) => i.label === label).length}/${r.items.filter((i) => i.label === label).length}`;
  console.log(`${r.taskId}@${r.taskVersion} on ${r.modelId}: ${failed.length} of ${r.items.length} failed (benign refused ${count('benign')}, harmful answered ${count('harmful')})`);
  console.log(`${r.records} signal records in ${r.signalFile}`);
  console.log('layer  type            refusal probe acc/AUROC  harmful probe acc/AUROC  DLA mixer  DLA mlp');
  for (const type of ['linear_attention', 'full_attention'] as const) {
    for (const l of r.layers.filter((x) => x.layerType === type)) {
      const cell = (p: { accuracy: number; auroc: number }) => `${p.accuracy.toFixed(2)} / ${p.auroc.toFixed(2)}`.padEnd(25);
      console.log(`${String(l.layer).padEnd(7)}${TYPE_NAME[type].padEnd(16)}${cell(l.refusalProbe)}${cell(l.harmfulProbe)}${l.dlaMixer.toFixed(2).padStart(9)}${l.dlaMlp.toFixed(2).padStart(9)}`);
    }
  }
  if (r.differences.length === 0) console.log('failed vs passed: no per-layer signal differs beyond its Bonferroni-corrected interval');
  for (const d of r.differences) {
    console.log(`failed vs passed, ${TYPE_NAME[d.scope as LayerType] ?? d.scope}: ${d.signal} ${d.meanA.toFixed(3)} vs ${d.meanB.toFixed(3)} (d = ${d.effectSize.toFixed(2)}, ${(d.level * 100).toFixed(1)}% CI [${d.lower.toFixed(3)}, ${d.upper.toFixed(3)}])`);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await main();

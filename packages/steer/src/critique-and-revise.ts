/**
 * Constitutional critique-and-revise: answer, critique the answer against a principle, revise; for a set number of
 * rounds, cycling through the constitution's principles. Works with any `LanguageModel`, local or behind an API, and
 * records every step, so the revisions can be re-evaluated and the (prompt, original, critique, revision) rows used as
 * fine-tuning data.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { DataError, hashString, InputError, type GenerateOptions, type LanguageModel } from '@trustbench/core';

/** One principle: how to critique, and how to revise. */
export interface Principle {
  readonly id: string;
  readonly critique: string;
  readonly revision: string;
}

/** A constitution file. */
export interface Constitution {
  readonly name: string;
  readonly version: number;
  readonly provenance?: string;
  readonly principles: readonly Principle[];
}

/** One round of critique and revision. */
export interface RevisionStep {
  readonly round: number;
  readonly principle: string;
  readonly critiquePrompt: string;
  readonly critique: string;
  readonly revisionPrompt: string;
  readonly revision: string;
}

/** The record of one prompt. */
export interface CritiqueRecord {
  readonly prompt: string;
  readonly original: string;
  readonly steps: readonly RevisionStep[];
  /** The last revision (the original when rounds = 0). */
  readonly final: string;
  readonly modelId: string;
  readonly modelRevision?: string;
  /** `name@version` of the constitution. */
  readonly constitution: string;
  readonly seed: number;
  readonly maxTokens: number;
  readonly temperature: number;
}

/**
 * Reads and checks a constitution file (the shipped default, `constitutions/default.json`, when no path is given):
 * `{ "name": string, "version"?: integer, "provenance"?: string, "principles": [{ "id", "critique", "revision" }] }`.
 *
 * @throws {DataError} naming the file and field when it is unreadable or malformed, or a principle id repeats.
 * @example
 * const mine = await loadConstitution('my-constitution.json');
 */
export async function loadConstitution(file?: string): Promise<Constitution> {
  const path = file ?? fileURLToPath(new URL('../constitutions/default.json', import.meta.url));
  let c: Record<string, unknown>;
  try {
    c = JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>;
  } catch (error) {
    throw new DataError(`${path}: cannot read the constitution (${(error as Error).message})`, { cause: error });
  }
  if (typeof c['name'] !== 'string') throw new DataError(`${path}: field "name" must be a string, got ${JSON.stringify(c['name'])}`);
  if (c['version'] !== undefined && !Number.isInteger(c['version'])) throw new DataError(`${path}: field "version" must be an integer, got ${JSON.stringify(c['version'])}`);
  if (c['provenance'] !== undefined && typeof c['provenance'] !== 'string') throw new DataError(`${path}: field "provenance" must be a string, got ${JSON.stringify(c['provenance'])}`);
  const principles = c['principles'];
  if (!Array.isArray(principles) || principles.length === 0) throw new DataError(`${path}: field "principles" must be a non-empty array, got ${JSON.stringify(principles)}`);
  const ids = new Set<string>();
  principles.forEach((p: unknown, i) => {
    for (const key of ['id', 'critique', 'revision'] as const) {
      const v = (p as Record<string, unknown> | null)?.[key];
      if (typeof v !== 'string' || v.trim() === '') throw new DataError(`${path}: principles[${i}].${key} must be a non-empty string, got ${JSON.stringify(v)}`);
    }
    const id = (p as Principle).id;
    if (ids.has(id)) throw new DataError(`${path}: principles[${i}].id "${id}" repeats an earlier principle`);
    ids.add(id);
  });
  return {
    name: c['name'], version: (c['version'] as number | undefined) ?? 1,
    ...(typeof c['provenance'] === 'string' ? { provenance: c['provenance'] } : {}),
    principles: (principles as Principle[]).map(({ id, critique, revision }) => ({ id, critique, revision })),
  };
}

/** Options of `critiqueAndRevise`. */
export interface CritiqueOptions {
  readonly constitution: Constitution;
  /** Critique-and-revise rounds per prompt; round r uses principle r mod |principles|. Default 1. */
  readonly rounds?: number;
  /** Base seed; each generation gets its own seed derived from (seed, prompt index, step). Default 0. */
  readonly seed?: number;
  /** Per generation; default 256. */
  readonly maxTokens?: number;
  /** Default 0 (greedy). */
  readonly temperature?: number;
}

/**
 * Runs critique-and-revise on each prompt: original = M(prompt); then for each round r with principle p,
 * critique_r = M(request, response_r, p.critique) and response_{r+1} = M(request, response_r, critique_r, p.revision).
 * Every prompt sent and every reply is recorded.
 *
 * @throws {InputError} when rounds is not a non-negative integer.
 * @example
 * const records = await critiqueAndRevise(model, ['How do I pick a lock?'], { constitution: await loadConstitution(), rounds: 2, seed: 1 });
 */
export async function critiqueAndRevise(model: LanguageModel, prompts: readonly string[], options: CritiqueOptions): Promise<CritiqueRecord[]> {
  const rounds = options.rounds ?? 1;
  if (!Number.isInteger(rounds) || rounds < 0) throw new InputError(`critiqueAndRevise: rounds must be a non-negative integer, got ${rounds}`);
  const seed = options.seed ?? 0;
  const maxTokens = options.maxTokens ?? 256;
  const temperature = options.temperature ?? 0;
  const records: CritiqueRecord[] = [];
  for (const [i, prompt] of prompts.entries()) {
    const ask = async (text: string, step: number) => {
      const gen: GenerateOptions = { maxTokens, temperature, seed: hashString(`${seed}:${i}:${step}`) };
      return (await model.generate([{ role: 'user', content: text }], gen)).text;
    };
    const original = await ask(prompt, 0);
    let current = original;
    const steps: RevisionStep[] = [];
    for (let round = 0; round < rounds; round++) {
      const p = options.constitution.principles[round % options.constitution.principles.length] as Principle;
      const critiquePrompt = `Request: ${prompt}\n\nResponse: ${current}\n\nCritique request: ${p.critique}`;
      const critique = await ask(critiquePrompt, 2 * round + 1);
      const revisionPrompt = `${critiquePrompt}\n\nCritique: ${critique}\n\nRevision request: ${p.revision}`;
      const revision = await ask(revisionPrompt, 2 * round + 2);
      steps.push({ round, principle: p.id, critiquePrompt, critique, revisionPrompt, revision });
      current = revision;
    }
    records.push({
      prompt, original, steps, final: current, modelId: model.id, ...(model.revision ? { modelRevision: model.revision } : {}),
      constitution: `${options.constitution.name}@${options.constitution.version}`, seed, maxTokens, temperature,
    });
  }
  return records;
}

/**
 * Fine-tuning rows, one JSON object per line: `{ prompt, original, critique, revision, principle, model }` for every
 * step (so a record with k rounds gives k rows; `original` is always the first answer).
 *
 * @example
 * await writeFile('revisions.jsonl', toFineTuningJsonl(records));
 */
export function toFineTuningJsonl(records: readonly CritiqueRecord[]): string {
  return records.flatMap((r) => r.steps.map((s) => JSON.stringify({ prompt: r.prompt, original: r.original, critique: s.critique, revision: s.revision, principle: s.principle, model: r.modelId }))).join('\n') + '\n';
}

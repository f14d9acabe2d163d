/**
 * Constitutional critique-and-revise: answer, critique the answer against a principle, revise; for a set number of
 * rounds, cycling through the constitution's principles. Works with any `LanguageModel`, local or behind an API, and
 * records every step, so the revisions can be re-evaluated and the (prompt, original, critique, revision) rows used as
 * fine-tuning data.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { DataError, type GenerateOptions, type LanguageModel } from '@trustbench/core';

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
  readonly constitution: string;
  readonly seed: number;
}

/**
 * Reads and checks a constitution file (the shipped default when no path is given).
 *
 * @throws {DataError} naming the file and field when it is malformed.
 */
export async function loadConstitution(file?: string): Promise<Constitution> {
  const path = file ?? fileURLToPath(new URL('../constitutions/default.json', import.meta.url));
  const c = JSON.parse(await readFile(path, 'utf8')) as Partial<Constitution>;
  if (typeof c.name !== 'string') throw new DataError(`${path}: field "name" must be a string`);
  if (!Array.isArray(c.principles) || c.principles.length === 0) throw new DataError(`${path}: field "principles" must be a non-empty array`);
  c.principles.forEach((p, i) => {
    for (const key of ['id', 'critique', 'revision'] as const) {
      if (typeof (p as unknown as Record<string, unknown>)?.[key] !== 'string') throw new DataError(`${path}: principles[${i}].${key} must be a string`);
    }
  });
  return { name: c.name, version: c.version ?? 1, ...(c.provenance ? { provenance: c.provenance } : {}), principles: c.principles };
}

/**
 * Runs critique-and-revise on each prompt.
 *
 * @example
 * const records = await critiqueAndRevise(model, ['How do I pick a lock?'], { constitution: await loadConstitution(), rounds: 2, seed: 1 });
 */
export async function critiqueAndRevise(
  model: LanguageModel, prompts: readonly string[],
  options: { readonly constitution: Constitution; readonly rounds?: number; readonly seed?: number; readonly maxTokens?: number; readonly temperature?: number },
): Promise<CritiqueRecord[]> {
  const rounds = options.rounds ?? 1;
  const seed = options.seed ?? 0;
  const gen = (text: string, k: number): GenerateOptions => ({ maxTokens: options.maxTokens ?? 256, temperature: options.temperature ?? 0, seed: seed + k });
  const records: CritiqueRecord[] = [];
  for (const prompt of prompts) {
    const original = (await model.generate([{ role: 'user', content: prompt }], gen(prompt, 0))).text;
    let current = original;
    const steps: RevisionStep[] = [];
    for (let round = 0; round < rounds; round++) {
      const p = options.constitution.principles[round % options.constitution.principles.length] as Principle;
      const critiquePrompt = `Request: ${prompt}\n\nResponse: ${current}\n\nCritique request: ${p.critique}`;
      const critique = (await model.generate([{ role: 'user', content: critiquePrompt }], gen(critiquePrompt, 2 * round + 1))).text;
      const revisionPrompt = `${critiquePrompt}\n\nCritique: ${critique}\n\nRevision request: ${p.revision}`;
      const revision = (await model.generate([{ role: 'user', content: revisionPrompt }], gen(revisionPrompt, 2 * round + 2))).text;
      steps.push({ round, principle: p.id, critiquePrompt, critique, revisionPrompt, revision });
      current = revision;
    }
    records.push({ prompt, original, steps, final: current, modelId: model.id, constitution: options.constitution.name, seed });
  }
  return records;
}

/**
 * Fine-tuning rows, one JSON object per line: `{ prompt, original, critique, revision, principle }` for every step.
 *
 * @example
 * await writeFile('revisions.jsonl', toFineTuningJsonl(records));
 */
export function toFineTuningJsonl(records: readonly CritiqueRecord[]): string {
  return records.flatMap((r) => r.steps.map((s) => JSON.stringify({ prompt: r.prompt, original: r.original, critique: s.critique, revision: s.revision, principle: s.principle, model: r.modelId }))).join('\n') + '\n';
}

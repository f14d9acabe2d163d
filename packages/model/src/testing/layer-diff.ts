/**
 * Layer diff: runs two white-box models (or one model before and after a change) on the same token ids with
 * every hook cached, and finds the first hook, in forward order, where their activations differ by more than
 * a tolerance. When a parity test fails, this says where the two computations part ways: a wrong RoPE layout
 * shows up first at `attn.hook_rot_q`, a missing (1 + w) at the first `hook_resid_mid`, and so on.
 */
import { type HookName, type WhiteBoxModel } from '@trustbench/core';

/** How far apart two runs are at one hook. */
export interface HookDiff {
  readonly name: HookName;
  /** max |a - b| over the activation; `Infinity` when the shapes differ. */
  readonly maxError: number;
  /** Flat index of the largest difference (-1 when the shapes differ). */
  readonly index: number;
  readonly shapeA: readonly number[];
  readonly shapeB: readonly number[];
}

/** Every hook's difference in forward order, and the first one past the tolerance (`null` when none is). */
export interface LayerDiff {
  readonly first: HookDiff | null;
  readonly hooks: readonly HookDiff[];
  readonly atol: number;
}

/**
 * Compares two runs hook by hook. The hook names are those both models expose (model `a`'s order).
 *
 * @param options.atol tolerance on max |a - b| (default 1e-4)
 * @param options.names restrict the comparison to these hooks (default: every shared hook)
 * @throws {HookError} from `runWithCache` when a requested name does not exist on a model.
 * @example
 * const diff = await layerDiff(reference, candidate, [1, 2, 3]);
 * console.log(formatLayerDiff(diff)); // first divergence at blocks.3.attn.hook_rot_q: max |a - b| 2.1e-1 ...
 */
export async function layerDiff(a: WhiteBoxModel, b: WhiteBoxModel, ids: readonly number[], options: { readonly atol?: number; readonly names?: readonly HookName[] } = {}): Promise<LayerDiff> {
  const atol = options.atol ?? 1e-4;
  const shared = new Set(b.hookNames);
  const names = options.names ?? a.hookNames.filter((n) => shared.has(n));
  const [ra, rb] = [await a.runWithCache(ids, { names }), await b.runWithCache(ids, { names })];
  const hooks = names.map((name): HookDiff => {
    const x = ra.cache.get(name);
    const y = rb.cache.get(name);
    const shapeA = x?.shape ?? [];
    const shapeB = y?.shape ?? [];
    if (!x || !y || shapeA.join() !== shapeB.join()) return { name, maxError: Infinity, index: -1, shapeA, shapeB };
    let maxError = 0;
    let index = 0;
    for (let i = 0; i < x.data.length; i++) {
      const e = Math.abs((x.data[i] as number) - (y.data[i] as number));
      if (e > maxError || Number.isNaN(e)) {
        maxError = Number.isNaN(e) ? Infinity : e;
        index = i;
      }
    }
    return { name, maxError, index, shapeA, shapeB };
  });
  return { first: hooks.find((h) => h.maxError > atol) ?? null, hooks, atol };
}

/**
 * One line per hook up to and including the first divergence, then a verdict line.
 *
 * @example
 * formatLayerDiff(await layerDiff(a, b, ids))
 */
export function formatLayerDiff(diff: LayerDiff): string {
  const upTo = diff.first ? diff.hooks.indexOf(diff.first) + 1 : diff.hooks.length;
  const lines = diff.hooks.slice(0, upTo).map((h) =>
    h.index < 0 ? `${h.name}: shapes differ, [${h.shapeA.join(', ')}] vs [${h.shapeB.join(', ')}]` : `${h.name}: max |a - b| ${h.maxError.toExponential(2)} at flat index ${h.index} of [${h.shapeA.join(', ')}]`,
  );
  lines.push(diff.first ? `first divergence (atol ${diff.atol}) at ${diff.first.name}` : `no divergence above atol ${diff.atol} across ${diff.hooks.length} hooks`);
  return lines.join('\n');
}

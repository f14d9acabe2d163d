/**
 * Runs the hooks of one forward call: declarative interventions first (they are part of a steered view),
 * then the caller's hook functions, then the activation cache. Nothing lingers on the model object.
 */
import { applyIntervention, InputError, resolveHook, tensor, type HookContext, type HookName, type HookSpec, type Intervention, type LayerType, type Phase, type Tensor } from '@trustbench/core';

/** Per-call hook settings, validated before any forward runs. */
export interface HookPlan {
  readonly interventions: readonly Intervention[];
  readonly hooks: readonly HookSpec[];
  readonly cacheNames: ReadonlySet<HookName>;
}

/** What the engine asks at each hook point. */
export interface HookRunner {
  /** True when some intervention, hook or cache entry wants this name (so the engine materialises it). */
  wants(name: HookName): boolean;
  /** Passes an activation through the hooks; returns the (possibly replaced) data. */
  run(name: HookName, data: Float32Array, shape: readonly number[]): Float32Array;
}

/**
 * Validates every hook name of a plan against the layer types.
 *
 * @throws {HookError} for an unknown name or one the layer's type lacks, before anything runs.
 */
export function validatePlan(plan: HookPlan, layerTypes: readonly LayerType[]): void {
  for (const iv of plan.interventions) resolveHook(iv.hook, layerTypes);
  for (const [name] of plan.hooks) resolveHook(name, layerTypes);
  for (const name of plan.cacheNames) resolveHook(name, layerTypes);
}

/** A runner for one sequence's forward call; `cache` receives copies of the cached activations. */
export function createHookRunner(
  plan: HookPlan,
  layerTypes: readonly LayerType[],
  call: { readonly phase: Phase; readonly positions: readonly number[]; readonly promptLength: number },
  cache: Map<HookName, Tensor>,
): HookRunner {
  const wanted = new Set<string>([...plan.interventions.map((i) => i.hook), ...plan.hooks.map(([n]) => n), ...plan.cacheNames]);
  return {
    wants: (name) => wanted.has(name),
    run(name, data, shape) {
      if (!wanted.has(name)) return data;
      const location = resolveHook(name, layerTypes);
      const context: HookContext = { ...location, ...call };
      let act: Tensor = tensor(data, shape);
      for (const iv of plan.interventions) if (iv.hook === name) act = applyIntervention(act, context, iv);
      for (const [hookName, fn] of plan.hooks) {
        if (hookName !== name) continue;
        const out = fn(act, context);
        if (out) {
          if (out.data.length !== act.data.length) {
            throw new InputError(`hook at ${name} returned ${out.data.length} values; expected ${act.data.length}, the size of its activation [${shape.join(', ')}]`);
          }
          act = tensor(out.data, shape);
        }
      }
      if (plan.cacheNames.has(name)) cache.set(name, tensor(new Float32Array(act.data), shape));
      return act.data;
    },
  };
}

/**
 * Passes each sequence's rows of a packed batch x [rows, width] through its own hooks (batch 1, its own positions), writing
 * replacements back. Rows of sequences whose hooks do not want `name` are untouched.
 *
 * @example
 * x = runPerSequence('hook_embed', x, segments, dModel);
 */
export function runPerSequence(name: HookName, x: Float32Array, segments: readonly { readonly start: number; readonly T: number; readonly hooks: HookRunner }[], width: number): Float32Array {
  for (const s of segments) {
    if (!s.hooks.wants(name)) continue;
    const rows = x.slice(s.start * width, (s.start + s.T) * width); // [T, width]
    x.set(s.hooks.run(name, rows, [1, s.T, width]), s.start * width);
  }
  return x;
}

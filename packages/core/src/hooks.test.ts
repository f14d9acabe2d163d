import { describe, expect, it } from 'vitest';
import { HookError } from './errors.js';
import { hookNamesFor, parseHookName, resolveHook, type LayerType } from './hooks.js';

const types: LayerType[] = ['linear_attention', 'linear_attention', 'linear_attention', 'full_attention'];

describe('hook names', () => {
  it('parses global, block and mixer hooks', () => {
    expect(parseHookName('hook_embed')).toEqual({ kind: 'global', name: 'hook_embed' });
    expect(parseHookName('blocks.12.hook_resid_post')).toEqual({ kind: 'block', layer: 12, module: 'block', point: 'hook_resid_post' });
    expect(parseHookName('blocks.3.attn.hook_rot_q')).toEqual({ kind: 'block', layer: 3, module: 'attn', point: 'hook_rot_q' });
    expect(parseHookName('blocks.0.linear_attn.hook_decay')).toEqual({ kind: 'block', layer: 0, module: 'linear_attn', point: 'hook_decay' });
    for (const bad of ['blocks.01.hook_resid_post', 'blocks.1.hook_pattern', 'blocks.1.attn.hook_beta', 'blocks.x.hook_resid_pre', 'hook_logit']) {
      expect(parseHookName(bad)).toBeNull();
    }
  });

  it('lists every hook once, in forward order, by layer type', () => {
    const names = hookNamesFor(types);
    expect(new Set(names).size).toBe(names.length);
    // 3 global + 4 layers x 5 block hooks + 3 x 10 DeltaNet + 1 x 8 attention
    expect(names.length).toBe(3 + 4 * 5 + 3 * 10 + 8);
    expect(names[0]).toBe('hook_embed');
    expect(names.at(-1)).toBe('hook_logits');
    expect(names.indexOf('blocks.0.hook_resid_post')).toBeLessThan(names.indexOf('blocks.1.hook_resid_pre'));
    expect(names).toContain('blocks.3.attn.hook_pattern');
    expect(names).not.toContain('blocks.2.attn.hook_pattern');
    for (const n of names) expect(() => resolveHook(n, types)).not.toThrow();
  });

  it('rejects unknown names and hooks the layer type lacks, saying what to use', () => {
    expect(() => resolveHook('blocks.0.attn.hook_pattern', types)).toThrow(HookError);
    expect(() => resolveHook('blocks.0.attn.hook_pattern', types)).toThrow(/linear_attention .*use blocks\.0\.linear_attn\.\*/);
    expect(() => resolveHook('blocks.3.linear_attn.hook_beta', types)).toThrow(/full_attention layer; use blocks\.3\.attn\.\*/);
    expect(() => resolveHook('blocks.4.hook_resid_pre', types)).toThrow(/layer 4 does not exist; the model has 4 layers \(0\.\.3\)/);
    expect(() => resolveHook('blocks.1.hook_nonsense', types)).toThrow(/unknown hook name "blocks.1.hook_nonsense"/);
    expect(resolveHook('blocks.3.attn.hook_z', types)).toEqual({ name: 'blocks.3.attn.hook_z', layer: 3, layerType: 'full_attention' });
  });
});

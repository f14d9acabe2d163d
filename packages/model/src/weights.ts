/**
 * The weights of a Qwen3.5 text model in float32, as the engines consume them. Matrices keep PyTorch's
 * `nn.Linear` layout `[out, in]` (y = x W^T), row-major.
 */

/** Weights common to every block. */
interface BlockWeightsBase {
  /** `input_layernorm.weight` [d_model] (stored offset: the norm multiplies by 1 + w). */
  readonly inputNorm: Float32Array;
  /** `post_attention_layernorm.weight` [d_model]. */
  readonly postAttentionNorm: Float32Array;
  /** `mlp.gate_proj.weight` [d_mlp, d_model]. */
  readonly mlpGate: Float32Array;
  /** `mlp.up_proj.weight` [d_mlp, d_model]. */
  readonly mlpUp: Float32Array;
  /** `mlp.down_proj.weight` [d_model, d_mlp]. */
  readonly mlpDown: Float32Array;
}

/** A gated full-attention block. */
export interface FullAttentionBlockWeights extends BlockWeightsBase {
  readonly type: 'full_attention';
  /** `self_attn.q_proj.weight` [heads * 2 * d_head, d_model]: per head, d_head query rows then d_head gate rows. */
  readonly qProj: Float32Array;
  /** `self_attn.k_proj.weight` [kv_heads * d_head, d_model]. */
  readonly kProj: Float32Array;
  /** `self_attn.v_proj.weight` [kv_heads * d_head, d_model]. */
  readonly vProj: Float32Array;
  /** `self_attn.o_proj.weight` [d_model, heads * d_head]. */
  readonly oProj: Float32Array;
  /** `self_attn.q_norm.weight` [d_head] (1 + w). */
  readonly qNorm: Float32Array;
  /** `self_attn.k_norm.weight` [d_head] (1 + w). */
  readonly kNorm: Float32Array;
}

/** A Gated DeltaNet (linear attention) block. */
export interface LinearAttentionBlockWeights extends BlockWeightsBase {
  readonly type: 'linear_attention';
  /** `linear_attn.in_proj_qkv.weight` [2 * nk * dk + nv * dv, d_model]: rows q | k | v, head-major. */
  readonly inProjQkv: Float32Array;
  /** `linear_attn.in_proj_z.weight` [nv * dv, d_model]. */
  readonly inProjZ: Float32Array;
  /** `linear_attn.in_proj_b.weight` [nv, d_model]. */
  readonly inProjB: Float32Array;
  /** `linear_attn.in_proj_a.weight` [nv, d_model]. */
  readonly inProjA: Float32Array;
  /** `linear_attn.conv1d.weight` [conv_dim, 1, kernel] flattened to [conv_dim, kernel]; tap kernel-1 multiplies the current token. */
  readonly conv1d: Float32Array;
  /** `linear_attn.dt_bias` [nv]. */
  readonly dtBias: Float32Array;
  /** `linear_attn.A_log` [nv]. */
  readonly aLog: Float32Array;
  /** `linear_attn.norm.weight` [dv] (plain weight, not 1 + w). */
  readonly norm: Float32Array;
  /** `linear_attn.out_proj.weight` [d_model, nv * dv]. */
  readonly outProj: Float32Array;
}

/** One block's weights. */
export type BlockWeights = FullAttentionBlockWeights | LinearAttentionBlockWeights;

/** All weights of the text model. */
export interface Qwen35Weights {
  /** `embed_tokens.weight` [vocab, d_model]. */
  readonly embedTokens: Float32Array;
  /** Final `norm.weight` [d_model] (1 + w). */
  readonly finalNorm: Float32Array;
  /** LM head [vocab, d_model]: the same array as `embedTokens` when the head is tied. */
  readonly lmHead: Float32Array;
  readonly blocks: readonly BlockWeights[];
}

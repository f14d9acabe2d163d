/**
 * The gated delta rule for one value head, in its two equal forms: the recurrence (decode) and the
 * chunked form (prefill, chunk 64). Inputs are already prepared: q L2-normalised and scaled by
 * 1/sqrt(dk), k L2-normalised, beta = sigmoid(b), g = log-decay (<= 0).
 *
 * Recurrence, per token t (S is [dk, dv], float32):
 *   S <- exp(g_t) S;  u = S^T k_t;  S <- S + k_t (beta_t (v_t - u))^T;  o_t = S^T q_t
 */

/** One head's inputs: q, k [T, dk]; v [T, dv]; beta, g [T]. */
export interface DeltaRuleInputs {
  readonly q: Float32Array;
  readonly k: Float32Array;
  readonly v: Float32Array;
  readonly beta: Float32Array;
  readonly g: Float32Array;
  readonly T: number;
  readonly dk: number;
  readonly dv: number;
}

/**
 * Runs the recurrence token by token. `S` [dk, dv] is the initial state and is updated in place.
 *
 * @returns o [T, dv]
 */
export function recurrentDeltaRule(x: DeltaRuleInputs, S: Float32Array): Float32Array {
  const { q, k, v, beta, g, T, dk, dv } = x;
  const o = new Float32Array(T * dv); // [T, dv]
  const u = new Float64Array(dv);
  for (let t = 0; t < T; t++) {
    const decay = Math.exp(g[t] as number);
    for (let i = 0; i < S.length; i++) S[i] = (S[i] as number) * decay;
    u.fill(0);
    for (let a = 0; a < dk; a++) {
      const ka = k[t * dk + a] as number;
      for (let b = 0; b < dv; b++) u[b] = (u[b] as number) + (S[a * dv + b] as number) * ka; // u = S^T k
    }
    for (let a = 0; a < dk; a++) {
      const ka = (k[t * dk + a] as number) * (beta[t] as number);
      for (let b = 0; b < dv; b++) S[a * dv + b] = (S[a * dv + b] as number) + ka * ((v[t * dv + b] as number) - (u[b] as number));
    }
    for (let b = 0; b < dv; b++) {
      let s = 0;
      for (let a = 0; a < dk; a++) s += (S[a * dv + b] as number) * (q[t * dk + a] as number);
      o[t * dv + b] = s;
    }
  }
  return o;
}

/**
 * The chunked form (chunk C): within a chunk, with c = cumsum(g), D[i,j] = exp(c_i - c_j) for j <= i,
 *   A = (beta k k^T) o D (strictly lower), U = (I + A)^-1 (beta v), W = (I + A)^-1 (beta k exp(c)),
 *   v' = U - W S,  o = (q exp(c)) S + ((q k^T) o D) v',  S <- exp(c_last) S + (k exp(c_last - c))^T v'.
 * The triangular solves are forward substitutions. `S` is updated in place.
 *
 * @returns o [T, dv]
 */
export function chunkedDeltaRule(x: DeltaRuleInputs, S: Float32Array, chunk = 64): Float32Array {
  const { q, k, v, beta, g, T, dk, dv } = x;
  const o = new Float32Array(T * dv); // [T, dv]
  for (let start = 0; start < T; start += chunk) {
    const n = Math.min(chunk, T - start);
    const c = new Float64Array(n); // cumulative log-decay within the chunk
    for (let i = 0, acc = 0; i < n; i++) c[i] = acc += g[start + i] as number;
    const kk = (i: number, j: number): number => {
      let s = 0;
      for (let a = 0; a < dk; a++) s += (k[(start + i) * dk + a] as number) * (k[(start + j) * dk + a] as number);
      return s;
    };
    // U and W by forward substitution through (I + A): row i minus sum_{j<i} A[i,j] row j.
    const U = new Float64Array(n * dv); // [n, dv]
    const W = new Float64Array(n * dk); // [n, dk]
    for (let i = 0; i < n; i++) {
      const bi = beta[start + i] as number;
      const ec = Math.exp(c[i] as number);
      for (let b = 0; b < dv; b++) U[i * dv + b] = bi * (v[(start + i) * dv + b] as number);
      for (let a = 0; a < dk; a++) W[i * dk + a] = bi * (k[(start + i) * dk + a] as number) * ec;
      for (let j = 0; j < i; j++) {
        const Aij = bi * kk(i, j) * Math.exp((c[i] as number) - (c[j] as number));
        for (let b = 0; b < dv; b++) U[i * dv + b] = (U[i * dv + b] as number) - Aij * (U[j * dv + b] as number);
        for (let a = 0; a < dk; a++) W[i * dk + a] = (W[i * dk + a] as number) - Aij * (W[j * dk + a] as number);
      }
    }
    const vNew = new Float64Array(n * dv); // v' = U - W S: [n, dv]
    for (let i = 0; i < n; i++) {
      for (let b = 0; b < dv; b++) {
        let s = 0;
        for (let a = 0; a < dk; a++) s += (W[i * dk + a] as number) * (S[a * dv + b] as number);
        vNew[i * dv + b] = (U[i * dv + b] as number) - s;
      }
    }
    for (let i = 0; i < n; i++) {
      const ec = Math.exp(c[i] as number);
      for (let b = 0; b < dv; b++) {
        let s = 0;
        for (let a = 0; a < dk; a++) s += (q[(start + i) * dk + a] as number) * ec * (S[a * dv + b] as number);
        o[(start + i) * dv + b] = s;
      }
      for (let j = 0; j <= i; j++) {
        let qk = 0;
        for (let a = 0; a < dk; a++) qk += (q[(start + i) * dk + a] as number) * (k[(start + j) * dk + a] as number);
        const coef = qk * Math.exp((c[i] as number) - (c[j] as number));
        for (let b = 0; b < dv; b++) o[(start + i) * dv + b] = (o[(start + i) * dv + b] as number) + coef * (vNew[j * dv + b] as number);
      }
    }
    const last = c[n - 1] as number;
    const decayToEnd = c.map((cj) => Math.exp(last - cj)); // [n]: exp(c_last - c_j), hoisted out of the dk x dv loop
    for (let a = 0; a < dk; a++) {
      for (let b = 0; b < dv; b++) {
        let s = Math.exp(last) * (S[a * dv + b] as number);
        for (let j = 0; j < n; j++) s += (k[(start + j) * dk + a] as number) * (decayToEnd[j] as number) * (vNew[j * dv + b] as number);
        S[a * dv + b] = s;
      }
    }
  }
  return o;
}

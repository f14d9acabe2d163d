/**
 * The return type of `safe*` functions: expected failures at a boundary (a user's file, an API reply)
 * come back as values instead of exceptions.
 */
import type { TrustBenchError } from './errors.js';

/** Either a value or the error that prevented it. */
export type SafeResult<T, E extends TrustBenchError = TrustBenchError> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly error: E };

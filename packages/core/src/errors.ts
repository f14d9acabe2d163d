/**
 * Typed errors shared by every Trust Bench package.
 *
 * Every error has a stable `code` that programs can switch on, and a message that names the thing
 * that is wrong, what was expected and what was found, so a user can act on it without a debugger.
 */

/** Options accepted by every Trust Bench error. */
export interface TrustBenchErrorOptions {
  /** The underlying error, kept for stack traces. */
  readonly cause?: unknown;
}

/**
 * Base class of every error Trust Bench throws on purpose.
 *
 * @example
 * try { await loadModel(dir) } catch (e) { if (e instanceof TrustBenchError) console.error(e.code, e.message) }
 */
export class TrustBenchError extends Error {
  /** A stable machine-readable code, e.g. `"config_invalid"`. */
  readonly code: string;

  constructor(code: string, message: string, options: TrustBenchErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
  }
}

/** A configuration value (a config file, a flag, an option) is missing or has the wrong type or range. */
export class ConfigError extends TrustBenchError {
  constructor(message: string, options?: TrustBenchErrorOptions) {
    super('config_invalid', message, options);
  }
}

/** A weights file is unreadable, truncated, or its tensors do not match what the config says. */
export class WeightsError extends TrustBenchError {
  constructor(message: string, options?: TrustBenchErrorOptions) {
    super('weights_invalid', message, options);
  }
}

/** A data record or data file does not match its schema. */
export class DataError extends TrustBenchError {
  constructor(message: string, options?: TrustBenchErrorOptions) {
    super('data_invalid', message, options);
  }
}

/** A caller passed an argument outside the function's domain (NaN, empty where not allowed, out of range). */
export class InputError extends TrustBenchError {
  constructor(message: string, options?: TrustBenchErrorOptions) {
    super('input_invalid', message, options);
  }
}

/** A model lacks a capability that a stage needs (logprobs, continuation scoring, hooks...). */
export class CapabilityError extends TrustBenchError {
  constructor(message: string, options?: TrustBenchErrorOptions) {
    super('capability_missing', message, options);
  }
}

/** A hook name is unknown, or names a hook that the layer's type does not have. */
export class HookError extends TrustBenchError {
  constructor(message: string, options?: TrustBenchErrorOptions) {
    super('hook_invalid', message, options);
  }
}

/** The Hugging Face hub (or the endpoint configured in `HF_ENDPOINT`) could not be used. */
export class HubError extends TrustBenchError {
  constructor(message: string, options?: TrustBenchErrorOptions & { readonly code?: 'hub_unreachable' | 'hub_offline' | 'hub_http' | 'hub_checksum' }) {
    super(options?.code ?? 'hub_http', message, options);
  }
}

/** A run was cancelled through an `AbortSignal`. */
export class AbortError extends TrustBenchError {
  constructor(message = 'the operation was aborted', options?: TrustBenchErrorOptions) {
    super('aborted', message, options);
  }
}

/**
 * Validation of OpenAI-style request bodies, with 400 errors that name the field, what was expected and what was found.
 */

/** A 400 error for the client. */
export class BadRequest extends Error {
  constructor(readonly param: string, message: string) {
    super(message);
  }
}

type Body = Record<string, unknown>;

/** Checks an optional field's type and range. */
function optionalNumber(body: Body, key: string, min: number, max: number, integer = false): number | undefined {
  const v = body[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max || (integer && !Number.isInteger(v))) {
    throw new BadRequest(key, `"${key}" must be ${integer ? 'an integer' : 'a number'} in [${min}, ${max}], got ${JSON.stringify(v)}`);
  }
  return v;
}

/** Sampling fields shared by both endpoints. */
export interface SamplingParams {
  readonly maxTokens: number;
  readonly temperature: number;
  readonly topP: number;
  /** vLLM's extension: keep only the k most likely tokens (0: no limit). */
  readonly topK: number;
  readonly seed: number | undefined;
  readonly stop: string[];
  readonly logprobs: boolean;
  readonly topLogprobs: number;
  readonly stream: boolean;
}

/** Reads and checks the sampling fields. */
export function samplingParams(body: Body, defaultMaxTokens: number): SamplingParams {
  const stop = body['stop'];
  if (stop !== undefined && stop !== null && typeof stop !== 'string' && !(Array.isArray(stop) && stop.every((s) => typeof s === 'string'))) {
    throw new BadRequest('stop', `"stop" must be a string or an array of strings, got ${JSON.stringify(stop)}`);
  }
  const logprobs = body['logprobs'];
  if (logprobs !== undefined && logprobs !== null && typeof logprobs !== 'boolean' && typeof logprobs !== 'number') {
    throw new BadRequest('logprobs', `"logprobs" must be a boolean (chat) or an integer (completions), got ${JSON.stringify(logprobs)}`);
  }
  return {
    maxTokens: optionalNumber(body, 'max_tokens', 0, 32_768, true) ?? optionalNumber(body, 'max_completion_tokens', 0, 32_768, true) ?? defaultMaxTokens,
    temperature: optionalNumber(body, 'temperature', 0, 2) ?? 1,
    topP: optionalNumber(body, 'top_p', 0, 1) ?? 1,
    topK: optionalNumber(body, 'top_k', -1, 1_000_000, true) ?? 0,
    seed: optionalNumber(body, 'seed', -(2 ** 53), 2 ** 53, true),
    stop: typeof stop === 'string' ? [stop] : Array.isArray(stop) ? (stop as string[]) : [],
    logprobs: logprobs === true || (typeof logprobs === 'number' && logprobs > 0),
    topLogprobs: optionalNumber(body, 'top_logprobs', 0, 20, true) ?? (typeof logprobs === 'number' ? logprobs : 0),
    stream: body['stream'] === true,
  };
}

/** Chat messages: a non-empty array of { role: system|user|assistant, content: string }. */
export function chatMessages(body: Body): { role: 'system' | 'user' | 'assistant'; content: string }[] {
  const messages = body['messages'];
  if (!Array.isArray(messages) || messages.length === 0) throw new BadRequest('messages', `"messages" must be a non-empty array, got ${JSON.stringify(messages)?.slice(0, 60)}`);
  return messages.map((m, i) => {
    const role = (m as Body)?.['role'];
    const content = (m as Body)?.['content'];
    if (role !== 'system' && role !== 'user' && role !== 'assistant') throw new BadRequest(`messages[${i}].role`, `"messages[${i}].role" must be system, user or assistant, got ${JSON.stringify(role)}`);
    if (typeof content !== 'string') throw new BadRequest(`messages[${i}].content`, `"messages[${i}].content" must be a string, got ${JSON.stringify(content)?.slice(0, 60)}`);
    return { role, content };
  });
}

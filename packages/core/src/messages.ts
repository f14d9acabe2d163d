/**
 * Prompts: a plain string (completion style) or a list of chat messages (chat style).
 */

/** The speaker of a chat message. */
export type ChatRole = 'system' | 'user' | 'assistant';

/** One chat message. */
export interface ChatMessage {
  readonly role: ChatRole;
  readonly content: string;
}

/** What a model is asked: raw text, or a conversation that the model renders with its chat template. */
export type Prompt = string | readonly ChatMessage[];

/**
 * Turns a prompt into chat messages: a string becomes a single user turn.
 *
 * @example
 * toMessages('Hi') // [{ role: 'user', content: 'Hi' }]
 */
export function toMessages(prompt: Prompt): readonly ChatMessage[] {
  return typeof prompt === 'string' ? [{ role: 'user', content: prompt }] : prompt;
}

/**
 * Renders a prompt as plain text for logs, journals and reports (never for the model).
 *
 * @example
 * promptText([{ role: 'user', content: 'Hi' }]) // 'user: Hi'
 */
export function promptText(prompt: Prompt): string {
  return typeof prompt === 'string' ? prompt : prompt.map((m) => `${m.role}: ${m.content}`).join('\n');
}

/**
 * @trustbench/model: Qwen3.5 written from scratch.
 */
export {};

/**
 * @trustbench/datasets: TrustLLM's six dimensions as typed, validated tasks with written-out scorers, and seeded
 * sampling that keeps pairs whole.
 */
export { TRUSTLLM_DIMENSIONS } from './task.js';
export type { Dimension, ItemScore, JudgeQuestion, ScoredItem, Task, TaskRecord } from './task.js';
export { loadTrustllm, TRUSTLLM_TASKS } from './trustllm/index.js';
export { REFUSAL_SUBSTITUTE } from './trustllm/define.js';
export type { TrustllmSpec } from './trustllm/define.js';
export { shuffleMcOptions } from './trustllm/truthfulness.js';
export { readRecords } from './read-records.js';
export type { RecordSchema } from './read-records.js';
export { sampleRecords, splitRecords } from './sampling.js';
export {
  extractAgreement, extractAgreementScore, extractDiagnosis, extractEmotionOption, extractFirstInteger, extractGlueAnswer, extractGoodNeutralBad,
  extractOptionLetter, extractSalaryBucket, extractStereotypeLabel, extractSupportRefute, extractWrongness, extractYesNo, glueGold, mentionsOption,
} from './extractors.js';
export { bundledTrustllmSample, findTrustllmDir } from './locate.js';
export { chosenOption, extractFinalAnswer, loadBuiltinSet, loadCustomTask } from './custom-task.js';
export type { CustomScoring, CustomTaskOptions } from './custom-task.js';
export { readTable } from './read-table.js';
export type { Row } from './read-table.js';
export { scoreWithJudge } from './judge.js';
export type { JudgedScore } from './judge.js';
export { folderFromZip } from './zip-folder.js';
export { choiceMetrics, scoreChoices } from './loglikelihood.js';
export type { ChoiceResult } from './loglikelihood.js';

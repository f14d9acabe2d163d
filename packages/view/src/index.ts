/**
 * @trustbench/view: `trustbench view`, a local web dashboard over run folders: the runs list, a leaderboard with
 * baseline deltas, each run's plots (reliability, per-dimension CIs, per-layer probes, steering trade-offs) and an
 * item drill-down.
 */
export { startViewServer, DEFAULT_PORT } from './start-view-server.js';
export type { ViewServer, ViewServerOptions } from './start-view-server.js';
export { createApp, CONTENT_SECURITY_POLICY } from './app.js';
export type { AppOptions } from './app.js';
export { createRunStore } from './run-store.js';
export type { RunLookup, RunStore } from './run-store.js';
export { findRuns, loadRun, runStatus, RUNNING_WINDOW_MS } from './run-index.js';
export type { HeadlineScore, LoadedRun, RunStatus, RunSummary } from './run-index.js';
export { parseReport, readReport } from './report-file.js';
export type { LayerDiagnosis, LayerType, RunReport, SteeringPoint, SteeringResult } from './report-file.js';
export { buildLeaderboard } from './leaderboard.js';
export type { BaselineDelta, Leaderboard, LeaderboardRow } from './leaderboard.js';
export { itemDetails } from './item-details.js';
export type { ItemDetails, ItemView } from './item-details.js';
export { runPage } from './run-page.js';
export type { RunPage } from './run-page.js';
export { dimensionScoresSpec, layerProbesSpec, reliabilitySpec, steeringSpec, LAYER_TYPE_SCALE } from './charts.js';
export { resolveUnder } from './safe-path.js';
export type { SafePath } from './safe-path.js';

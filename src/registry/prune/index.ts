/** `bulwark registry prune`: plan (read-only), render, apply (delete by digest, confirm, explain what GC must reclaim). */
export {
  MIN_PLAUSIBLE_CREATED,
  PUSH_TIME_NOTE,
  prunePlan,
  type BlobRef,
  type PruneManifest,
  type PrunePhase,
  type PrunePlanOptions,
  type PrunePlanResult,
  type PruneProgress,
  type RepositoryPrunePlan,
  type SkippedImage,
} from './plan.js';
export { GC_COMMAND, applyPrune, formatBytes, unreferencedBytes, type ApplyPruneOptions, type ApplyPruneResult, type DeletedManifest, type FailedDeletion } from './apply.js';
export { renderPrunePlan, shortDigest, type RenderPruneOptions } from './render.js';

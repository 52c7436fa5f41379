/** Retention policies (ECR lifecycle-policy format + bulwarkProtectedTags) and retention planning for registry prune. */
export {
  MAX_POLICY_BYTES,
  RetentionPolicyError,
  loadRetentionPolicy,
  parseRetentionPolicy,
  validateRetentionPolicy,
  type CountType,
  type LifecycleRule,
  type LifecycleSelection,
  type RetentionPolicy,
  type TagStatus,
} from './policy.js';
export { planRetention, type ExpireEntry, type KeepEntry, type RepoImage, type RetentionPlan } from './plan.js';
export { MAX_WILDCARDS, countWildcards, findProtection, matchTagPattern, matchesAllPatterns, matchesAllPrefixes } from './match.js';

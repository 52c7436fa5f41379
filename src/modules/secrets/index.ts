import type { RuleMeta, RulePack } from '../rules/types.js';
import { SECRET_RULES } from './rules.js';

export { SECRET_RULES } from './rules.js';
export { DEFAULT_MAX_SECRET_FILE_SIZE, isProbablyBinary, scanSecretsInStrings, scanSecretsInText, secretSkipReason } from './scan.js';
export { maskSecret, secretFingerprint } from './mask.js';
export { compileAllowList, type CompiledAllowList } from './allow-list.js';
export { renderSecretRulesMarkdown } from './docs.js';
export type {
  KnownExample, SecretAllowList, SecretDetection, SecretMatch, SecretRule, SecretScanOptions, SecretScanSkip, SecretSkipReason,
  SecretStringEntry, SecretStringsWhere, SecretWhere,
} from './types.js';

/** The secret rules' metadata, in id order. */
export function secretRules(): RuleMeta[] {
  return SECRET_RULES.map((r) => r.meta);
}

export const secretsPack: RulePack = { id: 'secret', rules: secretRules };

import { credentialKind } from './sensitive.js';

const ACCOUNT_FILES = new Set(['etc/passwd', 'etc/shadow', 'etc/group']);

/**
 * The file contents the image rules read, as relative paths ("etc/passwd"): the account databases and
 * the credential files whose content decides whether they hold a secret. Called for every file of every
 * layer, so it tests the path only.
 */
export function imageWants(relativePath: string): boolean {
  return ACCOUNT_FILES.has(relativePath) || credentialKind(relativePath) !== undefined;
}

import { rule as rootUser } from './rules/root-user.js';
import { rule as remoteAccess } from './rules/remote-access.js';
import { rule as sudo } from './rules/sudo.js';
import { rule as removableTools } from './rules/removable-tools.js';
import { rule as setuid } from './rules/setuid.js';
import { rule as worldWritable } from './rules/world-writable.js';
import { rule as credentialFiles } from './rules/credential-files.js';
import { rule as devLeftovers } from './rules/dev-leftovers.js';
import { rule as packageCaches } from './rules/package-caches.js';
import { rule as healthcheck } from './rules/healthcheck.js';
import { rule as addInstruction } from './rules/add-instruction.js';
import { rule as latestTag } from './rules/latest-tag.js';
import { rule as osEol } from './rules/os-eol.js';
import { rule as osNearEol } from './rules/os-near-eol.js';
import { rule as imageAge } from './rules/image-age.js';
import { rule as emptyPassword } from './rules/empty-password.js';
import { rule as duplicateAccounts } from './rules/duplicate-accounts.js';
import { rule as sensitiveVolume } from './rules/sensitive-volume.js';
import type { ImageRule } from './types.js';

/** Every image rule, in id order; registration is explicit, never by import side effect. */
export const IMAGE_RULES: readonly ImageRule[] = [
  rootUser,
  remoteAccess,
  sudo,
  removableTools,
  setuid,
  worldWritable,
  credentialFiles,
  devLeftovers,
  packageCaches,
  healthcheck,
  addInstruction,
  latestTag,
  osEol,
  osNearEol,
  imageAge,
  emptyPassword,
  duplicateAccounts,
  sensitiveVolume,
];

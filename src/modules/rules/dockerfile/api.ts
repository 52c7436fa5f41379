import type { DockerfileRule } from './rule.js';
import { rule as finalUserRoot } from './rules/final-user-root.js';
import { rule as secretEnv } from './rules/secret-env.js';
import { rule as curlPipeShell } from './rules/curl-pipe-shell.js';
import { rule as aptUpgrade } from './rules/apt-upgrade.js';
import { rule as baseUntagged } from './rules/base-untagged.js';
import { rule as baseLatest } from './rules/base-latest.js';
import { rule as copyContext } from './rules/copy-context.js';
import { rule as addRemoteArchive } from './rules/add-remote-archive.js';
import { rule as addInsteadOfCopy } from './rules/add-instead-of-copy.js';
import { rule as workdirRelative } from './rules/workdir-relative.js';
import { rule as pointlessCommands } from './rules/pointless-commands.js';
import { rule as cdInRun } from './rules/cd-in-run.js';
import { rule as sudo } from './rules/sudo.js';
import { rule as aptPin } from './rules/apt-pin.js';
import { rule as aptLists } from './rules/apt-lists.js';
import { rule as pipPin } from './rules/pip-pin.js';
import { rule as aptYes } from './rules/apt-yes.js';
import { rule as aptRecommends } from './rules/apt-recommends.js';
import { rule as npmPin } from './rules/npm-pin.js';
import { rule as apkPin } from './rules/apk-pin.js';
import { rule as apkNoCache } from './rules/apk-no-cache.js';
import { rule as execForm } from './rules/exec-form.js';
import { rule as pipNoCache } from './rules/pip-no-cache.js';
import { rule as wgetProgress } from './rules/wget-progress.js';
import { rule as consecutiveRun } from './rules/consecutive-run.js';
import { rule as pipefail } from './rules/pipefail.js';

/** Every Dockerfile rule, in id order; registration is explicit, never by import side effect. */
export const DOCKERFILE_RULES: readonly DockerfileRule[] = [
  finalUserRoot,
  secretEnv,
  curlPipeShell,
  aptUpgrade,
  baseUntagged,
  baseLatest,
  copyContext,
  addRemoteArchive,
  addInsteadOfCopy,
  workdirRelative,
  pointlessCommands,
  cdInRun,
  sudo,
  aptPin,
  aptLists,
  pipPin,
  aptYes,
  aptRecommends,
  npmPin,
  apkPin,
  apkNoCache,
  execForm,
  pipNoCache,
  wgetProgress,
  consecutiveRun,
  pipefail,
];

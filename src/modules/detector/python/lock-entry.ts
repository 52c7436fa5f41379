import type { Package } from '../../../core/package.js';

/** One pinned package a lockfile or requirements file names. */
export interface LockEntry {
  name: string;
  version: string;
  scope?: Package['scope'];
}

/** A lockfile that cannot be read as its format; the message says what is wrong. */
export class LockfileError extends Error {}

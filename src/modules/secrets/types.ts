import type { LayerRef } from '../../core/package.js';
import type { RuleMeta } from '../rules/types.js';

/** A value a rule matched, with what the pattern captured around it. */
export interface SecretMatch {
  /** The secret itself (the pattern's `secret` group). Never leaves the scanner unmasked. */
  secret: string;
  /** The pattern's other named groups (key name, quote, ...), for validators. */
  groups: Record<string, string | undefined>;
  /** The whole text scanned, for validators that need more than the match. */
  text: string;
}

/** A value that is published as an example (in vendor docs), reported at LOW with a note. */
export interface KnownExample {
  test: (secret: string) => boolean;
  note: string;
}

/** How a rule finds its secret: data, so that adding a rule is adding an entry. */
export interface SecretDetection {
  /**
   * Each pattern has a named group `secret`; the engine adds the `g` and `d` flags. Patterns of one
   * rule are alternatives; overlapping matches of one rule are reported once.
   */
  patterns: RegExp[];
  /** Cheap prefilter: the patterns run only when the text contains one of these (case-insensitive). */
  keywords?: string[];
  /** The text as a whole must match this too (e.g. a GCP key file's `"type": "service_account"`). */
  context?: RegExp;
  /** Shannon entropy (bits per character) the secret must reach: rejects `xxxx...` placeholders. */
  minEntropy?: number;
  /** Last word on a match: structure checks (JWT header, PEM body), placeholder filters. */
  validate?: (match: SecretMatch) => boolean;
  knownExamples?: KnownExample[];
}

export interface SecretRule {
  meta: RuleMeta;
  detect: SecretDetection;
}

/** What was scanned: the finding's target, and the file inside it. */
export interface SecretWhere {
  target: string;
  path: string;
  layer?: LayerRef;
}

/** Image-config strings: ENV entries, LABELs and history `created_by` lines. */
export interface SecretStringEntry {
  source: 'env' | 'label' | 'history';
  /** ENV or LABEL name; for ENV it is also read from a `KEY=VALUE` value when absent. */
  key?: string;
  value: string;
  /** The layer a history entry created, when it created one. */
  layer?: LayerRef;
}

export interface SecretStringsWhere {
  target: string;
  layer?: LayerRef;
}

/**
 * Findings this list names are dropped before they are returned: by rule id (or a rule alias such
 * as Trivy's `jwt-token`), by file path glob (picomatch, dotfiles included), or by a regex the raw
 * secret matches (a string is compiled as a regex).
 */
export interface SecretAllowList {
  rules?: string[];
  paths?: string[];
  values?: (RegExp | string)[];
}

export type SecretSkipReason = 'binary' | 'too-large';

/** A file the scanner did not read, reported to the caller rather than silently passed over. */
export interface SecretScanSkip {
  target: string;
  path: string;
  layer?: LayerRef;
  reason: SecretSkipReason;
  size: number;
}

export interface SecretScanOptions {
  /** Files larger than this (bytes) are skipped; default DEFAULT_MAX_SECRET_FILE_SIZE (10 MiB). */
  maxFileSize?: number;
  allowList?: SecretAllowList;
  /** Called for each skipped file (binary or over the size limit). */
  onSkip?: (skip: SecretScanSkip) => void;
  /** The rules to run; default every built-in rule. */
  rules?: readonly SecretRule[];
}

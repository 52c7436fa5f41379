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
  /**
   * Where the patterns run: only from the lines that hold a keyword, unless 'file'.
   * - 'line' (the default): every match holds one of the keywords and lies on that keyword's line (it
   *   may begin with the newline before the line, as `(?:^|\s)key=` does).
   * - 'block': every match starts on the line of a keyword it holds and may run on past it, at most
   *   32 KiB past the line's end (a PEM key's body; a `key:` whose value is on the next line).
   * - 'file': the keywords only say whether the rule applies (a key file's `service_account`); the
   *   patterns run over the whole text.
   */
  scope?: 'line' | 'block' | 'file';
  /** The text as a whole must match this too (e.g. a GCP key file's `"type": "service_account"`). */
  context?: RegExp;
  /** Shannon entropy (bits per character) the secret must reach: rejects `xxxx...` placeholders. */
  minEntropy?: number;
  /** Last word on a match: structure checks (JWT header, PEM body), placeholder filters. */
  validate?: (match: SecretMatch) => boolean;
  knownExamples?: KnownExample[];
  /**
   * Files the rule does not apply to (picomatch globs, matched without the leading `/`): formats whose
   * lines look like `key: value` but only name things, such as Debian's lintian overrides
   * (`base-passwd: no-debconf-config` is a package and a lintian tag).
   */
  exceptPaths?: string[];
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

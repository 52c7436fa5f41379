import type { Finding } from '../../../core/finding.js';
import type { LayerRef, OsInfo, Package } from '../../../core/package.js';
import type { ImageConfig } from '../../../image/config.js';
import type { FileSystemView } from '../../../image/types.js';
import type { EolData } from '../../eol/index.js';
import type { Rule, RuleMeta } from '../types.js';

/** What the image rules look at: one scanned image, after the walk and the package detectors. */
export interface ImageRuleInput {
  /** The image as the user named it: the findings' target. */
  target: string;
  /** Tags the image is known by (docker-archive RepoTags, the pulled reference), "repo:tag". */
  repoTags: readonly string[];
  config: ImageConfig;
  /** Metadata of every file in the final image; content of the paths the pack `wants`. */
  fs: FileSystemView;
  os?: OsInfo;
  packages: readonly Package[];
}

export interface ImageRuleOptions {
  now: Date;
  /** `--max-age`: an image created longer ago than this many days is reported. */
  maxAgeDays: number;
  eol: EolData;
  /** A release whose support ends within this many days is "near end of life". */
  eolNearDays: number;
}

/** Where an image finding points: a file (with the layer that wrote it) or a config field. */
export interface ImageFindingPlace {
  path?: string;
  /** Config object path, e.g. "config.User", "config.Healthcheck", "history[3]". */
  resource?: string;
  layer?: LayerRef;
  /** Distinguishes two findings of one rule at one place (e.g. the package name); goes into the fingerprint. */
  subject?: string;
}

export interface ImageCheckContext {
  options: ImageRuleOptions;
  /** A finding of this rule; `message` is the finding's description (what was found, with sizes). */
  finding(meta: RuleMeta, place: ImageFindingPlace, message: string): Finding;
  /** The layer reference (index, diffId, createdBy) of a layer index. */
  layer(index: number): LayerRef | undefined;
}

export type ImageRule = Rule<ImageRuleInput, ImageCheckContext>;

/** A package or binary that the final image does not need at run time: a candidate to remove. */
export interface RemovableTool {
  /** What it is: "package-manager", "compiler", "debugger", "network-tool", "shell", "remote-access", ... */
  category: string;
  /** The package that installs it (OS package name), when a package database owns it. */
  package?: string;
  /** The executables found, absolute paths, sorted. */
  paths: string[];
  /** Bytes of the files the package owns (or of the executables when no package owns them). */
  bytes: number;
}

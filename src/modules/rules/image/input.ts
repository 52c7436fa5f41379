import type { OsInfo, Package } from '../../../core/package.js';
import type { ImageConfig } from '../../../image/config.js';
import type { FileSystemView } from '../../../image/types.js';
import type { ImageRuleInput } from './types.js';

export interface ImageRuleInputParts {
  /** What the user named; defaults to the source's reference. */
  target?: string;
  /** The opened image (an ImageSource): its reference, tags and config. */
  source: { reference: string; repoTags: readonly string[]; config: ImageConfig };
  /** The layered view, walked with `imageWants` among the wanted paths. */
  fs: FileSystemView;
  /** What the detectors found (runDetectors' result, or an ImageScanResult's os and packages). */
  os?: OsInfo;
  packages: readonly Package[];
}

/** The image rules' input from the pieces a scan already has. */
export function imageRuleInputFrom(parts: ImageRuleInputParts): ImageRuleInput {
  const input: ImageRuleInput = {
    target: parts.target ?? parts.source.reference,
    repoTags: [...parts.source.repoTags],
    config: parts.source.config,
    fs: parts.fs,
    packages: parts.packages,
  };
  if (parts.os) input.os = parts.os;
  return input;
}

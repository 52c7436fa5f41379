import type { Finding } from '../core/finding.js';
import type { Notice, OsInfo, Package } from '../core/package.js';
import type { LeanImageReport, ScannerId } from '../core/scan-result.js';
import type { ContentOptions, NamedInspector } from '../image/content-sink.js';
import type { ImageConfig } from '../image/config.js';
import { createEfficiencyCollector, type EfficiencyCollector } from '../image/efficiency/index.js';
import type { LayeredView } from '../image/view.js';
import type { LayerEntryObserver } from '../image/walker.js';
import { DEFAULT_NEAR_DAYS, loadEolData, type EolData } from '../modules/eol/index.js';
import { checkImage, imageWants, removableTools } from '../modules/rules/image/index.js';
import type { ImageRuleInput } from '../modules/rules/image/types.js';
import type { SecretScanOptions } from '../modules/secrets/index.js';
import { collectSecretFindings, secretInspectors } from './secret-scan.js';

/** The scanners that work on file contents during the walk, with their settings. */
export interface CheckOptions {
  misconfig?: MisconfigOptions;
  secret?: SecretScanOptions;
}

export interface MisconfigOptions {
  now: Date;
  /** Images created longer ago than this are reported (`--max-age`). */
  maxAgeDays: number;
  eolNearDays?: number;
  /** End-of-life tables; default the shipped ones (or $BULWARK_EOL_DATA). */
  eol?: EolData;
}

export const DEFAULT_MAX_AGE_DAYS = 90;

/** Which scanners a set of check options runs, in report order. */
export function checkScanners(checks: CheckOptions): ScannerId[] {
  return [...(checks.misconfig ? (['misconfig'] as const) : []), ...(checks.secret ? (['secret'] as const) : [])];
}

/** What the checks add to one walk: more files captured, a secret inspector on every file, the lean-image observer. */
export interface CheckWalk {
  wants(relativePath: string): boolean;
  inspectors(relativePath: string, info: { size: number; mode: number }): NamedInspector[];
  observer?: LayerEntryObserver;
  efficiency?: EfficiencyCollector;
}

export function checkWalk(checks: CheckOptions, target: string, withLayers: boolean): CheckWalk {
  const secrets = checks.secret ? secretInspectors({ ...checks.secret, target }) : undefined;
  const efficiency = checks.misconfig && withLayers ? createEfficiencyCollector() : undefined;
  return {
    wants: checks.misconfig ? imageWants : () => false,
    inspectors: secrets ?? (() => []),
    ...(efficiency ? { observer: efficiency, efficiency } : {}),
  };
}

/** Detectors' content options joined with the checks'. */
export function joinContent(detectors: Pick<ContentOptions, 'wants' | 'inspectors'>, walk: CheckWalk): Pick<ContentOptions, 'wants' | 'inspectors'> {
  return {
    wants: (path) => detectors.wants(path) || walk.wants(path),
    inspectors: (path, info) => [...(detectors.inspectors?.(path, info) ?? []), ...walk.inspectors(path, info)],
  };
}

export interface ImageCheckInput {
  target: string;
  repoTags: readonly string[];
  config: ImageConfig;
  view: LayeredView;
  os?: OsInfo;
  packages: readonly Package[];
  /** Layers whose command holds a secret, found once by the caller. */
  secretCommandLayers?: ReadonlySet<number>;
}

export interface CheckOutcome {
  findings: Finding[];
  notices: Notice[];
  lean?: LeanImageReport;
}

/** Runs the image rules and collects the secrets the walk found. */
export function runImageChecks(checks: CheckOptions, walk: CheckWalk, input: ImageCheckInput): CheckOutcome {
  const findings: Finding[] = [];
  const notices: Notice[] = [];
  let lean: LeanImageReport | undefined;
  if (checks.misconfig) {
    const m = checks.misconfig;
    const ruleInput: ImageRuleInput = {
      target: input.target,
      repoTags: input.repoTags,
      config: input.config,
      fs: input.view,
      ...(input.os ? { os: input.os } : {}),
      packages: input.packages,
    };
    findings.push(...checkImage(ruleInput, { now: m.now, maxAgeDays: m.maxAgeDays, eolNearDays: m.eolNearDays ?? DEFAULT_NEAR_DAYS, eol: m.eol ?? loadEolData() }));
    lean = { ...(walk.efficiency ? { efficiency: walk.efficiency.result() } : {}), removableTools: removableTools(ruleInput) };
  }
  if (checks.secret) {
    const secrets = collectSecretFindings(input.view, input.config, input.target, checks.secret, input.secretCommandLayers);
    findings.push(...secrets.findings);
    notices.push(...secrets.notices);
  }
  return { findings, notices, ...(lean ? { lean } : {}) };
}

import { ruleFinding } from '../../modules/rules/rule-finding.js';
import { compareFindings, type Finding } from '../../core/finding.js';
import { defineMeta } from '../../modules/rules/meta.js';
import type { RuleMeta, RulePack } from '../../modules/rules/types.js';
import type { BinaryResult, BinaryStatus, VerifyReport } from './verify.js';

const DOWNLOAD = 'https://kubernetes.io/releases/download/';
const INSTALL_KUBECTL = 'https://kubernetes.io/docs/tasks/tools/install-kubectl-linux/';
const VERIFY_ARTIFACTS = 'https://kubernetes.io/docs/tasks/administer-cluster/verify-signed-artifacts/';

export const mismatchMeta = defineMeta({
  id: 'BW-K8S-401',
  title: 'Kubernetes binary does not match its official release checksum',
  severity: 'CRITICAL',
  rationale:
    'The release checksum is the trusted record of what the Kubernetes project built; a binary whose digest differs is not that build: a corrupted download, a different version or architecture, or a tampered binary running with control-plane or node privileges.',
  remediation:
    'Stop using the binary; download it again from dl.k8s.io over HTTPS for the intended version and architecture, check it against the published .sha256/.sha512 file (and its cosign signature), and find out how the differing file got there.',
  references: [DOWNLOAD, VERIFY_ARTIFACTS, INSTALL_KUBECTL],
  aliases: [],
});

export const uncheckedMeta = defineMeta({
  id: 'BW-K8S-402',
  title: 'Kubernetes binary could not be checked against a release checksum',
  severity: 'MEDIUM',
  rationale:
    'A Kubernetes binary with no checksum to compare (none listed, not a regular file, or a symlink that leaves the directory) cannot be shown to come from the official release, so its origin is unknown.',
  remediation:
    'Add the binary\'s official .sha256 or .sha512 file from dl.k8s.io for its version and architecture to the checksum input, and keep binaries as regular files inside the checked directory rather than symlinks elsewhere.',
  references: [DOWNLOAD, VERIFY_ARTIFACTS],
  aliases: [],
});

export const missingMeta = defineMeta({
  id: 'BW-K8S-403',
  title: 'Checksum listed for a Kubernetes binary that is not in the directory',
  severity: 'LOW',
  rationale:
    'The checksum input expects a binary the directory does not hold: the wrong directory or checksum file was given, or an install step left a binary out, so the check covered less than intended.',
  remediation:
    'Point the check at the directory the binaries are installed in and at the checksum files of the release actually installed, or drop entries for binaries that are deliberately not installed.',
  references: [DOWNLOAD],
  aliases: [],
});

export const BINARY_RULES: readonly RuleMeta[] = [mismatchMeta, uncheckedMeta, missingMeta];

export function binaryRules(): RuleMeta[] {
  return [...BINARY_RULES];
}

export const binariesPack: RulePack = { id: 'k8s-binaries', rules: binaryRules };

const META_BY_STATUS: Partial<Record<BinaryStatus, RuleMeta>> = {
  mismatch: mismatchMeta,
  'no-checksum': uncheckedMeta,
  'not-regular': uncheckedMeta,
  'symlink-outside': uncheckedMeta,
  missing: missingMeta,
};

/** The finding for one binary's result, or undefined when it verified. */
export function binaryFinding(result: BinaryResult, target: string): Finding | undefined {
  const meta = META_BY_STATUS[result.status];
  if (!meta) return undefined;
  return ruleFinding(meta, { stackLayer: 'orchestrator', target, location: { path: result.path }, description: result.detail, about: [result.path, result.status] });
}

/** Findings for every binary that did not verify, in report order; `target` defaults to the directory. */
export function verifyFindings(report: VerifyReport, target: string = report.dir): Finding[] {
  return report.results.flatMap((r) => binaryFinding(r, target) ?? []).sort(compareFindings);
}

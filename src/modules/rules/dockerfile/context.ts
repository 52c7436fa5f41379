import { findingFingerprint, type Finding } from '../../../core/finding.js';
import type { RuleMeta } from '../types.js';
import type { DfInstruction, ParsedDockerfile } from './parse.js';

export interface LintOptions {
  /** The Dockerfile's path as the user named it: the findings' target and location path. */
  path: string;
  /** Whether a .dockerignore sits next to the Dockerfile. */
  hasDockerignore: boolean;
}

export interface CheckContext {
  options: LintOptions;
  /** A finding of this rule about this instruction. */
  finding(meta: RuleMeta, instr: DfInstruction, message: string): Finding;
}

export function fingerprintOf(kind: string, id: string, target: string, path: string, line: number, text: string): string {
  return findingFingerprint(kind, id, target, path, String(line), text);
}

export function makeContext(df: ParsedDockerfile, options: LintOptions): CheckContext {
  return {
    options,
    finding(meta, instr, message) {
      return {
        id: meta.id,
        kind: 'misconfiguration',
        severity: meta.severity,
        stackLayer: 'image',
        target: options.path,
        location: { path: options.path, line: instr.line },
        title: meta.title,
        description: message,
        aliases: [...meta.aliases].sort(),
        references: [...meta.references],
        remediation: meta.remediation,
        fingerprint: fingerprintOf('misconfiguration', meta.id, options.path, df.path, instr.line, instr.text),
      };
    },
  };
}

/** One factory for the section 3 checks: find the file(s), then judge ownership or permissions. */
import type { Severity } from '../../../../core/finding.js';
import type { HostCheck, HostView } from '../../../../host/types.js';
import { defineCheck, result } from '../section2/define.js';
import { atMost, findExisting, octal, ownedByRootRoot, ownerNames } from './files.js';
import type { FoundFile, Wanted } from './files.js';

interface FileCheckSpec {
  id: string;
  title: string;
  severity: Severity;
  rationale: string;
  remediation: string;
  references?: string[];
  /** Host paths to look at (all existing ones are judged). */
  paths(view: HostView): Promise<string[]> | string[];
  wanted: Wanted;
  /** Alternatively, the files to judge are found by this (e.g. every certificate under a directory). */
  files?(view: HostView): Promise<FoundFile[] | undefined>;
  /** Ownership: 'root:root' by ids, 'root:docker' by names. */
  owner?: 'root:root' | 'root:docker';
  /** Permissions: the most permissive mode allowed. */
  maxMode?: number;
  /** What docker-bench says when nothing is found. */
  notFound: string;
}

export function fileCheck(spec: FileCheckSpec): HostCheck {
  return defineCheck(
    {
      id: spec.id,
      title: spec.title,
      assessment: 'Automated',
      severity: spec.severity,
      rationale: spec.rationale,
      remediation: spec.remediation,
      ...(spec.references ? { references: spec.references } : {}),
      needsEngine: false,
    },
    async (view) => {
      const found = spec.files ? await spec.files(view) : await findExisting(view, await spec.paths(view), spec.wanted);
      if (!found || found.length === 0) return result('INFO', spec.notFound);
      if (spec.owner) {
        const ok = (f: FoundFile): boolean =>
          spec.owner === 'root:root' ? ownedByRootRoot(f.stat) : f.stat.uid === 0 && f.stat.group === 'docker';
        const wrong = found.filter((f) => !ok(f));
        if (wrong.length > 0) {
          return result('WARN', `Wrong ownership for ${wrong.map(describeOwner).join(', ')}`, wrong.map((f) => f.path));
        }
        return result('PASS', found.map(describeOwner).join(', '));
      }
      const max = spec.maxMode ?? 0o644;
      const wrong = found.filter((f) => !atMost(f.stat, max));
      if (wrong.length > 0) {
        return result('WARN', `Wrong permissions for ${wrong.map(describeMode).join(', ')} (allowed: ${octal(max)})`, wrong.map((f) => f.path));
      }
      return result('PASS', found.map(describeMode).join(', '));
    },
  );
}

function describeOwner(f: FoundFile): string {
  return `${f.path} (${ownerNames(f.stat)})`;
}

function describeMode(f: FoundFile): string {
  return `${f.path} (${octal(f.stat.mode)})`;
}

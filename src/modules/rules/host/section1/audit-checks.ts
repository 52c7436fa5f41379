/** CIS 1.1.3–1.1.18: an auditd watch on each Docker daemon binary, directory, unit and configuration file. */
import { stringSetting } from '../../../../host/daemon-config.js';
import { RootFs } from '../../../../host/rootfs.js';
import type { HostCheck, HostView } from '../../../../host/types.js';
import { loadAuditRules, watchCovers, type AuditRuleSet } from './audit-rules.js';
import { CIS_REFERENCE, defineCheck, DOCKER_BENCH_REFERENCE, result } from './define.js';

/** Where a binary may be installed: upstream packages use /usr/bin, Debian's docker.io /usr/sbin for dockerd and runc. */
const binaries = (name: string): string[] => [`/usr/bin/${name}`, `/usr/sbin/${name}`, `/usr/local/bin/${name}`];
/** systemd unit locations in docker-bench-security's order: local override, then the packaged unit. */
const units = (name: string): string[] => [`/etc/systemd/system/${name}`, `/lib/systemd/system/${name}`, `/usr/lib/systemd/system/${name}`];

interface AuditTarget {
  id: string;
  title: string;
  /** What the rule is about, for messages. */
  subject: string;
  /** Host paths that may hold it; the rule must watch one that exists. */
  candidates(view: HostView): string[];
  dir?: boolean;
}

function dockerdPaths(view: HostView): string[] {
  const argv0 = view.daemon?.argv[0];
  return [...new Set([...(argv0?.startsWith('/') ? [argv0] : []), ...binaries('dockerd')])];
}

function dockerRoots(view: HostView): string[] {
  const fromEngine = view.engine?.info?.DockerRootDir;
  const configured = stringSetting(view, 'data-root') ?? stringSetting(view, 'graph');
  return [...new Set(['/var/lib/docker', ...(configured ? [configured] : []), ...(typeof fromEngine === 'string' ? [fromEngine] : [])])];
}

const TITLE = 'Ensure auditing is configured for Docker files and directories';

export const AUDIT_TARGETS: readonly AuditTarget[] = [
  { id: '1.1.3', title: 'Ensure auditing is configured for the Docker daemon (Automated)', subject: 'dockerd', candidates: dockerdPaths },
  { id: '1.1.4', title: `${TITLE} -/run/containerd (Automated)`, subject: '/run/containerd', candidates: () => ['/run/containerd'], dir: true },
  { id: '1.1.5', title: `${TITLE} - /var/lib/docker (Automated)`, subject: '/var/lib/docker', candidates: dockerRoots, dir: true },
  { id: '1.1.6', title: `${TITLE} - /etc/docker (Automated)`, subject: '/etc/docker', candidates: () => ['/etc/docker'], dir: true },
  { id: '1.1.7', title: `${TITLE} - docker.service (Automated)`, subject: 'docker.service', candidates: () => units('docker.service') },
  {
    id: '1.1.8',
    title: `${TITLE} - containerd.sock (Automated)`,
    subject: 'containerd.sock',
    // The benchmark names the socket; docker-bench-security looks for the containerd.socket unit. Either counts.
    candidates: () => ['/run/containerd/containerd.sock', ...units('containerd.socket')],
  },
  { id: '1.1.9', title: `${TITLE} - docker.socket (Automated)`, subject: 'docker.socket', candidates: () => units('docker.socket') },
  { id: '1.1.10', title: `${TITLE} - /etc/default/docker (Automated)`, subject: '/etc/default/docker', candidates: () => ['/etc/default/docker'] },
  {
    id: '1.1.11',
    title: 'Ensure auditing is configured for Dockerfiles and directories - /etc/docker/daemon.json (Automated)',
    subject: 'daemon.json',
    candidates: (view) => [...new Set(['/etc/docker/daemon.json', ...(view.daemonJsonPath ? [view.daemonJsonPath] : [])])],
  },
  {
    id: '1.1.12',
    // The benchmark's own title repeats its number ("1.1.12 Ensure ..."); it is left out here.
    title: 'Ensure auditing is configured for Dockerfiles and directories - /etc/containerd/config.toml (Automated)',
    subject: '/etc/containerd/config.toml',
    candidates: () => ['/etc/containerd/config.toml'],
  },
  { id: '1.1.13', title: `${TITLE} - /etc/sysconfig/docker (Automated)`, subject: '/etc/sysconfig/docker', candidates: () => ['/etc/sysconfig/docker'] },
  { id: '1.1.14', title: `${TITLE} - /usr/bin/containerd (Automated)`, subject: 'containerd', candidates: () => binaries('containerd') },
  { id: '1.1.15', title: `${TITLE} - /usr/bin/containerd-shim (Automated)`, subject: 'containerd-shim', candidates: () => binaries('containerd-shim') },
  {
    id: '1.1.16',
    title: `${TITLE} - /usr/bin/containerd-shim-runc-v1 (Automated)`,
    subject: 'containerd-shim-runc-v1',
    candidates: () => binaries('containerd-shim-runc-v1'),
  },
  {
    id: '1.1.17',
    title: `${TITLE} - /usr/bin/containerd-shim-runc-v2 (Automated)`,
    subject: 'containerd-shim-runc-v2',
    candidates: () => binaries('containerd-shim-runc-v2'),
  },
  { id: '1.1.18', title: `${TITLE} - /usr/bin/runc (Automated)`, subject: 'runc', candidates: () => binaries('runc') },
];

/** The rules are read once per view, however many checks ask. */
const cache = new WeakMap<HostView, Promise<AuditRuleSet>>();
export function auditRulesOf(view: HostView): Promise<AuditRuleSet> {
  let rules = cache.get(view);
  if (!rules) cache.set(view, (rules = loadAuditRules(view)));
  return rules;
}

function auditCheck(target: AuditTarget): HostCheck {
  const example = target.candidates({ root: '/' } as HostView)[0]!;
  const perm = target.dir ? '-p wa ' : '';
  return defineCheck(
    {
      id: target.id,
      title: target.title,
      assessment: 'Automated',
      severity: 'LOW',
      rationale: `An audit trail of changes to ${target.subject} shows who altered the Docker daemon, its configuration or its runtime, and when; the daemon runs as root, so every such change is a change to the host.`,
      remediation: `Install auditd, add "-w ${example} ${perm}-k docker" to /etc/audit/rules.d/docker.rules (use the path the file has on this host), then load the rules with "augenrules --load" or restart auditd.`,
      references: [CIS_REFERENCE, DOCKER_BENCH_REFERENCE, 'https://man7.org/linux/man-pages/man7/audit.rules.7.html'],
      needsEngine: false,
    },
    async (view) => {
      const present: string[] = [];
      // /lib and /usr/lib are one directory on merged-/usr systems: a file is listed once, under its first name.
      const fs = new RootFs(view.root);
      const seen = new Set<string>();
      for (const path of target.candidates(view)) {
        if (!(await view.stat(path))) continue;
        const real = (await fs.canonical(path)) ?? path;
        if (seen.has(real)) continue;
        seen.add(real);
        present.push(path);
      }
      if (present.length === 0) {
        return result('INFO', `${target.dir ? 'Directory' : 'File'} not found: ${target.candidates(view).join(', ')}`);
      }
      const rules = await auditRulesOf(view);
      // "-w DIR" on a directory watches everything below it; whether a path is a directory is asked of the host.
      const watchedDirs = new Set<string>();
      for (const w of rules.watches) if (w.kind === 'watch' && (await view.stat(w.path))?.type === 'dir') watchedDirs.add(w.path);
      for (const path of present) {
        const hit = rules.watches.find((w) => watchCovers(w, path, (p) => watchedDirs.has(p)));
        if (hit) {
          const how = hit.kind === 'watch' ? `-w ${hit.path}` : `-F ${hit.kind}=${hit.path}`;
          return result('PASS', `${path} is audited (${how}${hit.key ? ` -k ${hit.key}` : ''}, ${hit.at})`);
        }
      }
      const where = rules.files.length === 0 ? 'no audit rules found (/etc/audit/audit.rules, /etc/audit/rules.d/*.rules)' : `no rule in ${rules.files.join(', ')}`;
      return result('WARN', `${present.join(', ')} not audited: ${where}`, present);
    },
  );
}

export const AUDIT_CHECKS: readonly HostCheck[] = AUDIT_TARGETS.map(auditCheck);

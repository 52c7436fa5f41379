import type { Finding } from '../../../core/finding.js';
import type { AwsResource, IpPermission } from '../../../cloud/types.js';
import type { RuleMeta } from '../types.js';
import { resourcesOf, type AwsCheckContext } from './rule.js';

export const ADMIN_PORTS: ReadonlyMap<number, string> = new Map([
  [22, 'SSH'],
  [3389, 'RDP'],
]);
export const DATABASE_PORTS: ReadonlyMap<number, string> = new Map([
  [3306, 'MySQL'],
  [5432, 'PostgreSQL'],
  [1433, 'SQL Server'],
  [1521, 'Oracle'],
  [6379, 'Redis'],
  [27017, 'MongoDB'],
  [9200, 'Elasticsearch'],
]);
export const WEB_PORTS = new Set([80, 443]);

export type Exposure =
  | { kind: 'all'; ports: string }
  | { kind: 'admin' | 'database'; ports: string; services: string[] }
  | { kind: 'other'; ports: string };

/** The internet-open sources of a permission: 0.0.0.0/0 and ::/0, with the field path of each. */
export function openSources(p: IpPermission): { cidr: string; path: (string | number)[] }[] {
  const out: { cidr: string; path: (string | number)[] }[] = [];
  (p.IpRanges ?? []).forEach((r, i) => {
    if (r.CidrIp === '0.0.0.0/0') out.push({ cidr: r.CidrIp, path: ['IpRanges', i] });
  });
  (p.Ipv6Ranges ?? []).forEach((r, i) => {
    if (r.CidrIpv6 === '::/0') out.push({ cidr: r.CidrIpv6, path: ['Ipv6Ranges', i] });
  });
  return out;
}

/**
 * What an ingress permission exposes, most severe class only: every port; SSH/RDP; a database;
 * anything other than 80/443. Null for ICMP and for 80/443 alone.
 */
export function exposureOf(p: IpPermission): Exposure | null {
  const proto = (p.IpProtocol ?? '-1').toLowerCase();
  if (proto === '-1' || proto === 'all') return { kind: 'all', ports: 'all protocols and ports' };
  if (!['tcp', 'udp', '6', '17'].includes(proto)) return null; // icmp, icmpv6, other protocols
  const name = proto === '6' ? 'tcp' : proto === '17' ? 'udp' : proto;
  const from = p.FromPort ?? 0;
  const to = p.ToPort ?? 65535;
  const ports = from === to ? `${name}/${from}` : `${name}/${from}-${to}`;
  if ((from <= 0 && to >= 65535) || from === -1) return { kind: 'all', ports };
  const inRange = (port: number): boolean => port >= from && port <= to;
  const admin = [...ADMIN_PORTS].filter(([port]) => inRange(port)).map(([port, svc]) => `${svc} ${port}`);
  if (admin.length) return { kind: 'admin', ports, services: admin };
  const db = [...DATABASE_PORTS].filter(([port]) => inRange(port)).map(([port, svc]) => `${svc} ${port}`);
  if (db.length) return { kind: 'database', ports, services: db };
  for (let port = from; port <= to; port++) if (!WEB_PORTS.has(port)) return { kind: 'other', ports };
  return null;
}

/** " (SSH 22, RDP 3389)" for admin and database exposures, "" otherwise. */
export function servicesNote(e: Exposure): string {
  return e.kind === 'admin' || e.kind === 'database' ? ` (${e.services.join(', ')})` : '';
}

/** One finding per security-group ingress permission open to the internet with an exposure of `kind`. */
export function internetIngressFindings(meta: RuleMeta, kind: Exposure['kind'], resources: readonly AwsResource[], ctx: AwsCheckContext): Finding[] {
  const out: Finding[] = [];
  for (const r of resourcesOf(resources, 'security-group')) {
    (r.group.IpPermissions ?? []).forEach((p, i) => {
      const open = openSources(p);
      const exposure = exposureOf(p);
      if (!open.length || exposure?.kind !== kind) return;
      const group = `security group ${r.name}${r.group.GroupName ? ` (${r.group.GroupName})` : ''}`;
      const message = `${group} allows ${exposure.ports}${servicesNote(exposure)} from ${open.map((o) => o.cidr).join(' and ')}`;
      out.push(ctx.finding(meta, r, ['IpPermissions', i, ...open[0]!.path], message, String(i)));
    });
  }
  return out;
}

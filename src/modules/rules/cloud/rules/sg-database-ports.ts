import type { Finding } from '../../../../core/finding.js';
import { exposureOf, openSources, servicesNote } from '../network.js';
import { SG_RULES, defineMeta, resourcesOf, type AwsRule } from '../rule.js';

export const meta = defineMeta({
  id: 'BW-AWS-016',
  title: 'Security group allows a database port from the internet',
  severity: 'HIGH',
  rationale:
    'Database and data store ports (MySQL 3306, PostgreSQL 5432, SQL Server 1433, Oracle 1521, Redis 6379, MongoDB 27017, Elasticsearch 9200) open to the internet are found by mass scanners and are a common source of data theft and ransom.',
  remediation: 'Allow the database port only from the application security group (a security group reference, not a CIDR) and keep data stores in private subnets.',
  references: [`${SG_RULES}`, 'https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Overview.RDSSecurityGroups.html'],
  aliases: [],
});

export const rule: AwsRule = {
  meta,
  check(resources, ctx) {
    const out: Finding[] = [];
    for (const r of resourcesOf(resources, 'security-group')) {
      (r.group.IpPermissions ?? []).forEach((p, i) => {
        const open = openSources(p);
        const exposure = exposureOf(p);
        if (!open.length || exposure?.kind !== 'database') return;
        const what = servicesNote(exposure);
        out.push(
          ctx.finding(meta, r, ['IpPermissions', i, ...open[0]!.path], `security group ${r.name}${r.group.GroupName ? ` (${r.group.GroupName})` : ''} allows ${exposure.ports}${what} from ${open.map((o) => o.cidr).join(' and ')}`, String(i)),
        );
      });
    }
    return out;
  },
};

import { internetIngressFindings } from '../network.js';
import { SG_RULES, defineMeta, type AwsRule } from '../rule.js';

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
  check: (resources, ctx) => internetIngressFindings(meta, 'database', resources, ctx),
};

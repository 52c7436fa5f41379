import type { PolicyDocument, PolicyStatement } from '../../../cloud/types.js';

export interface IndexedStatement {
  statement: PolicyStatement;
  /** Field path of the statement below the policy document: ["Statement", i] or ["Statement"]. */
  path: (string | number)[];
}

export function statementsOf(doc: PolicyDocument): IndexedStatement[] {
  return Array.isArray(doc.Statement)
    ? doc.Statement.map((statement, i) => ({ statement, path: ['Statement', i] }))
    : [{ statement: doc.Statement, path: ['Statement'] }];
}

export function list(v: string | string[] | undefined): string[] {
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}

export function isAllow(s: PolicyStatement): boolean {
  return s.Effect === 'Allow';
}

/** IAM wildcard match ("*" any run, "?" one character), case-insensitive as IAM action names are. */
export function globMatch(pattern: string, value: string): boolean {
  const re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 'i');
  return re.test(value);
}

/** Whether an Allow statement grants the action (Action patterns, or anything NotAction leaves out). */
export function grants(s: PolicyStatement, action: string): boolean {
  if (!isAllow(s)) return false;
  if (s.NotAction !== undefined) return !list(s.NotAction).some((p) => globMatch(p, action));
  return list(s.Action).some((p) => globMatch(p, action));
}

/** Whether the statement applies to every resource ("*" in Resource, or any NotResource). */
export function onAnyResource(s: PolicyStatement): boolean {
  if (s.NotResource !== undefined) return true;
  return list(s.Resource).includes('*');
}

/** Allow "*" on "*": full administrator. */
export function isFullAdmin(s: PolicyStatement): boolean {
  return isAllow(s) && s.NotAction === undefined && list(s.Action).includes('*') && list(s.Resource).includes('*') && s.Condition === undefined;
}

/** The actions of a document that Allow statements grant, of those asked about. */
export function grantedOf(doc: PolicyDocument, actions: readonly string[]): Set<string> {
  const out = new Set<string>();
  for (const { statement } of statementsOf(doc)) for (const a of actions) if (grants(statement, a)) out.add(a);
  return out;
}

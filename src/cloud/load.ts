import { LineCounter, parseDocument, type Document } from 'yaml';
import { z } from 'zod';
import { decodePolicyDocument } from './policy-document.js';
import type { AwsLoadResult, AwsResource, AwsSource, JsonPath } from './types.js';

/**
 * Reads one JSON document the AWS CLI printed and turns it into resources. Recognised shapes:
 *
 * | command                                   | shape                                              |
 * |-------------------------------------------|----------------------------------------------------|
 * | aws ecs describe-task-definition          | {taskDefinition: {containerDefinitions, ...}}      |
 * | aws ecs register-task-definition input    | {family, containerDefinitions, ...}                |
 * | aws ecs describe-services                 | {services: [...], failures}                        |
 * | aws iam get-policy-version                | {PolicyVersion: {Document}} (+ optional PolicyArn) |
 * | a bare IAM policy document                | {Version, Statement}                               |
 * | aws iam get-role-policy                   | {RoleName, PolicyName, PolicyDocument}             |
 * | aws iam list-attached-role-policies       | {AttachedPolicies: [...]} (+ optional RoleName)    |
 * | aws iam get-role                          | {Role: {RoleName, Arn, AssumeRolePolicyDocument}}  |
 * | aws ec2 describe-security-groups          | {SecurityGroups: [...]}                            |
 * | aws ecr describe-repositories             | {repositories: [...]}                              |
 * | aws ecr get-repository-policy             | {repositoryName, policyText}                       |
 * | aws ecr get-lifecycle-policy              | {repositoryName, lifecyclePolicyText}              |
 *
 * The bundle puts several of these in one file:
 *
 *     {
 *       "bulwarkAwsBundle": 1,
 *       "documents": [
 *         {"taskDefinition": {...}},
 *         {"RoleName": "web-task", "AttachedPolicies": [...]},
 *         {"PolicyArn": "arn:aws:iam::123456789012:policy/web", "PolicyVersion": {"Document": {...}}},
 *         {"SecurityGroups": [...]}
 *       ]
 *     }
 *
 * Each element of `documents` is any of the shapes above (bundles do not nest); pointers say
 * "/documents/2/PolicyVersion/Document". `RoleName` beside `AttachedPolicies` and `PolicyArn` beside
 * `PolicyVersion` are the bundle's (and a hand-edited file's) way to say what the CLI output leaves out,
 * so that policies can be tied to the task roles that use them.
 */
export function loadAwsDocuments(path: string, text: string): AwsLoadResult {
  const warnings: string[] = [];
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    return { resources: [], warnings: [`${path}: not valid JSON (${(e as Error).message})`] };
  }
  const positions = new Positions(text);
  const resources: AwsResource[] = [];
  const ctx: LoadContext = { path, positions, warnings, resources };
  if (isObject(data) && 'bulwarkAwsBundle' in data) {
    const bundle = BundleSchema.safeParse(data);
    if (!bundle.success) {
      warnings.push(`${path}: bulwarkAwsBundle document is not valid (${describeIssues(bundle.error)})`);
      return { resources, warnings };
    }
    bundle.data.documents.forEach((doc, i) => {
      if (isObject(doc) && 'bulwarkAwsBundle' in doc) warnings.push(`${path}#/documents/${i}: bundles do not nest; skipped`);
      else readDocument(ctx, doc, ['documents', i]);
    });
  } else {
    readDocument(ctx, data, []);
  }
  return { resources, warnings };
}

// ---------------------------------------------------------------------------------------------------
// Schemas: loose (passthrough) so every field the CLI prints stays available to the rules, strict
// enough that a rule can rely on the types of the fields it reads.

const str = z.string();
const KeyValueSchema = z.object({ name: str.optional(), value: str.optional() }).passthrough();
const ContainerSchema = z
  .object({
    name: str.optional(),
    image: str.optional(),
    user: str.optional(),
    privileged: z.boolean().optional(),
    readonlyRootFilesystem: z.boolean().optional(),
    environment: z.array(KeyValueSchema).optional(),
    secrets: z.array(z.object({ name: str.optional(), valueFrom: str.optional() }).passthrough()).optional(),
    logConfiguration: z
      .object({ logDriver: str.optional(), options: z.record(str).optional() })
      .passthrough()
      .nullable()
      .optional(),
  })
  .passthrough();
const TaskDefinitionSchema = z
  .object({
    family: str.optional(),
    revision: z.number().optional(),
    taskDefinitionArn: str.optional(),
    taskRoleArn: str.optional(),
    executionRoleArn: str.optional(),
    networkMode: str.optional(),
    pidMode: str.optional(),
    ipcMode: str.optional(),
    requiresCompatibilities: z.array(str).optional(),
    containerDefinitions: z.array(ContainerSchema),
  })
  .passthrough();
const ServiceSchema = z
  .object({
    serviceName: str.optional(),
    serviceArn: str.optional(),
    clusterArn: str.optional(),
    launchType: str.optional(),
    platformVersion: str.optional(),
    capacityProviderStrategy: z.array(z.object({ capacityProvider: str.optional() }).passthrough()).optional(),
    networkConfiguration: z
      .object({
        awsvpcConfiguration: z
          .object({ assignPublicIp: str.optional(), subnets: z.array(str).optional(), securityGroups: z.array(str).optional() })
          .passthrough()
          .optional(),
      })
      .passthrough()
      .optional(),
    taskDefinition: str.optional(),
  })
  .passthrough();
const strOrList = z.union([str, z.array(str)]);
const StatementSchema = z
  .object({
    Sid: str.optional(),
    Effect: str.optional(),
    Action: strOrList.optional(),
    NotAction: strOrList.optional(),
    Resource: strOrList.optional(),
    NotResource: strOrList.optional(),
    Principal: z.unknown().optional(),
    Condition: z.unknown().optional(),
  })
  .passthrough();
const PolicyDocumentSchema = z
  .object({ Version: str.optional(), Statement: z.union([StatementSchema, z.array(StatementSchema)]) })
  .passthrough();
const AttachedPolicySchema = z.object({ PolicyName: str.optional(), PolicyArn: str.optional() }).passthrough();
const IpRangeSchema = z.object({ CidrIp: str.optional(), CidrIpv6: str.optional(), Description: str.optional() }).passthrough();
const SecurityGroupSchema = z
  .object({
    GroupId: str.optional(),
    GroupName: str.optional(),
    VpcId: str.optional(),
    IpPermissions: z
      .array(
        z
          .object({
            IpProtocol: str.optional(),
            FromPort: z.number().optional(),
            ToPort: z.number().optional(),
            IpRanges: z.array(IpRangeSchema).optional(),
            Ipv6Ranges: z.array(IpRangeSchema).optional(),
          })
          .passthrough(),
      )
      .optional(),
  })
  .passthrough();
const RepositorySchema = z
  .object({
    repositoryName: str.optional(),
    repositoryArn: str.optional(),
    imageTagMutability: str.optional(),
    imageScanningConfiguration: z.object({ scanOnPush: z.boolean().optional() }).passthrough().optional(),
  })
  .passthrough();
const BundleSchema = z.object({ bulwarkAwsBundle: z.literal(1), documents: z.array(z.unknown()) }).passthrough();

// ---------------------------------------------------------------------------------------------------

type WithoutSource<T> = T extends unknown ? Omit<T, 'source'> : never;

interface LoadContext {
  path: string;
  positions: Positions;
  warnings: string[];
  resources: AwsResource[];
}

function readDocument(ctx: LoadContext, doc: unknown, at: JsonPath): void {
  const where = at.length ? `${ctx.path}#${pointerOf(at)}` : ctx.path;
  if (!isObject(doc)) {
    ctx.warnings.push(`${where}: not a recognised AWS CLI document (expected a JSON object)`);
    return;
  }
  const parse = <T>(schema: z.ZodType<T>, value: unknown, path: JsonPath, what: string): T | undefined => {
    const r = schema.safeParse(value);
    if (r.success) return r.data;
    ctx.warnings.push(`${ctx.path}#${pointerOf(path)}: ${what} is not valid (${describeIssues(r.error)}); skipped`);
    return undefined;
  };
  const add = (resource: WithoutSource<AwsResource>, path: JsonPath): void => {
    ctx.resources.push({ ...resource, source: ctx.positions.source(ctx.path, path) } as AwsResource);
  };

  if ('taskDefinition' in doc && isObject(doc.taskDefinition)) {
    const p = [...at, 'taskDefinition'];
    const td = parse(TaskDefinitionSchema, doc.taskDefinition, p, 'taskDefinition');
    if (td) add({ kind: 'ecs-task-definition', name: taskDefinitionName(td), taskDefinition: td }, p);
    return;
  }
  if ('containerDefinitions' in doc) {
    const td = parse(TaskDefinitionSchema, doc, at, 'task definition (register-task-definition input)');
    if (td) add({ kind: 'ecs-task-definition', name: taskDefinitionName(td), taskDefinition: td }, at);
    return;
  }
  if (Array.isArray(doc.services)) {
    doc.services.forEach((s, i) => {
      const p = [...at, 'services', i];
      const svc = parse(ServiceSchema, s, p, 'service');
      if (svc) add({ kind: 'ecs-service', name: svc.serviceName ?? svc.serviceArn ?? `services[${i}]`, service: svc }, p);
    });
    return;
  }
  if ('PolicyVersion' in doc) {
    const p = [...at, 'PolicyVersion', 'Document'];
    const raw = isObject(doc.PolicyVersion) ? decodePolicyDocument(doc.PolicyVersion.Document) : undefined;
    const pd = parse(PolicyDocumentSchema, raw, p, 'PolicyVersion.Document');
    if (!pd) return;
    const policyArn = typeof doc.PolicyArn === 'string' ? doc.PolicyArn : undefined;
    const roleName = typeof doc.RoleName === 'string' ? doc.RoleName : undefined;
    const version = isObject(doc.PolicyVersion) && typeof doc.PolicyVersion.VersionId === 'string' ? doc.PolicyVersion.VersionId : undefined;
    const name = policyArn ?? `${basename(ctx.path)}${version ? ` (${version})` : ''}`;
    add({ kind: 'iam-policy', name, document: pd, ...(policyArn ? { policyArn } : {}), ...(roleName ? { roleName } : {}) }, p);
    return;
  }
  if ('PolicyDocument' in doc && 'PolicyName' in doc) {
    const p = [...at, 'PolicyDocument'];
    const pd = parse(PolicyDocumentSchema, decodePolicyDocument(doc.PolicyDocument), p, 'PolicyDocument');
    if (!pd) return;
    const roleName = typeof doc.RoleName === 'string' ? doc.RoleName : undefined;
    const name = `${roleName ? `${roleName}/` : ''}${String(doc.PolicyName)}`;
    add({ kind: 'iam-policy', name, document: pd, ...(roleName ? { roleName } : {}) }, p);
    return;
  }
  if ('Statement' in doc) {
    const pd = parse(PolicyDocumentSchema, doc, at, 'policy document');
    if (pd) {
      const policyArn = typeof doc.PolicyArn === 'string' ? doc.PolicyArn : undefined;
      add({ kind: 'iam-policy', name: policyArn ?? basename(ctx.path), document: pd, ...(policyArn ? { policyArn } : {}) }, at);
    }
    return;
  }
  if ('AttachedPolicies' in doc) {
    const list = parse(z.array(AttachedPolicySchema), doc.AttachedPolicies, [...at, 'AttachedPolicies'], 'AttachedPolicies');
    if (!list) return;
    const roleName = typeof doc.RoleName === 'string' ? doc.RoleName : undefined;
    add({ kind: 'iam-role', name: roleName ?? basename(ctx.path), ...(roleName ? { roleName } : {}), attachedPolicies: list }, at);
    return;
  }
  if ('Role' in doc && isObject(doc.Role)) {
    const p = [...at, 'Role'];
    const role = parse(
      z.object({ RoleName: str, Arn: str.optional(), AssumeRolePolicyDocument: z.unknown().optional() }).passthrough(),
      doc.Role,
      p,
      'Role',
    );
    if (!role) return;
    const trust = PolicyDocumentSchema.safeParse(decodePolicyDocument(role.AssumeRolePolicyDocument));
    add(
      {
        kind: 'iam-role',
        name: role.RoleName,
        roleName: role.RoleName,
        ...(role.Arn ? { roleArn: role.Arn } : {}),
        ...(trust.success ? { assumeRolePolicy: trust.data } : {}),
      },
      p,
    );
    return;
  }
  if (Array.isArray(doc.SecurityGroups)) {
    doc.SecurityGroups.forEach((g, i) => {
      const p = [...at, 'SecurityGroups', i];
      const group = parse(SecurityGroupSchema, g, p, 'security group');
      if (group) add({ kind: 'security-group', name: group.GroupId ?? group.GroupName ?? `SecurityGroups[${i}]`, group }, p);
    });
    return;
  }
  if (Array.isArray(doc.repositories)) {
    doc.repositories.forEach((r, i) => {
      const p = [...at, 'repositories', i];
      const repository = parse(RepositorySchema, r, p, 'repository');
      if (repository) add({ kind: 'ecr-repository', name: repository.repositoryName ?? `repositories[${i}]`, repository }, p);
    });
    return;
  }
  if (typeof doc.policyText === 'string') {
    const repositoryName = typeof doc.repositoryName === 'string' ? doc.repositoryName : undefined;
    let parsed: unknown;
    try {
      parsed = JSON.parse(doc.policyText);
    } catch (e) {
      ctx.warnings.push(`${ctx.path}#${pointerOf([...at, 'policyText'])}: policyText is not valid JSON (${(e as Error).message}); skipped`);
      return;
    }
    const pd = parse(PolicyDocumentSchema, parsed, [...at, 'policyText'], 'policyText');
    if (pd) add({ kind: 'ecr-repository-policy', name: repositoryName ?? basename(ctx.path), ...(repositoryName ? { repositoryName } : {}), document: pd }, at);
    return;
  }
  if (typeof doc.lifecyclePolicyText === 'string') {
    const repositoryName = typeof doc.repositoryName === 'string' ? doc.repositoryName : undefined;
    add(
      { kind: 'ecr-lifecycle-policy', name: repositoryName ?? basename(ctx.path), ...(repositoryName ? { repositoryName } : {}), text: doc.lifecyclePolicyText },
      at,
    );
    return;
  }
  const keys = Object.keys(doc).slice(0, 5).join(', ');
  ctx.warnings.push(`${where}: not a recognised AWS CLI document (top-level keys: ${keys || 'none'}); skipped`);
}

function taskDefinitionName(td: z.infer<typeof TaskDefinitionSchema>): string {
  if (td.family) return td.revision !== undefined ? `${td.family}:${td.revision}` : td.family;
  return td.taskDefinitionArn ?? 'task definition';
}


function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`)
    .join('; ');
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function basename(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** RFC 6901 JSON pointer. */
export function pointerOf(path: JsonPath): string {
  return path.map((s) => `/${String(s).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
}

/** Line numbers for JSON paths, from yaml's position-tracking parse (JSON is YAML); parsed on first use. */
class Positions {
  private doc: Document | undefined;
  private readonly counter = new LineCounter();
  private failed = false;

  constructor(private readonly text: string) {}

  source(file: string, at: JsonPath): AwsSource {
    const line = this.lineAt(at);
    return {
      file,
      pointer: pointerOf(at),
      ...(line !== undefined ? { line } : {}),
      lineOf: (path) => this.lineAt([...at, ...path]),
    };
  }

  /** The line of the node at path, or of its nearest present ancestor. */
  lineAt(path: JsonPath): number | undefined {
    const doc = this.document();
    if (!doc) return undefined;
    for (let n = path.length; n >= 0; n--) {
      const node = doc.getIn(path.slice(0, n), true) as { range?: [number, number, number] } | undefined;
      if (node && typeof node === 'object' && node.range) return this.counter.linePos(node.range[0]).line;
      if (n === 0) {
        const root = doc.contents as { range?: [number, number, number] } | null;
        return root?.range ? this.counter.linePos(root.range[0]).line : undefined;
      }
    }
    return undefined;
  }

  private document(): Document | undefined {
    if (this.doc || this.failed) return this.doc;
    try {
      this.doc = parseDocument(this.text, { lineCounter: this.counter, uniqueKeys: false, strict: false });
    } catch {
      this.failed = true;
    }
    return this.doc;
  }
}

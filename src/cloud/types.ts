/**
 * The offline AWS model: what `bulwark cloud PATH...` reads from the JSON documents the AWS CLI prints
 * (describe-task-definition, describe-services, get-policy-version, describe-security-groups, ...).
 * Each resource keeps the file it came from and the JSON pointer of the object inside it, so a finding
 * can say "task.json#/taskDefinition/containerDefinitions/0/privileged" and, when cheap, the line.
 */

export type JsonPath = readonly (string | number)[];

export interface AwsSource {
  /** The file as the user named it. */
  file: string;
  /** JSON pointer (RFC 6901) of the resource object inside the file, "" for the whole document. */
  pointer: string;
  /** 1-based line of the resource object, when known. */
  line?: number;
  /** 1-based line of a field below the resource object (path relative to it), when known. */
  lineOf(path: JsonPath): number | undefined;
}

export interface KeyValue {
  name?: string;
  value?: string;
}

export interface ContainerDefinition {
  name?: string;
  image?: string;
  user?: string;
  privileged?: boolean;
  readonlyRootFilesystem?: boolean;
  environment?: KeyValue[];
  secrets?: { name?: string; valueFrom?: string }[];
  logConfiguration?: { logDriver?: string; options?: Record<string, string> } | null;
  [key: string]: unknown;
}

export interface TaskDefinition {
  family?: string;
  revision?: number;
  taskDefinitionArn?: string;
  taskRoleArn?: string;
  executionRoleArn?: string;
  networkMode?: string;
  pidMode?: string;
  ipcMode?: string;
  requiresCompatibilities?: string[];
  containerDefinitions: ContainerDefinition[];
  [key: string]: unknown;
}

export interface EcsService {
  serviceName?: string;
  serviceArn?: string;
  clusterArn?: string;
  launchType?: string;
  platformVersion?: string;
  capacityProviderStrategy?: { capacityProvider?: string }[];
  networkConfiguration?: { awsvpcConfiguration?: { assignPublicIp?: string; subnets?: string[]; securityGroups?: string[] } };
  taskDefinition?: string;
  [key: string]: unknown;
}

export interface PolicyStatement {
  Sid?: string;
  Effect?: string;
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: string | string[];
  NotResource?: string | string[];
  Principal?: unknown;
  Condition?: unknown;
  [key: string]: unknown;
}

export interface PolicyDocument {
  Version?: string;
  Statement: PolicyStatement | PolicyStatement[];
  [key: string]: unknown;
}

export interface IpRange {
  CidrIp?: string;
  CidrIpv6?: string;
  Description?: string;
}

export interface IpPermission {
  IpProtocol?: string;
  FromPort?: number;
  ToPort?: number;
  IpRanges?: IpRange[];
  Ipv6Ranges?: IpRange[];
  [key: string]: unknown;
}

export interface SecurityGroup {
  GroupId?: string;
  GroupName?: string;
  VpcId?: string;
  IpPermissions?: IpPermission[];
  [key: string]: unknown;
}

export interface EcrRepository {
  repositoryName?: string;
  repositoryArn?: string;
  imageTagMutability?: string;
  imageScanningConfiguration?: { scanOnPush?: boolean };
  [key: string]: unknown;
}

export interface AttachedPolicy {
  PolicyName?: string;
  PolicyArn?: string;
}

/** One resource from one document. */
export type AwsResource =
  | { kind: 'ecs-task-definition'; name: string; source: AwsSource; taskDefinition: TaskDefinition }
  | { kind: 'ecs-service'; name: string; source: AwsSource; service: EcsService }
  | {
      kind: 'iam-policy';
      name: string;
      source: AwsSource;
      document: PolicyDocument;
      /** Managed policy ARN, when the document says (bundle entries and `PolicyArn` beside `PolicyVersion`). */
      policyArn?: string;
      /** The role the policy belongs to, when known (get-role-policy output, or a bundle entry's RoleName). */
      roleName?: string;
    }
  | {
      kind: 'iam-role';
      name: string;
      source: AwsSource;
      roleName?: string;
      roleArn?: string;
      /** From list-attached-role-policies. */
      attachedPolicies?: AttachedPolicy[];
      assumeRolePolicy?: PolicyDocument;
    }
  | { kind: 'security-group'; name: string; source: AwsSource; group: SecurityGroup }
  | { kind: 'ecr-repository'; name: string; source: AwsSource; repository: EcrRepository }
  | { kind: 'ecr-repository-policy'; name: string; source: AwsSource; repositoryName?: string; document: PolicyDocument }
  | { kind: 'ecr-lifecycle-policy'; name: string; source: AwsSource; repositoryName?: string; text: string };

export type AwsResourceKind = AwsResource['kind'];

export interface AwsLoadResult {
  resources: AwsResource[];
  warnings: string[];
}

import { EC2Client } from '@aws-sdk/client-ec2';
import { ECRClient } from '@aws-sdk/client-ecr';
import { ECSClient } from '@aws-sdk/client-ecs';
import { IAMClient } from '@aws-sdk/client-iam';

export interface AwsClientOptions {
  region: string;
  /** Overrides every client's endpoint, like `aws --endpoint-url` (LocalStack, tests). */
  endpointUrl?: string;
  /** A profile from ~/.aws/config and ~/.aws/credentials; otherwise the SDK's default chain. */
  profile?: string;
  timeoutMs: number;
}

export interface AwsClients {
  ecs: ECSClient;
  iam: IAMClient;
  ec2: EC2Client;
  ecr: ECRClient;
  destroy(): void;
}

/** One client per service, sharing region, endpoint, profile, timeouts and a low retry count. */
export function createAwsClients(options: AwsClientOptions): AwsClients {
  const config = {
    region: options.region,
    ...(options.endpointUrl ? { endpoint: options.endpointUrl } : {}),
    ...(options.profile ? { profile: options.profile } : {}),
    maxAttempts: 2,
    requestHandler: { connectionTimeout: options.timeoutMs, requestTimeout: options.timeoutMs, throwOnRequestTimeout: true },
  };
  const clients = { ecs: new ECSClient(config), iam: new IAMClient(config), ec2: new EC2Client(config), ecr: new ECRClient(config) };
  return {
    ...clients,
    destroy() {
      for (const c of Object.values(clients)) c.destroy();
    },
  };
}

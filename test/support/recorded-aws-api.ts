/**
 * A stand-in for the AWS endpoints the live collector calls, on 127.0.0.1 (port 0), answering from
 * recorded answers in test/fixtures/cloud/api/<service>/ with the real wire protocols:
 * ECS and ECR speak awsJson1_1 (POST /, X-Amz-Target, JSON), IAM awsQuery (form body, XML in
 * <ActionResponse><ActionResult>), EC2 ec2Query (form body, XML in <ActionResponse>).
 *
 * A recorded answer is the file <Action>[_<param>...].json|xml, the params being the ones KEY_PARAMS
 * names for the action, each reduced to the part after its last "/" with other characters made "-".
 * A JSON answer with "__type" or an XML <ErrorResponse>/<Response><Errors> is sent as an error.
 */
import { readFileSync, existsSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { fileURLToPath } from 'node:url';

export const API_FIXTURES = fileURLToPath(new URL('../fixtures/cloud/api/', import.meta.url));

export type AwsService = 'ecs' | 'ecr' | 'iam' | 'ec2';
/** deny: AccessDenied; reject: the credentials are not valid; error500: a server error; stall: accept and never answer; garbage: 200 with a body that is not the protocol's. */
export type Misbehaviour = 'deny' | 'reject' | 'error500' | 'stall' | 'garbage';

export interface RecordedRequest {
  service: AwsService;
  action: string;
  params: Record<string, unknown>;
  /** The fixture the answer came from ('' for a misbehaviour or a missing fixture). */
  fixture: string;
  /** The SigV4 Authorization header, if sent. */
  authorization?: string;
  /** The service in the SigV4 credential scope (".../eu-west-1/ecs/aws4_request"). */
  signedFor?: string;
}

const KEY_PARAMS: Record<string, readonly string[]> = {
  ListClusters: ['nextToken'],
  ListServices: ['cluster', 'nextToken'],
  DescribeServices: ['cluster'],
  DescribeTaskDefinition: ['taskDefinition'],
  ListTaskDefinitions: ['nextToken'],
  GetRole: ['RoleName'],
  ListAttachedRolePolicies: ['RoleName', 'Marker'],
  ListRolePolicies: ['RoleName', 'Marker'],
  GetRolePolicy: ['RoleName', 'PolicyName'],
  GetPolicy: ['PolicyArn'],
  GetPolicyVersion: ['PolicyArn', 'VersionId'],
  DescribeSecurityGroups: ['NextToken'],
  DescribeRepositories: ['nextToken'],
  GetRepositoryPolicy: ['repositoryName'],
  GetLifecyclePolicy: ['repositoryName'],
};

const JSON_TARGETS: Record<string, AwsService> = {
  AmazonEC2ContainerServiceV20141113: 'ecs',
  AmazonEC2ContainerRegistry_V20150921: 'ecr',
};
const QUERY_VERSIONS: Record<string, AwsService> = { '2010-05-08': 'iam', '2016-11-15': 'ec2' };

export interface RecordedAwsApi {
  url: string;
  requests: RecordedRequest[];
  /** Requests no recorded answer existed for (a test should expect none). */
  missing: string[];
  /** Makes every call of action misbehave (optionally only when a key param equals `when`). */
  misbehave(action: string, how: Misbehaviour, when?: string): void;
  close(): Promise<void>;
}

export async function startRecordedAwsApi(fixtures = API_FIXTURES): Promise<RecordedAwsApi> {
  const requests: RecordedRequest[] = [];
  const missing: string[] = [];
  const rules: { action: string; how: Misbehaviour; when?: string }[] = [];
  const sockets = new Set<Socket>();

  const server: Server = createServer((req, res) => {
    void readBody(req).then((body) => {
      const call = parseCall(req, body);
      if (!call) {
        res.writeHead(400, { 'content-type': 'text/plain' }).end('not an AWS API request');
        return;
      }
      const auth = typeof req.headers.authorization === 'string' ? req.headers.authorization : undefined;
      const record: RecordedRequest = {
        ...call,
        fixture: '',
        ...(auth ? { authorization: auth, signedFor: /Credential=[^/]+\/\d{8}\/[^/]+\/([^/]+)\/aws4_request/.exec(auth)?.[1] ?? '' } : {}),
      };
      requests.push(record);
      const keys = keyValuesOf(call.action, call.params);
      const rule = rules.find((r) => r.action === call.action && (r.when === undefined || keys.includes(r.when)));
      if (rule) {
        misbehave(res, call.service, call.action, rule.how);
        return;
      }
      const base = [call.action, ...keys].join('_');
      for (const ext of ['json', 'xml']) {
        const file = `${fixtures}${call.service}/${base}.${ext}`;
        if (!existsSync(file)) continue;
        record.fixture = `${call.service}/${base}.${ext}`;
        answer(res, call.service, readFileSync(file, 'utf8'));
        return;
      }
      missing.push(`${call.service}/${base}`);
      misbehave(res, call.service, call.action, 'missing');
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    missing,
    misbehave(action, how, when) {
      rules.push({ action, how, ...(when !== undefined ? { when } : {}) });
    },
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}

function parseCall(req: IncomingMessage, body: string): { service: AwsService; action: string; params: Record<string, unknown> } | undefined {
  if (req.method !== 'POST') return undefined;
  const target = req.headers['x-amz-target'];
  if (typeof target === 'string') {
    const [prefix = '', action = ''] = target.split('.');
    const service = JSON_TARGETS[prefix];
    if (!service || !action) return undefined;
    try {
      return { service, action, params: body ? (JSON.parse(body) as Record<string, unknown>) : {} };
    } catch {
      return undefined;
    }
  }
  const form = Object.fromEntries(new URLSearchParams(body));
  const service = QUERY_VERSIONS[form.Version ?? ''];
  if (!service || !form.Action) return undefined;
  const { Action: action, Version: _version, ...params } = form;
  return { service, action, params };
}

function keyValuesOf(action: string, params: Record<string, unknown>): string[] {
  return (KEY_PARAMS[action] ?? [])
    .map((k) => params[k])
    .filter((v): v is string => typeof v === 'string' && v !== '')
    .map((v) => v.slice(v.lastIndexOf('/') + 1).replace(/[^A-Za-z0-9_.-]/g, '-'));
}

const REQUEST_ID = '6f1e1c2a-7d1b-4c4e-9a57-3b0c8e2f4d10';

function answer(res: ServerResponse, service: AwsService, text: string): void {
  if (service === 'ecs' || service === 'ecr') {
    const isError = (JSON.parse(text) as { __type?: unknown }).__type !== undefined;
    res.writeHead(isError ? 400 : 200, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': REQUEST_ID }).end(text);
    return;
  }
  const isError = /^\s*(<\?xml[^>]*>\s*)?<(ErrorResponse|Response)\b/.test(text);
  res.writeHead(isError ? 400 : 200, { 'content-type': 'text/xml', 'x-amzn-requestid': REQUEST_ID }).end(text);
}

function misbehave(res: ServerResponse, service: AwsService, action: string, how: Misbehaviour | 'missing'): void {
  if (how === 'stall') return; // accept, read, never answer
  if (how === 'garbage') {
    res.writeHead(200, { 'content-type': service === 'ecs' || service === 'ecr' ? 'application/x-amz-json-1.1' : 'text/xml' }).end('<html><body>captive portal</body>\u0000{{{');
    return;
  }
  const status = how === 'deny' || how === 'reject' ? (service === 'iam' || service === 'ec2' ? 403 : 400) : how === 'error500' ? 500 : 400;
  const message =
    how === 'deny'
      ? `User: arn:aws:iam::123456789012:user/auditor is not authorized to perform: ${service}:${action} because no identity-based policy allows the ${service}:${action} action`
      : how === 'reject'
        ? 'The security token included in the request is invalid.'
        : how === 'error500'
          ? 'We encountered an internal error. Please try again.'
          : `no recorded answer for ${service}:${action}`;
  if (service === 'ecs' || service === 'ecr') {
    const type = { deny: 'AccessDeniedException', reject: 'UnrecognizedClientException', error500: 'ServerException', missing: 'InvalidParameterException' }[how];
    res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': REQUEST_ID }).end(JSON.stringify({ __type: type, message }));
    return;
  }
  if (service === 'iam') {
    const code = { deny: 'AccessDenied', reject: 'InvalidClientTokenId', error500: 'ServiceFailure', missing: 'InvalidInput' }[how];
    const type = how === 'error500' ? 'Receiver' : 'Sender';
    res
      .writeHead(status, { 'content-type': 'text/xml', 'x-amzn-requestid': REQUEST_ID })
      .end(
        `<ErrorResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/">\n  <Error>\n    <Type>${type}</Type>\n    <Code>${code}</Code>\n    <Message>${message}</Message>\n  </Error>\n  <RequestId>${REQUEST_ID}</RequestId>\n</ErrorResponse>\n`,
      );
    return;
  }
  const code = { deny: 'UnauthorizedOperation', reject: 'AuthFailure', error500: 'InternalError', missing: 'InvalidParameterValue' }[how];
  res
    .writeHead(status, { 'content-type': 'text/xml;charset=UTF-8' })
    .end(`<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>${code}</Code><Message>${message}</Message></Error></Errors><RequestID>${REQUEST_ID}</RequestID></Response>`);
}

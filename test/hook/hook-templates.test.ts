/**
 * The hook handler's stack and change set requests: the payload is downloaded from its presigned URL
 * (here a loopback HTTP server standing in for Amazon S3), the template or the changed resources are
 * evaluated, and every documented shape gets a deliberate answer — never InternalFailure for a
 * well-formed request whose payload could be read.
 */
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { createHookHandler, HookResponse } from '../../hook/hook-handler';
import { hookSettingsFrom, HookSettingsDocument } from '../../hook/hook-settings';
import { createTaskDefinitionLookup } from '../../hook/task-definition-lookup';
import { loadFixture } from '../fixtures/load';
import { loopbackPerTest } from '../runtime/loopback-harness';

type Json = Record<string, any>;

const harness = loopbackPerTest();

/** What the stand-in for S3 answers, and the paths it was asked for. */
const bucket = { status: 200, body: '', requests: [] as string[] };
let server: Server;
let origin: string;

beforeAll(async () => {
  server = createServer((request, response) => {
    bucket.requests.push(request.url ?? '');
    response.writeHead(bucket.status, { 'content-type': 'application/json' }).end(bucket.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));
beforeEach(() => Object.assign(bucket, { status: 200, body: '', requests: [] }));

function hookWith(document: HookSettingsDocument = {}) {
  return createHookHandler({ settings: () => hookSettingsFrom(JSON.stringify(document)), lookup: createTaskDefinitionLookup({ totalMs: 1500, attemptMs: 500, maxAttempts: 2 }) });
}

/** The fixture request with its payload served by the stand-in bucket (the signature in the query, as S3's would be). */
function requestFor(variant: 'stack-update' | 'change-set-create', payload: unknown, mutate: (event: Json) => void = () => {}): Json {
  bucket.body = typeof payload === 'string' ? payload : JSON.stringify(payload);
  const event = loadFixture('cloudformation-hook', variant) as Json;
  event.requestData.payload = `${origin}/123456789012/${event.clientRequestToken}?X-Amz-Signature=secret`;
  mutate(event);
  return event;
}

const PRIVILEGED_TEMPLATE = JSON.stringify({
  Resources: {
    Web: {
      Type: 'AWS::ECS::TaskDefinition',
      Properties: { ContainerDefinitions: [{ Name: 'app', Image: 'app:1', Privileged: true, User: '1000', ReadonlyRootFilesystem: true, LogConfiguration: { LogDriver: 'awslogs' } }] },
    },
    Logs: { Type: 'AWS::Logs::LogGroup' },
  },
});

const HARDENED_YAML = `Resources:
  Web:
    Type: AWS::ECS::TaskDefinition
    Properties:
      Tags: [{ Key: team, Value: payments }]
      ContainerDefinitions:
        - Name: app
          Image: app:1
          User: "1000"
          Privileged: false
          ReadonlyRootFilesystem: true
          LogConfiguration: { LogDriver: awslogs }
`;

const annotationNames = (response: HookResponse, status: string) => (response.annotations ?? []).filter((annotation) => annotation.status === status).map((annotation) => annotation.annotationName);

describe('a stack request: the template as written, read as `scan` reads it', () => {
  it('refuses a template with a privileged container, naming the resource and the control', async () => {
    const event = requestFor('stack-update', { template: PRIVILEGED_TEMPLATE, previousTemplate: '{}' });

    const response = await hookWith({ controls: ['ECS.4', 'ECS.20'] })(event);

    expect(response).toMatchObject({ hookStatus: 'FAILED', errorCode: 'NonCompliant', clientRequestToken: event.clientRequestToken });
    expect(response.message).toMatch(/^Stack payments-app fails AWS::ECS::TaskDefinition Web: ECS\.4 \(HIGH\): .*privileged containers: app/);
    expect(annotationNames(response, 'FAILED')).toEqual(['ECS.4 Web']);
    expect(annotationNames(response, 'PASSED')).toEqual(['ECS.20 Web']);
    expect(bucket.requests).toEqual([`/123456789012/${event.clientRequestToken}?X-Amz-Signature=secret`]);
  });

  it('passes a hardened YAML template', async () => {
    const response = await hookWith({ controls: ['ECS.4', 'ECS.5', 'ECS.9', 'ECS.15', 'ECS.20'] })(requestFor('stack-update', { template: HARDENED_YAML, previousTemplate: '' }));

    expect(response).toMatchObject({ hookStatus: 'SUCCESS', message: 'Stack payments-app passes 5 control(s).' });
    expect(response.errorCode).toBeUndefined();
  });

  it('a template without ECS resources passes, saying so', async () => {
    const response = await hookWith()(requestFor('stack-update', { template: '{"Resources":{"Logs":{"Type":"AWS::Logs::LogGroup"}}}' }));
    expect(response).toMatchObject({ hookStatus: 'SUCCESS', message: 'Stack payments-app has no resource that a chosen control covers.' });
  });

  it('what the template leaves to deploy time is never a pass: InternalFailure naming the control', async () => {
    const template = JSON.stringify({
      Parameters: { RunPrivileged: { Type: 'String' } },
      Resources: { Web: { Type: 'AWS::ECS::TaskDefinition', Properties: { ContainerDefinitions: [{ Name: 'app', Image: 'app:1', Privileged: { Ref: 'RunPrivileged' } }] } } },
    });

    const response = await hookWith({ controls: ['ECS.4'] })(requestFor('stack-update', { template }));

    expect(response).toMatchObject({ hookStatus: 'FAILED', errorCode: 'InternalFailure' });
    expect(response.message).toMatch(/^Stack payments-app could not be evaluated, which is never a pass: AWS::ECS::TaskDefinition Web: ECS\.4 /);
  });

  it('a deletion passes without downloading anything', async () => {
    const event = requestFor('stack-update', { template: '', previousTemplate: PRIVILEGED_TEMPLATE }, (event) => (event.actionInvocationPoint = 'DELETE_PRE_PROVISION'));

    const response = await hookWith()(event);

    expect(response).toEqual({ hookStatus: 'SUCCESS', message: 'ecs-config-rules does not evaluate deletions.', clientRequestToken: event.clientRequestToken });
    expect(bucket.requests).toEqual([]);
  });

  it('a template that cannot be read is InternalFailure naming where', async () => {
    const response = await hookWith()(requestFor('stack-update', { template: '{"Resources": {' }));
    expect(response).toMatchObject({ hookStatus: 'FAILED', errorCode: 'InternalFailure' });
    expect(response.message).toMatch(/^ecs-config-rules could not evaluate this request: template:1: not valid JSON/);
  });
});

describe('a change set request: each changed resource as the change set would set it', () => {
  const taskDefinitionChange = (logicalResourceId: string, privileged: string, action = 'CREATE') => ({
    logicalResourceId,
    resourceType: 'AWS::ECS::TaskDefinition',
    action,
    lineNumber: 4,
    beforeContext: null,
    afterContext: JSON.stringify({ Properties: { ContainerDefinitions: [{ Name: 'app', Image: 'app:1', Privileged: privileged }] } }),
  });

  it('refuses a created privileged task definition, and leaves unchanged and deleted resources alone', async () => {
    const payload = {
      template: PRIVILEGED_TEMPLATE,
      changedResources: [
        taskDefinitionChange('Worker', 'true'),
        taskDefinitionChange('Web', 'false', 'UPDATE'),
        { logicalResourceId: 'Old', resourceType: 'AWS::ECS::TaskDefinition', action: 'DELETE', lineNumber: null, beforeContext: '{}', afterContext: null },
      ],
    };
    const event = requestFor('change-set-create', payload);

    const response = await hookWith({ controls: ['ECS.4'] })(event);

    expect(response).toMatchObject({ hookStatus: 'FAILED', errorCode: 'NonCompliant', clientRequestToken: event.clientRequestToken });
    expect(response.message).toMatch(new RegExp(`^Change set ${event.changeSetId.replace(/[/.]/g, '\\$&')} fails AWS::ECS::TaskDefinition Worker: ECS\\.4 \\(HIGH\\)`));
    expect(annotationNames(response, 'FAILED')).toEqual(['ECS.4 Worker']);
    expect(annotationNames(response, 'PASSED')).toEqual(['ECS.4 Web']);
    const failed = response.annotations!.find((annotation) => annotation.annotationName === 'ECS.4 Worker')!;
    expect(failed.statusMessage).toContain('privileged containers: app');
  });

  it('looks up a changed service’s task definition for ECS.10, as a resource request does', async () => {
    harness.aws.on('DescribeTaskDefinition', (body) => ({
      taskDefinition: { taskDefinitionArn: body.taskDefinition, family: 'web', revision: 3, status: 'ACTIVE', containerDefinitions: [], runtimePlatform: { operatingSystemFamily: 'WINDOWS_SERVER_2022_CORE' } },
    }));
    const service = {
      logicalResourceId: 'Service',
      resourceType: 'AWS::ECS::Service',
      action: 'UPDATE',
      lineNumber: 9,
      beforeContext: '{}',
      afterContext: JSON.stringify({ Properties: { LaunchType: 'FARGATE', PlatformVersion: '1.0.0', TaskDefinition: 'arn:aws:ecs:eu-west-1:123456789012:task-definition/web:3' } }),
    };

    const response = await hookWith({ controls: ['ECS.10'] })(requestFor('change-set-create', { template: '{}', changedResources: [service] }));

    expect(harness.aws.calls.map((call) => [call.operation, call.body.taskDefinition])).toEqual([['DescribeTaskDefinition', 'arn:aws:ecs:eu-west-1:123456789012:task-definition/web:3']]);
    expect(response).toMatchObject({ hookStatus: 'SUCCESS', message: expect.stringContaining('passes 1 control(s)') });
  });

  it('a change set touching no covered resource passes, saying so', async () => {
    const payload = { template: '{}', changedResources: [{ logicalResourceId: 'Queue', resourceType: 'AWS::SQS::Queue', action: 'CREATE', lineNumber: 2, beforeContext: null, afterContext: '{"Properties":{}}' }] };
    const response = await hookWith()(requestFor('change-set-create', payload));
    expect(response.message).toMatch(/^Change set arn:aws:cloudformation:.* has no resource that a chosen control covers\.$/);
    expect(response.hookStatus).toBe('SUCCESS');
  });
});

describe('a payload that cannot be read is InternalFailure, naming it without its signature', () => {
  it('an HTTP error', async () => {
    bucket.status = 403;
    const response = await hookWith()(requestFor('stack-update', '<Error><Code>AccessDenied</Code></Error>'));

    expect(response).toMatchObject({ hookStatus: 'FAILED', errorCode: 'InternalFailure' });
    expect(response.message).toBe(`ecs-config-rules could not evaluate this request: could not download the request payload from ${origin}/123456789012/7d1e4c2a-90b3-4f7e-8a61-2b5c9d0e3f14: HTTP 403`);
    expect(response.message).not.toContain('secret');
  });

  it('a body that is not JSON', async () => {
    const response = await hookWith()(requestFor('change-set-create', 'template: yes'));
    expect(response.message).toMatch(/^ecs-config-rules could not evaluate this request: the request payload from http:\/\/127\.0\.0\.1:\d+\/123456789012\/2b8f0d6e-55c1-4a9d-b3e7-6c4a1f9e0d28 is not JSON \(/);
  });

  it('a server that does not answer in time', async () => {
    const silent = createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const event = requestFor('stack-update', {}, (event) => (event.requestData.payload = `http://127.0.0.1:${(silent.address() as AddressInfo).port}/slow`));
    try {
      const response = await createHookHandler({ settings: () => hookSettingsFrom('{}'), payloadTimeoutMs: 200 })(event);
      expect(response).toMatchObject({ hookStatus: 'FAILED', errorCode: 'InternalFailure' });
      expect(response.message).toMatch(/could not download the request payload from http:\/\/127\.0\.0\.1:\d+\/slow: .*(timeout|aborted)/i);
    } finally {
      silent.closeAllConnections();
      await new Promise((resolve) => silent.close(resolve));
    }
  });
});

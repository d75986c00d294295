/**
 * The hook handler over the documented resource-operation requests (test/fixtures/cloudformation-hook),
 * with ECS.10's DescribeTaskDefinition made by the real AWS SDK against the loopback endpoint.
 */
import { createHookHandler, HookResponse } from '../../hook/hook-handler';
import { HOOK_SETTINGS_VARIABLE, hookSettingsFrom, HookSettingsDocument } from '../../hook/hook-settings';
import { createTaskDefinitionLookup } from '../../hook/task-definition-lookup';
import { loadFixture } from '../fixtures/load';
import { loopbackPerTest } from '../runtime/loopback-harness';

type Json = Record<string, any>;

const harness = loopbackPerTest();

const request = (variant: string): Json => loadFixture('cloudformation-hook', variant) as Json;

/** A handler with these settings and the SDK lookup (fast budget, so a hanging endpoint costs little). */
function hookWith(document: HookSettingsDocument = {}) {
  return createHookHandler({ settings: () => hookSettingsFrom(JSON.stringify(document)), lookup: createTaskDefinitionLookup({ totalMs: 1500, attemptMs: 500, maxAttempts: 2 }) });
}

/** DescribeTaskDefinition answers with a task definition of this OS family (none: Linux by default). */
function ecsKnowsTaskDefinition(operatingSystemFamily?: string) {
  harness.aws.on('DescribeTaskDefinition', (body) => ({
    taskDefinition: {
      taskDefinitionArn: body.taskDefinition,
      family: 'checkout-api',
      revision: 7,
      status: 'ACTIVE',
      containerDefinitions: [{ name: 'checkout-api', image: 'checkout:1.4.2' }],
      ...(operatingSystemFamily && { runtimePlatform: { operatingSystemFamily, cpuArchitecture: 'X86_64' } }),
    },
  }));
}

const failedControls = (response: HookResponse) => (response.annotations ?? []).filter((annotation) => annotation.status === 'FAILED').map((annotation) => annotation.annotationName);
const statusOf = (response: HookResponse, id: string) => response.annotations?.find((annotation) => annotation.annotationName === id)?.status;

describe('documented requests, every target type, create and update', () => {
  beforeEach(() => ecsKnowsTaskDefinition());

  test.each([
    ['create-task-definition-privileged', ['ECS.4']],
    ['update-task-definition-root-user', ['ECS.20']],
    ['cloud-control-create-task-definition-privileged', ['ECS.4']],
    ['create-service-public', ['ECS.2']],
    ['create-service-old-platform', ['ECS.10']],
    ['create-cluster-without-insights', ['ECS.12']],
    ['create-task-set-public', ['ECS.16']],
    ['create-capacity-provider-unprotected', ['ECS.19']],
  ])('%s is refused as NonCompliant naming %j', async (variant, controls) => {
    const event = request(variant);

    const response = await hookWith()(event);

    expect(response).toMatchObject({ hookStatus: 'FAILED', errorCode: 'NonCompliant', clientRequestToken: event.clientRequestToken });
    expect(failedControls(response)).toEqual(controls);
    for (const id of controls) expect(response.message).toContain(`${id} (`);
    expect(response.message).toContain(event.requestData.targetLogicalId);
    const failed = response.annotations!.find((annotation) => annotation.annotationName === controls[0])!;
    expect(failed.remediationMessage).toEqual(expect.any(String));
    expect(failed.remediationLink).toMatch(/^https:\/\/docs\.aws\.amazon\.com\/securityhub\/.*#ecs-\d+$/);
    expect(['LOW', 'MEDIUM', 'HIGH', 'CRITICAL']).toContain(failed.severityLevel);
  });

  test.each(['create-task-definition-hardened', 'update-service-hardened', 'update-cluster-insights', 'update-task-set-private', 'update-capacity-provider-protected'])(
    '%s passes, every control PASSED or SKIPPED',
    async (variant) => {
      const event = request(variant);

      const response = await hookWith()(event);

      expect(response).toMatchObject({ hookStatus: 'SUCCESS', clientRequestToken: event.clientRequestToken });
      expect(response.errorCode).toBeUndefined();
      expect(failedControls(response)).toEqual([]);
      expect(response.annotations!.some((annotation) => annotation.status === 'PASSED')).toBe(true);
    },
  );

  test('an unrelated resource type passes without annotations and without any AWS call', async () => {
    const response = await hookWith()(request('create-s3-bucket'));

    expect(response).toEqual({ hookStatus: 'SUCCESS', message: 'ecs-config-rules has no control for AWS::S3::Bucket.', clientRequestToken: request('create-s3-bucket').clientRequestToken });
    expect(harness.aws.calls).toEqual([]);
  });

  test('a deletion passes: the controls judge what is provisioned', async () => {
    const event = request('create-task-definition-privileged');
    event.actionInvocationPoint = 'DELETE_PRE_PROVISION';
    event.requestData.targetModel = { previousResourceProperties: event.requestData.targetModel.resourceProperties };

    expect(await hookWith()(event)).toMatchObject({ hookStatus: 'SUCCESS' });
  });
});

describe('string-typed values are read as CloudFormation coerces them', () => {
  test.each([
    ['"false"', 'false', 'PASSED'],
    ['"False"', 'False', 'PASSED'],
    ['"true"', 'true', 'FAILED'],
    ['"True"', 'True', 'FAILED'],
  ])('Privileged %s → ECS.4 %s', async (_label, privileged, status) => {
    const event = request('create-task-definition-hardened');
    event.requestData.targetModel.resourceProperties.ContainerDefinitions[0].Privileged = privileged;

    expect(statusOf(await hookWith()(event), 'ECS.4')).toBe(status);
  });

  test('a string ReadonlyRootFilesystem "true" satisfies ECS.5 and "false" fails it', async () => {
    const hardened = request('create-task-definition-hardened');
    const writable = request('create-task-definition-hardened');
    writable.requestData.targetModel.resourceProperties.ContainerDefinitions[0].ReadonlyRootFilesystem = 'false';

    expect(statusOf(await hookWith()(hardened), 'ECS.5')).toBe('PASSED');
    expect(statusOf(await hookWith()(writable), 'ECS.5')).toBe('FAILED');
  });

  test('a value CloudFormation would not coerce to a boolean is undecidable, never a pass', async () => {
    const event = request('create-task-definition-hardened');
    event.requestData.targetModel.resourceProperties.ContainerDefinitions[0].Privileged = 'yes';

    const response = await hookWith()(event);

    expect(response).toMatchObject({ hookStatus: 'FAILED', errorCode: 'InternalFailure' });
    expect(response.message).toContain('resourceProperties.ContainerDefinitions[0].Privileged');
    expect(response.annotations!.find((annotation) => annotation.annotationName === 'ECS.4')).toMatchObject({ status: 'FAILED', statusMessage: expect.stringMatching(/^Could not evaluate: /) });
  });
});

describe("ECS.10 looks the service's task definition up with DescribeTaskDefinition", () => {
  test('the lookup names the ARN CloudFormation resolved; a Windows task definition has its own latest version', async () => {
    ecsKnowsTaskDefinition('WINDOWS_SERVER_2022_CORE');
    const event = request('create-service-old-platform');

    const response = await hookWith()(event);

    expect(harness.aws.callsOf('DescribeTaskDefinition').map((call) => call.body)).toEqual([{ taskDefinition: event.requestData.targetModel.resourceProperties.TaskDefinition }]);
    expect(statusOf(response, 'ECS.10')).toBe('PASSED');
    expect(response.hookStatus).toBe('SUCCESS');
  });

  test('no lookup when ECS.10 is not among the chosen controls', async () => {
    const response = await hookWith({ controls: ['ECS.2'] })(request('create-service-old-platform'));

    expect(harness.aws.calls).toEqual([]);
    expect(response.annotations!.map((annotation) => annotation.annotationName)).toEqual(['ECS.2']);
  });

  test.each([
    ['at least the latest for every OS family', '1.4.0'],
    ['LATEST', 'LATEST'],
  ])('no lookup when the verdict does not turn on the OS family: %s', async (_, platformVersion) => {
    const event = request('create-service-old-platform');
    event.requestData.targetModel.resourceProperties.PlatformVersion = platformVersion;

    const response = await hookWith()(event);

    expect(harness.aws.calls).toEqual([]);
    expect(statusOf(response, 'ECS.10')).toBe('PASSED');
    expect(response.hookStatus).toBe('SUCCESS');
  });

  test('parameters follow the rules: a lower latestLinuxVersion lets 1.3.0 pass', async () => {
    ecsKnowsTaskDefinition();

    const response = await hookWith({ parameters: { 'ECS.10': { latestLinuxVersion: '1.3.0' } } })(request('create-service-old-platform'));

    expect(statusOf(response, 'ECS.10')).toBe('PASSED');
  });

  test('a denied lookup makes ECS.10 undecidable: InternalFailure, while the other controls are still decided', async () => {
    harness.aws.on('DescribeTaskDefinition', () => ({ status: 400, code: 'AccessDeniedException', message: 'not authorized to perform: ecs:DescribeTaskDefinition' }));

    const response = await hookWith()(request('create-service-old-platform'));

    expect(response).toMatchObject({ hookStatus: 'FAILED', errorCode: 'InternalFailure' });
    expect(response.message).toContain('AccessDeniedException');
    expect(statusOf(response, 'ECS.10')).toBe('FAILED');
    expect(statusOf(response, 'ECS.2')).toBe('PASSED');
  });

  test('a hanging endpoint is abandoned within the budget and answered, not left to time out', async () => {
    harness.aws.on('DescribeTaskDefinition', () => 'hang');
    // The SDK's HTTP handler warns, instead of ending the attempt, when it is not told to throw.
    const warned = jest.spyOn(console, 'warn');
    const started = Date.now();

    const response = await hookWith()(request('create-service-old-platform'));

    expect(response).toMatchObject({ hookStatus: 'FAILED', errorCode: 'InternalFailure' });
    expect(response.message).toContain('no answer in time');
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(warned).not.toHaveBeenCalled();
    warned.mockRestore();
  });

  test('an undecidable control below the severity threshold does not fail the hook, and says so', async () => {
    harness.aws.on('DescribeTaskDefinition', () => ({ status: 400, code: 'AccessDeniedException', message: 'denied' }));

    const response = await hookWith({ severityThreshold: 'HIGH' })(request('create-service-old-platform'));

    expect(response.hookStatus).toBe('SUCCESS');
    expect(response.message).toMatch(/1 finding\(s\) below the severity threshold/);
    expect(statusOf(response, 'ECS.10')).toBe('FAILED');
  });
});

describe('malformed requests are answered InternalFailure, never thrown', () => {
  const valid = () => request('create-task-definition-privileged');
  test.each<[string, () => unknown, string]>([
    ['null', () => null, 'the request must be a JSON object'],
    ['a string', () => 'CREATE_PRE_PROVISION', 'the request must be a JSON object'],
    ['an unknown invocation point', () => ({ ...valid(), actionInvocationPoint: 'PRE_CREATE' }), 'actionInvocationPoint must be one of'],
    ['no requestData', () => ({ ...valid(), requestData: undefined }), 'requestData must be an object'],
    ['no targetName', () => ({ ...valid(), requestData: { ...valid().requestData, targetName: undefined } }), 'requestData.targetName'],
    ['a numeric targetLogicalId', () => ({ ...valid(), requestData: { ...valid().requestData, targetLogicalId: 7 } }), 'requestData.targetLogicalId'],
    ['no targetModel', () => ({ ...valid(), requestData: { ...valid().requestData, targetModel: null } }), 'requestData.targetModel must be an object'],
    ['resourceProperties as a list', () => ({ ...valid(), requestData: { ...valid().requestData, targetModel: { resourceProperties: [] } } }), 'resourceProperties must be an object'],
  ])('%s', async (_label, event, expected) => {
    const response = await hookWith()(event());

    expect(response).toMatchObject({ hookStatus: 'FAILED', errorCode: 'InternalFailure', message: expect.stringContaining(expected) });
    const token = (event() as Json | null)?.clientRequestToken;
    expect(response.clientRequestToken).toBe(typeof token === 'string' ? token : undefined);
    expect(harness.logLines.at(-1)).toMatchObject({ level: 'ERROR', message: 'hook could not evaluate the request' });
  });

  test('settings the function cannot read answer every request InternalFailure naming the variable', async () => {
    process.env[HOOK_SETTINGS_VARIABLE] = '{"controls":["ECS.99"]}';
    try {
      const response = await createHookHandler()(request('create-s3-bucket'));
      expect(response).toMatchObject({ hookStatus: 'FAILED', errorCode: 'InternalFailure', message: expect.stringContaining(`${HOOK_SETTINGS_VARIABLE} controls: Unknown control "ECS.99"`) });
    } finally {
      delete process.env[HOOK_SETTINGS_VARIABLE];
    }
  });
});

test('the message stays within the 1,024 characters Cloud Control API shows', async () => {
  const event = request('create-task-definition-privileged');
  const container = event.requestData.targetModel.resourceProperties.ContainerDefinitions[0];
  event.requestData.targetModel.resourceProperties.ContainerDefinitions = Array.from({ length: 40 }, (_, index) => ({ ...container, Name: `container-with-a-long-name-${index}`, User: 'root' }));

  const response = await hookWith()(event);

  expect(response.message.length).toBeLessThanOrEqual(1024);
  expect(response.message).toMatch(/^AWS::ECS::TaskDefinition CheckoutTaskDef fails ECS\.4/);
});

test('names from the request reach the message and annotations escaped (stack events are read by people)', async () => {
  const event = request('create-task-definition-privileged');
  event.requestData.targetModel.resourceProperties.ContainerDefinitions[0].Name = 'app\u001b]0;owned\u0007';

  const response = await hookWith({ controls: ['ECS.4'] })(event);

  expect(response.hookStatus).toBe('FAILED');
  expect(response.message).toContain('app\\u001b]0;owned\\u0007');
  expect(response.annotations![0].statusMessage).toContain('app\\u001b]0;owned');
  for (const text of [response.message, ...response.annotations!.map((annotation) => annotation.statusMessage)]) expect(text).not.toMatch(/[\u001b\u0007]/);
});

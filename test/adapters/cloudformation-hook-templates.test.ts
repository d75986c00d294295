/**
 * The hook adapter's stack and change set requests (the CloudFormation Hooks user guide's
 * "Evaluating stack operations" and "Evaluating change set operations" shapes, in
 * test/fixtures/cloudformation-hook/stack-update.json and change-set-create.json) and their payloads.
 */
import { changedResourcesOf, MalformedHookRequestError, parseHookRequest, stackTemplateOf } from '../../lambdas/adapters/cloudformation-hook';
import { loadFixture } from '../fixtures/load';

type Json = Record<string, any>;

const request = (variant: 'stack-update' | 'change-set-create'): Json => loadFixture('cloudformation-hook', variant) as Json;

function malformedMessage(read: () => unknown): string {
  try {
    read();
  } catch (error) {
    expect(error).toBeInstanceOf(MalformedHookRequestError);
    return (error as Error).message;
  }
  throw new Error('expected a MalformedHookRequestError');
}

describe('parseHookRequest: stack and change set requests', () => {
  it('reads a stack request: no targetModel, a payload URL', () => {
    const event = request('stack-update');

    expect(parseHookRequest(event)).toEqual({
      targetType: 'STACK',
      clientRequestToken: '7d1e4c2a-90b3-4f7e-8a61-2b5c9d0e3f14',
      invocationPoint: 'UPDATE_PRE_PROVISION',
      stackId: event.stackId,
      logicalId: 'payments-app',
      payloadUrl: event.requestData.payload,
    });
  });

  it('reads a change set request without actionInvocationPoint, as the guide shapes it', () => {
    const event = request('change-set-create');
    expect(event.actionInvocationPoint).toBeUndefined();

    expect(parseHookRequest(event)).toEqual({
      targetType: 'CHANGE_SET',
      clientRequestToken: '2b8f0d6e-55c1-4a9d-b3e7-6c4a1f9e0d28',
      invocationPoint: undefined,
      stackId: event.stackId,
      logicalId: event.changeSetId,
      payloadUrl: event.requestData.payload,
    });
  });

  it('reads a change set request with an invocation point, as the guide’s example has it', () => {
    const event = { ...request('change-set-create'), actionInvocationPoint: 'CREATE_PRE_PROVISION' };
    expect(parseHookRequest(event)).toMatchObject({ targetType: 'CHANGE_SET', invocationPoint: 'CREATE_PRE_PROVISION' });
  });

  it('requires a stack request’s invocation point, and a valid one of a change set', () => {
    const stack = request('stack-update');
    delete stack.actionInvocationPoint;
    expect(malformedMessage(() => parseHookRequest(stack))).toBe(
      'actionInvocationPoint must be one of CREATE_PRE_PROVISION, UPDATE_PRE_PROVISION, DELETE_PRE_PROVISION, got nothing',
    );
    expect(malformedMessage(() => parseHookRequest({ ...request('change-set-create'), actionInvocationPoint: 'LATER' }))).toBe(
      'actionInvocationPoint must be one of CREATE_PRE_PROVISION, UPDATE_PRE_PROVISION, DELETE_PRE_PROVISION, got "LATER"',
    );
  });

  it('a stack request whose targetName is not STACK is malformed', () => {
    const event = request('stack-update');
    event.requestData.targetName = 'AWS::ECS::Cluster';
    expect(malformedMessage(() => parseHookRequest(event))).toBe('requestData.targetName must be STACK in a STACK request, got "AWS::ECS::Cluster"');
  });

  it.each([
    ['missing', undefined, 'requestData.payload must be a non-empty string, got nothing'],
    ['not a URL', 'templates/web.json', 'requestData.payload must be a URL, got "templates/web.json"'],
    ['not HTTP', 'file:///etc/passwd', 'requestData.payload must be an http(s) URL, got "file:///etc/passwd"'],
  ])('a payload %s is malformed', (_, payload, message) => {
    const event = request('change-set-create');
    if (payload === undefined) delete event.requestData.payload;
    else event.requestData.payload = payload;
    expect(malformedMessage(() => parseHookRequest(event))).toBe(message);
  });

  it('a stack request needs its stack name', () => {
    const event = request('stack-update');
    event.requestData.targetLogicalId = '';
    expect(malformedMessage(() => parseHookRequest(event))).toBe('requestData.targetLogicalId must be a non-empty string, got ""');
  });
});

describe('stackTemplateOf', () => {
  it('returns the template as written', () => {
    expect(stackTemplateOf({ template: 'Resources: {}', previousTemplate: '' })).toBe('Resources: {}');
  });

  it.each([[{}], [{ template: '' }], [{ template: null }]])('a deletion’s payload %j has no template', (payload) => {
    expect(stackTemplateOf(payload)).toBeUndefined();
  });

  it.each([
    [[], 'the payload must be a JSON object, got a list'],
    [{ template: { Resources: {} } }, "the payload's template must be a string, got an object"],
  ])('%j is malformed', (payload, message) => {
    expect(malformedMessage(() => stackTemplateOf(payload))).toBe(message);
  });
});

describe('changedResourcesOf', () => {
  const change = (overrides: Json): Json => ({
    logicalResourceId: 'Web',
    resourceType: 'AWS::ECS::TaskDefinition',
    action: 'CREATE',
    lineNumber: 3,
    beforeContext: null,
    afterContext: JSON.stringify({ Properties: { Family: 'web' } }),
    ...overrides,
  });

  it('reads creations and updates with their properties, and leaves deletions out', () => {
    const payload = {
      template: '{}',
      changedResources: [
        change({}),
        change({ logicalResourceId: 'Old', action: 'DELETE', afterContext: null }),
        change({ logicalResourceId: 'Cluster', resourceType: 'AWS::ECS::Cluster', action: 'UPDATE', afterContext: '{"Properties":{"ClusterName":"main"}}' }),
      ],
    };

    expect(changedResourcesOf(payload)).toEqual([
      { logicalId: 'Web', resourceType: 'AWS::ECS::TaskDefinition', properties: { Family: 'web' }, root: 'changedResources[0].afterContext.Properties' },
      { logicalId: 'Cluster', resourceType: 'AWS::ECS::Cluster', properties: { ClusterName: 'main' }, root: 'changedResources[2].afterContext.Properties' },
    ]);
  });

  it('a resource whose every property is left at its default has no Properties: an empty object', () => {
    expect(changedResourcesOf({ changedResources: [change({ afterContext: '{}' })] })[0].properties).toEqual({});
  });

  it.each([
    [{ changedResources: 'none' }, 'the payload\'s changedResources must be a list, got "none"'],
    [{ changedResources: [7] }, 'changedResources[0] must be an object, got number 7'],
    [{ changedResources: [change({ action: 'REPLACE' })] }, 'changedResources[0].action must be one of CREATE, UPDATE, DELETE, got "REPLACE"'],
    [{ changedResources: [change({ logicalResourceId: undefined })] }, 'changedResources[0].logicalResourceId must be a non-empty string, got nothing'],
    [{ changedResources: [change({ resourceType: '' })] }, 'changedResources[0].resourceType must be a non-empty string, got ""'],
    [{ changedResources: [change({ action: 'UPDATE', afterContext: null })] }, 'changedResources[0].afterContext must be a JSON string for a UPDATE, got null'],
    [{ changedResources: [change({ afterContext: '[1]' })] }, 'changedResources[0].afterContext must hold an object, got a list'],
    [{ changedResources: [change({ afterContext: '{"Properties":"x"}' })] }, 'changedResources[0].afterContext.Properties must be an object, got "x"'],
  ])('%j is malformed', (payload, message) => {
    expect(malformedMessage(() => changedResourcesOf(payload))).toBe(message);
  });

  it('an afterContext that is not JSON is malformed, naming the change', () => {
    expect(malformedMessage(() => changedResourcesOf({ changedResources: [change({}), change({ afterContext: '{Properties' })] }))).toMatch(/^changedResources\[1\]\.afterContext is not JSON \(/);
  });

  it('a payload that is not an object is malformed', () => {
    expect(malformedMessage(() => changedResourcesOf('x'))).toBe('the payload must be a JSON object, got "x"');
  });
});

/**
 * The CloudFormation Lambda hook adapter on its own: a resource-operation request
 * (test/fixtures/cloudformation-hook, shaped as in the CloudFormation Hooks user guide) into a
 * `HookRequest`, the exact message of each malformed field, and the model built for the resource.
 */
import {
  clientRequestTokenOf,
  HookRequest,
  isCoveredType,
  MalformedHookRequestError,
  parseHookRequest as parseAnyHookRequest,
  resourceFromHookRequest,
  serviceTaskDefinitionOf,
  TASK_DEFINITION_PATH,
} from '../../lambdas/adapters/cloudformation-hook';
import { controlById } from '../../lambdas/controls';
import { RESOURCE_TYPES, ResourceType, Unreadable } from '../../lambdas/core/model';
import { loadFixture } from '../fixtures/load';

type Json = Record<string, any>;

const request = (variant = 'create-task-definition-privileged'): Json => loadFixture('cloudformation-hook', variant) as Json;

const POINTS = 'CREATE_PRE_PROVISION, UPDATE_PRE_PROVISION, DELETE_PRE_PROVISION';

/** A resource request, as the fixtures are (stack and change set requests: test/adapters/cloudformation-hook-templates.test.ts). */
function parseHookRequest(event: unknown): HookRequest {
  const parsed = parseAnyHookRequest(event);
  if (parsed.targetType !== 'RESOURCE') throw new Error(`expected a resource request, got a ${parsed.targetType} request`);
  return parsed;
}

/** The request with `mutate` applied to a fresh copy of the fixture. */
function requestWith(mutate: (event: Json) => void, variant?: string): Json {
  const event = request(variant);
  mutate(event);
  return event;
}

/** `object[key]` set to `value`, or removed when `value` is undefined (a field the request leaves out). */
function setOrRemove(object: Json, key: string, value: unknown): void {
  if (value === undefined) delete object[key];
  else object[key] = value;
}

/** The message parseHookRequest throws for `event`, having checked it is a MalformedHookRequestError. */
function malformedMessage(event: unknown): string {
  let thrown: unknown;
  try {
    parseHookRequest(event);
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(MalformedHookRequestError);
  return (thrown as Error).message;
}

/** A parsed request of a covered type, ready for resourceFromHookRequest. */
function covered(event: Json): HookRequest & { targetName: ResourceType } {
  const parsed = parseHookRequest(event);
  if (!isCoveredType(parsed.targetName)) throw new Error(`fixture targets ${parsed.targetName}`);
  return { ...parsed, targetName: parsed.targetName };
}

describe('MalformedHookRequestError', () => {
  it('is an Error named MalformedHookRequestError carrying its message', () => {
    const error = new MalformedHookRequestError('requestData.targetName must be a non-empty string, got nothing');

    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('MalformedHookRequestError');
    expect(error.message).toBe('requestData.targetName must be a non-empty string, got nothing');
    expect(String(error)).toBe('MalformedHookRequestError: requestData.targetName must be a non-empty string, got nothing');
  });

  it('is what parseHookRequest throws, with that name', () => {
    let thrown: unknown;
    try {
      parseHookRequest(null);
    } catch (error) {
      thrown = error;
    }

    expect(thrown).toBeInstanceOf(MalformedHookRequestError);
    expect((thrown as Error).name).toBe('MalformedHookRequestError');
  });
});

describe('parseHookRequest: documented requests', () => {
  it('reads a stack create request', () => {
    const event = request('create-task-definition-privileged');

    expect(parseHookRequest(event)).toEqual({
      targetType: 'RESOURCE',
      clientRequestToken: '3c0b6a8e-1454-4d1e-9b7a-5f0e2a9c1d33',
      invocationPoint: 'CREATE_PRE_PROVISION',
      stackId: 'arn:aws:cloudformation:eu-west-1:123456789012:stack/payments-app/6f2c1f20-8d3c-11ef-9e4a-0a1b2c3d4e5f',
      targetName: 'AWS::ECS::TaskDefinition',
      logicalId: 'CheckoutTaskDef',
      resourceProperties: event.requestData.targetModel.resourceProperties,
    });
  });

  it('reads an update request, its proposed (not previous) properties', () => {
    const event = request('update-service-hardened');

    const parsed = parseHookRequest(event);

    expect(parsed.invocationPoint).toBe('UPDATE_PRE_PROVISION');
    expect(parsed.targetName).toBe('AWS::ECS::Service');
    expect(parsed.logicalId).toBe(event.requestData.targetLogicalId);
    expect(parsed.resourceProperties).toBe(event.requestData.targetModel.resourceProperties);
  });

  it('reads a Cloud Control API request: the type from targetName (targetType is RESOURCE), an empty stackId as none', () => {
    const event = request('cloud-control-create-task-definition-privileged');

    expect(parseHookRequest(event)).toMatchObject({
      invocationPoint: 'CREATE_PRE_PROVISION',
      stackId: undefined,
      targetName: 'AWS::ECS::TaskDefinition',
      logicalId: 'AWSECSTaskDefinitionbatchworker',
    });
  });

  it('reads a request for a type no control covers', () => {
    expect(parseHookRequest(request('create-s3-bucket')).targetName).toBe('AWS::S3::Bucket');
  });

  it.each(['CREATE_PRE_PROVISION', 'UPDATE_PRE_PROVISION', 'DELETE_PRE_PROVISION'])('accepts the invocation point %s', (point) => {
    expect(parseHookRequest(requestWith((event) => (event.actionInvocationPoint = point))).invocationPoint).toBe(point);
  });
});

describe('parseHookRequest: stackId', () => {
  it('keeps a non-empty stack id', () => {
    expect(parseHookRequest(requestWith((event) => (event.stackId = 'arn:aws:cloudformation:eu-west-1:123456789012:stack/s/1'))).stackId).toBe(
      'arn:aws:cloudformation:eu-west-1:123456789012:stack/s/1',
    );
  });

  it.each([
    ['absent', undefined],
    ['empty', ''],
    ['null', null],
    ['a number', 7],
    ['an object', { Ref: 'AWS::StackId' }],
    ['a list', ['arn:aws:cloudformation:eu-west-1:123456789012:stack/s/1']],
  ])('reads a stackId that is %s as undefined', (_, stackId) => {
    const event = requestWith((event) => setOrRemove(event, 'stackId', stackId));

    expect(parseHookRequest(event).stackId).toBeUndefined();
  });
});

describe('parseHookRequest: clientRequestToken', () => {
  it('is echoed when a string', () => {
    expect(parseHookRequest(request()).clientRequestToken).toBe('3c0b6a8e-1454-4d1e-9b7a-5f0e2a9c1d33');
  });

  it.each([
    ['absent (the guide example has none)', undefined],
    ['a number', 7],
    ['null', null],
  ])('is undefined when %s, and the request is still read', (_, token) => {
    const event = requestWith((event) => setOrRemove(event, 'clientRequestToken', token));

    const parsed = parseHookRequest(event);

    expect(parsed.clientRequestToken).toBeUndefined();
    expect(parsed.targetName).toBe('AWS::ECS::TaskDefinition');
  });
});

describe('parseHookRequest: proposed properties', () => {
  it.each(['CREATE_PRE_PROVISION', 'UPDATE_PRE_PROVISION'])('reads absent resourceProperties of a %s request as an empty object', (point) => {
    const event = requestWith((event) => {
      event.actionInvocationPoint = point;
      delete event.requestData.targetModel.resourceProperties;
    }, 'create-cluster-without-insights');

    expect(parseHookRequest(event).resourceProperties).toEqual({});
  });

  it.each(['CREATE_PRE_PROVISION', 'UPDATE_PRE_PROVISION'])('reads null resourceProperties of a %s request as an empty object', (point) => {
    const event = requestWith((event) => {
      event.actionInvocationPoint = point;
      event.requestData.targetModel.resourceProperties = null;
    }, 'create-cluster-without-insights');

    expect(parseHookRequest(event).resourceProperties).toEqual({});
  });

  it('reads an empty targetModel of a creation as an empty object', () => {
    expect(parseHookRequest(requestWith((event) => (event.requestData.targetModel = {}))).resourceProperties).toEqual({});
  });

  it('gives a DELETE_PRE_PROVISION request no properties, even when it carries the current ones', () => {
    const event = requestWith((event) => (event.actionInvocationPoint = 'DELETE_PRE_PROVISION'));
    expect(event.requestData.targetModel.resourceProperties).toBeDefined();

    const parsed = parseHookRequest(event);

    expect(parsed.invocationPoint).toBe('DELETE_PRE_PROVISION');
    expect(parsed.resourceProperties).toBeUndefined();
  });

  it('gives a DELETE_PRE_PROVISION request no properties when it carries none, or something that is no object', () => {
    const without = requestWith((event) => {
      event.actionInvocationPoint = 'DELETE_PRE_PROVISION';
      delete event.requestData.targetModel.resourceProperties;
    });
    const withList = requestWith((event) => {
      event.actionInvocationPoint = 'DELETE_PRE_PROVISION';
      event.requestData.targetModel.resourceProperties = ['not', 'an', 'object'];
    });

    expect(parseHookRequest(without).resourceProperties).toBeUndefined();
    expect(parseHookRequest(withList).resourceProperties).toBeUndefined();
  });
});

describe('parseHookRequest: malformed requests, each named with what it got', () => {
  it.each([
    ['nothing', undefined, 'the request must be a JSON object, got nothing'],
    ['null', null, 'the request must be a JSON object, got null'],
    ['a list', [request()], 'the request must be a JSON object, got a list'],
    ['a string', '{"actionInvocationPoint":"CREATE_PRE_PROVISION"}', 'the request must be a JSON object, got "{\\"actionInvocationPoint\\":\\"CREATE_PRE_PROVISION\\"}"'],
    ['a number', 7, 'the request must be a JSON object, got number 7'],
    ['a boolean', true, 'the request must be a JSON object, got boolean true'],
  ])('the request itself: %s', (_, event, message) => {
    expect(malformedMessage(event)).toBe(message);
  });

  it.each([
    ['absent', undefined, 'got nothing'],
    ['null', null, 'got null'],
    ['unknown', 'PRE_DELETE', 'got "PRE_DELETE"'],
    ['lower case', 'create_pre_provision', 'got "create_pre_provision"'],
    ['a stack-level point', 'CREATE_PRE_PROVISION_STACK', 'got "CREATE_PRE_PROVISION_STACK"'],
    ['empty', '', 'got ""'],
    ['a number', 7, 'got number 7'],
    ['a list', ['CREATE_PRE_PROVISION'], 'got a list'],
    ['an object', { point: 'CREATE_PRE_PROVISION' }, 'got an object'],
  ])('actionInvocationPoint %s', (_, point, got) => {
    const event = requestWith((event) => setOrRemove(event, 'actionInvocationPoint', point));

    expect(malformedMessage(event)).toBe(`actionInvocationPoint must be one of ${POINTS}, ${got}`);
  });

  it.each([
    ['absent', undefined, 'got nothing'],
    ['null', null, 'got null'],
    ['a list', [{ targetName: 'AWS::ECS::Cluster' }], 'got a list'],
    ['a string', 'AWS::ECS::Cluster', 'got "AWS::ECS::Cluster"'],
    ['a number', 0, 'got number 0'],
  ])('requestData %s', (_, requestData, got) => {
    const event = requestWith((event) => setOrRemove(event, 'requestData', requestData));

    expect(malformedMessage(event)).toBe(`requestData must be an object, ${got}`);
  });

  it.each([
    ['absent', undefined, 'got nothing'],
    ['empty', '', 'got ""'],
    ['null', null, 'got null'],
    ['a number', 7, 'got number 7'],
    ['a boolean', false, 'got boolean false'],
    ['a list', ['AWS::ECS::Cluster'], 'got a list'],
    ['an object', { Ref: 'Type' }, 'got an object'],
  ])('requestData.targetName %s', (_, targetName, got) => {
    const event = requestWith((event) => setOrRemove(event.requestData, 'targetName', targetName));

    expect(malformedMessage(event)).toBe(`requestData.targetName must be a non-empty string, ${got}`);
  });

  it.each([
    ['absent', undefined, 'got nothing'],
    ['empty', '', 'got ""'],
    ['a number', 12, 'got number 12'],
  ])('requestData.targetLogicalId %s', (_, logicalId, got) => {
    const event = requestWith((event) => setOrRemove(event.requestData, 'targetLogicalId', logicalId));

    expect(malformedMessage(event)).toBe(`requestData.targetLogicalId must be a non-empty string, ${got}`);
  });

  it.each([
    ['absent', undefined, 'got nothing'],
    ['null', null, 'got null'],
    ['a list', [], 'got a list'],
    ['a string', '{}', 'got "{}"'],
  ])('requestData.targetModel %s', (_, targetModel, got) => {
    const event = requestWith((event) => setOrRemove(event.requestData, 'targetModel', targetModel));

    expect(malformedMessage(event)).toBe(`requestData.targetModel must be an object, ${got}`);
  });

  it.each([
    ['CREATE_PRE_PROVISION', 'a list', [{ Family: 'checkout-api' }], 'got a list'],
    ['UPDATE_PRE_PROVISION', 'a string', 'Family=checkout-api', 'got "Family=checkout-api"'],
    ['CREATE_PRE_PROVISION', 'a number', 3, 'got number 3'],
    ['UPDATE_PRE_PROVISION', 'a boolean', true, 'got boolean true'],
  ])('requestData.targetModel.resourceProperties of a %s request: %s', (point, _, properties, got) => {
    const event = requestWith((event) => {
      event.actionInvocationPoint = point;
      event.requestData.targetModel.resourceProperties = properties;
    });

    expect(malformedMessage(event)).toBe(`requestData.targetModel.resourceProperties must be an object, ${got}`);
  });

  it('names the first wrong field, in request order', () => {
    const everythingWrong = { actionInvocationPoint: 'NOPE', requestData: { targetName: '', targetLogicalId: '' } };
    const pointFixed = { ...everythingWrong, actionInvocationPoint: 'CREATE_PRE_PROVISION' };
    const nameFixed = { ...pointFixed, requestData: { ...pointFixed.requestData, targetName: 'AWS::ECS::Cluster' } };
    const idFixed = { ...nameFixed, requestData: { ...nameFixed.requestData, targetLogicalId: 'Cluster' } };

    expect(malformedMessage(everythingWrong)).toBe(`actionInvocationPoint must be one of ${POINTS}, got "NOPE"`);
    expect(malformedMessage(pointFixed)).toBe('requestData.targetName must be a non-empty string, got ""');
    expect(malformedMessage(nameFixed)).toBe('requestData.targetLogicalId must be a non-empty string, got ""');
    expect(malformedMessage(idFixed)).toBe('requestData.targetModel must be an object, got nothing');
    expect(parseHookRequest({ ...idFixed, requestData: { ...idFixed.requestData, targetModel: {} } })).toEqual({
      targetType: 'RESOURCE',
      clientRequestToken: undefined,
      invocationPoint: 'CREATE_PRE_PROVISION',
      stackId: undefined,
      targetName: 'AWS::ECS::Cluster',
      logicalId: 'Cluster',
      resourceProperties: {},
    });
  });

  describe('a string value is quoted, and cut to 60 characters with "…"', () => {
    const targetNamed = (targetName: string) => malformedMessage({ actionInvocationPoint: 'CREATE_PRE_PROVISION', requestData: { targetName, targetLogicalId: 'X' } });
    const modelGiven = (targetModel: string) =>
      malformedMessage({ actionInvocationPoint: 'CREATE_PRE_PROVISION', requestData: { targetName: 'AWS::ECS::Cluster', targetLogicalId: 'X', targetModel } });

    it('quotes a short string in full, escaping as JSON', () => {
      expect(modelGiven('say "hi"')).toBe('requestData.targetModel must be an object, got "say \\"hi\\""');
    });

    it('quotes a string of exactly 60 characters in full', () => {
      const sixty = '0123456789'.repeat(6);

      expect(modelGiven(sixty)).toBe(`requestData.targetModel must be an object, got "${sixty}"`);
    });

    it('cuts a string of 61 characters to its first 60 and "…"', () => {
      const sixtyOne = `${'0123456789'.repeat(6)}X`;

      expect(modelGiven(sixtyOne)).toBe(`requestData.targetModel must be an object, got "${'0123456789'.repeat(6)}…"`);
    });

    it('cuts a long string to its first 60 characters and "…"', () => {
      const long = 'abcdefghijklmnopqrstuvwxyz'.repeat(10);

      const message = modelGiven(long);

      expect(message).toBe(`requestData.targetModel must be an object, got "${long.slice(0, 60)}…"`);
      expect(message).toContain('"abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefgh…"');
    });

    it('does so for the actionInvocationPoint too', () => {
      const long = `CREATE_PRE_PROVISION${'!'.repeat(100)}`;

      expect(malformedMessage({ actionInvocationPoint: long, requestData: {} })).toBe(`actionInvocationPoint must be one of ${POINTS}, got "CREATE_PRE_PROVISION${'!'.repeat(40)}…"`);
    });

    it('an empty string is rejected as a targetName and quoted', () => {
      expect(targetNamed('')).toBe('requestData.targetName must be a non-empty string, got ""');
    });
  });
});

describe('clientRequestTokenOf', () => {
  it('reads the token of a well-formed request', () => {
    expect(clientRequestTokenOf(request('create-service-public'))).toBe('3c0b6a8e-1063-4d1e-9b7a-5f0e2a9c1d21');
  });

  it('reads the token of any object-shaped request, even one that does not parse', () => {
    expect(clientRequestTokenOf({ clientRequestToken: 'token-1', actionInvocationPoint: 'NOPE' })).toBe('token-1');
  });

  it.each([
    ['undefined', undefined],
    ['null', null],
    ['a string', 'token-1'],
    ['a number', 7],
    ['a list', ['token-1']],
    ['an object without a token', { actionInvocationPoint: 'CREATE_PRE_PROVISION' }],
    ['an object whose token is a number', { clientRequestToken: 7 }],
    ['an object whose token is null', { clientRequestToken: null }],
    ['an object whose token is an object', { clientRequestToken: { id: 'token-1' } }],
  ])('is undefined for %s', (_, event) => {
    expect(clientRequestTokenOf(event)).toBeUndefined();
  });
});

describe('isCoveredType', () => {
  it.each(RESOURCE_TYPES.map((type) => [type]))('covers %s', (type) => {
    expect(isCoveredType(type)).toBe(true);
  });

  it('covers exactly the five ECS types the controls evaluate', () => {
    expect(['AWS::ECS::TaskDefinition', 'AWS::ECS::Service', 'AWS::ECS::Cluster', 'AWS::ECS::TaskSet', 'AWS::ECS::CapacityProvider'].every(isCoveredType)).toBe(true);
  });

  it.each(['AWS::S3::Bucket', 'AWS::ECS::PrimaryTaskSet', 'AWS::ECS::ClusterCapacityProviderAssociations', 'aws::ecs::service', 'AWS::ECS::Service ', ''])('does not cover %j', (type) => {
    expect(isCoveredType(type)).toBe(false);
  });

  it('does not cover the type of the S3 bucket request', () => {
    expect(isCoveredType(parseHookRequest(request('create-s3-bucket')).targetName)).toBe(false);
  });
});

describe('serviceTaskDefinitionOf', () => {
  const service = (taskDefinition: unknown, present = true) =>
    parseHookRequest(
      requestWith((event) => {
        if (present) event.requestData.targetModel.resourceProperties.TaskDefinition = taskDefinition;
        else delete event.requestData.targetModel.resourceProperties.TaskDefinition;
      }, 'create-service-public'),
    );

  it('reads the resolved ARN of a service request', () => {
    expect(serviceTaskDefinitionOf(parseHookRequest(request('create-service-public')))).toBe('arn:aws:ecs:eu-west-1:123456789012:task-definition/checkout-api:7');
  });

  it('reads a family[:revision] as written', () => {
    expect(serviceTaskDefinitionOf(service('checkout-api:7'))).toBe('checkout-api:7');
  });

  it('is undefined when the TaskDefinition is absent', () => {
    expect(serviceTaskDefinitionOf(service(undefined, false))).toBeUndefined();
  });

  it.each([
    ['empty', ''],
    ['null', null],
    ['a number', 7],
    ['a boolean', true],
    ['a list', ['checkout-api:7']],
    ['an object', { Ref: 'TaskDef' }],
  ])('is undefined when the TaskDefinition is %s', (_, taskDefinition) => {
    expect(serviceTaskDefinitionOf(service(taskDefinition))).toBeUndefined();
  });

  it('is undefined for a deletion, which has no properties', () => {
    const deletion = parseHookRequest(requestWith((event) => (event.actionInvocationPoint = 'DELETE_PRE_PROVISION'), 'create-service-public'));
    expect(deletion.resourceProperties).toBeUndefined();

    expect(serviceTaskDefinitionOf(deletion)).toBeUndefined();
  });

  it('is undefined for a resource created with no properties', () => {
    expect(serviceTaskDefinitionOf(parseHookRequest(requestWith((event) => delete event.requestData.targetModel.resourceProperties, 'create-service-public')))).toBeUndefined();
  });
});

describe('TASK_DEFINITION_PATH', () => {
  it('is the service property under the properties root annotations use', () => {
    expect(TASK_DEFINITION_PATH).toBe('resourceProperties.TaskDefinition');
  });
});

describe('resourceFromHookRequest', () => {
  it('throws for a deletion, naming the invocation point', () => {
    const deletion = covered(requestWith((event) => (event.actionInvocationPoint = 'DELETE_PRE_PROVISION')));

    let thrown: unknown;
    try {
      resourceFromHookRequest(deletion, undefined);
    } catch (error) {
      thrown = error;
    }

    expect(thrown).toBeInstanceOf(MalformedHookRequestError);
    expect((thrown as Error).message).toBe('a DELETE_PRE_PROVISION request proposes no properties to evaluate');
  });

  it('names whichever invocation point proposed no properties', () => {
    const request: HookRequest & { targetName: ResourceType } = {
      targetType: 'RESOURCE',
      clientRequestToken: undefined,
      invocationPoint: 'UPDATE_PRE_PROVISION',
      stackId: undefined,
      targetName: 'AWS::ECS::Cluster',
      logicalId: 'Cluster',
      resourceProperties: undefined,
    };

    expect(() => resourceFromHookRequest(request, undefined)).toThrow(new MalformedHookRequestError('a UPDATE_PRE_PROVISION request proposes no properties to evaluate'));
  });

  it('models the proposed task definition (ECS.4 fails on its privileged container)', () => {
    const resource = resourceFromHookRequest(covered(request('create-task-definition-privileged')), undefined);

    expect(resource).toMatchObject({ kind: 'AWS::ECS::TaskDefinition', containers: [{ name: 'checkout-api', privileged: true }] });
    expect(controlById('ECS.4').evaluate(resource)).toEqual({
      compliance: 'NON_COMPLIANT',
      annotation: expect.stringContaining('Task definition checkout-api has privileged containers: checkout-api.'),
    });
  });

  it('roots the paths in annotations at resourceProperties', () => {
    const event = requestWith((event) => (event.requestData.targetModel.resourceProperties.ContainerDefinitions[0].Privileged = 'maybe'));

    expect(controlById('ECS.4').evaluate(resourceFromHookRequest(covered(event), undefined))).toEqual({
      compliance: 'NOT_EVALUATED',
      annotation: 'ECS.4 could not evaluate resourceProperties.ContainerDefinitions[0].Privileged: expected a boolean, got string "maybe"',
    });
  });

  it("does not read a key CloudFormation spells otherwise: a lower-case privileged alone is could-not-evaluate, not an unprivileged container", () => {
    const event = requestWith((event) => {
      const container = event.requestData.targetModel.resourceProperties.ContainerDefinitions[0];
      delete container.Privileged;
      container.privileged = true;
    });

    expect(controlById('ECS.4').evaluate(resourceFromHookRequest(covered(event), undefined))).toEqual({
      compliance: 'NOT_EVALUATED',
      annotation:
        'ECS.4 could not evaluate resourceProperties.ContainerDefinitions[0].privileged: "privileged" is not "Privileged": CloudFormation matches property names exactly (the AWS::ECS::TaskDefinition resource schema)',
    });
  });

  it('names a resource without a name of its own by its logical id', () => {
    const resource = resourceFromHookRequest(covered(requestWith((event) => delete event.requestData.targetModel.resourceProperties, 'create-cluster-without-insights')), undefined);

    expect(resource).toEqual({ kind: 'AWS::ECS::Cluster', displayName: 'Cluster', settings: [], tags: {} });
  });

  it("passes the looked-up OS family to a service's model", () => {
    const service = covered(request('create-service-old-platform'));

    expect(controlById('ECS.10').evaluate(resourceFromHookRequest(service, undefined))).toMatchObject({ compliance: 'NON_COMPLIANT' });
    expect(controlById('ECS.10').evaluate(resourceFromHookRequest(service, 'WINDOWS_SERVER_2019_FULL'))).toMatchObject({ compliance: 'COMPLIANT' });
    expect(controlById('ECS.10').evaluate(resourceFromHookRequest(service, new Unreadable(TASK_DEFINITION_PATH, 'DescribeTaskDefinition was denied')))).toEqual({
      compliance: 'NOT_EVALUATED',
      annotation: 'ECS.10 could not evaluate resourceProperties.TaskDefinition: DescribeTaskDefinition was denied',
    });
  });
});

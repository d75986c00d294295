/**
 * CloudFormation's own conversions, each with a failing and a passing case: a number or boolean where
 * a String is expected is its text, and tag keys decide the tagging controls whatever the values.
 */
import { resourcesFromTemplate } from '../../lambdas/adapters/cloudformation';
import { taskDefinitionFromEcsApi } from '../../lambdas/adapters/ecs-api';
import { controlById } from '../../lambdas/controls';

function taskDefinition(properties: Record<string, unknown>) {
  return { Resources: { Task: { Type: 'AWS::ECS::TaskDefinition', Properties: { RuntimePlatform: { OperatingSystemFamily: 'LINUX' }, ...properties } } } };
}

function verdict(controlId: string, template: unknown) {
  const [found] = resourcesFromTemplate(template);
  return controlById(controlId).evaluate(found.resource);
}

const container = (fields: Record<string, unknown>) => ({ ContainerDefinitions: [{ Name: 'app', Image: 'nginx', ...fields }] });

describe('numbers and booleans where a string is expected', () => {
  test.each([
    [0, 'NON_COMPLIANT'],
    [1000, 'COMPLIANT'],
  ])('ECS.20 User: %p (a YAML number) is %s', (user, compliance) => {
    expect(verdict('ECS.20', taskDefinition(container({ User: user })))).toMatchObject({ compliance });
  });

  test('ECS.8 reads a number value as its text: a number is never an access key, a name still is', () => {
    const passing = taskDefinition(container({ Environment: [{ Name: 'PORT', Value: 8080 }] }));
    const failing = taskDefinition(container({ Environment: [{ Name: 'AWS_SECRET_ACCESS_KEY', Value: 12345 }] }));

    expect(verdict('ECS.8', passing)).toMatchObject({ compliance: 'COMPLIANT' });
    expect(verdict('ECS.8', failing)).toMatchObject({ compliance: 'NON_COMPLIANT' });
  });

  test('a boolean where a string is expected is "true"/"false": LogDriver: false is a (wrong) driver name, not absent', () => {
    const [found] = resourcesFromTemplate(taskDefinition(container({ LogConfiguration: { LogDriver: false } })));
    if (found.resource.kind !== 'AWS::ECS::TaskDefinition') throw new Error('not a task definition');
    expect(found.resource.containers[0].logConfiguration).toEqual({ logDriver: 'false' });
  });

  test('a list, an object or null is still not a string', () => {
    expect(verdict('ECS.20', taskDefinition(container({ User: ['0'] })))).toMatchObject({ compliance: 'NOT_EVALUATED', annotation: expect.stringContaining('expected a string, got a list') });
    expect(verdict('ECS.20', taskDefinition(container({ User: { Name: '0' } })))).toMatchObject({ compliance: 'NOT_EVALUATED' });
  });

  test('the ECS API does not coerce: a number user in describe output is a wrong type', () => {
    // Only CloudFormation converts; the ECS API returns strings, so a number there means a malformed document.
    const resource = taskDefinitionFromEcsApi({ family: 'x', containerDefinitions: [{ name: 'app', user: 0 }] });
    expect(controlById('ECS.20').evaluate(resource)).toMatchObject({ compliance: 'NOT_EVALUATED' });
  });
});

describe('tag keys decide the tagging controls, whatever the values', () => {
  const tagged = (tags: unknown[]) => taskDefinition({ ...container({}), Tags: tags });

  test('a value built by intrinsics, or a number, still counts as a tag', () => {
    const verdictOf = verdict('ECS.15', tagged([{ Key: 'team', Value: { 'Fn::Sub': '${Env}-x' } }, { Key: 'cost-center', Value: 42 }]));
    expect(verdictOf).toMatchObject({ compliance: 'COMPLIANT', annotation: expect.stringContaining('team, cost-center') });
  });

  test('a required key missing is still missing when another value is an intrinsic', () => {
    const template = tagged([{ Key: 'team', Value: { Ref: 'Env' } }]);
    const [found] = resourcesFromTemplate(template);
    expect(controlById('ECS.15').evaluate(found.resource, { requiredTagKeys: 'owner' })).toMatchObject({ compliance: 'NON_COMPLIANT' });
  });

  test('a key built by an intrinsic cannot be decided', () => {
    expect(verdict('ECS.15', tagged([{ Key: { Ref: 'TagName' }, Value: 'x' }]))).toMatchObject({ compliance: 'NOT_EVALUATED', annotation: expect.stringContaining('Tags[0].Key') });
  });
});

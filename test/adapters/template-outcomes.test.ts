/**
 * Conditions, mappings and parameters with AllowedValues (lambdas/adapters/template-outcomes.ts):
 * each decision path has a failing and a passing case, and a property test checks that an intrinsic
 * whose outcomes disagree is never decided.
 */
import fc from 'fast-check';
import { resourcesFromTemplate } from '../../lambdas/adapters/cloudformation';
import { MAX_OUTCOMES } from '../../lambdas/adapters/template-outcomes';
import { controlById } from '../../lambdas/controls';
import { Verdict } from '../../lambdas/core/control';

interface Sections {
  readonly Parameters?: Record<string, unknown>;
  readonly Mappings?: Record<string, unknown>;
}

function taskDefinition(properties: Record<string, unknown>, container: Record<string, unknown> = {}, sections: Sections = {}) {
  return {
    ...sections,
    Resources: {
      Task: {
        Type: 'AWS::ECS::TaskDefinition',
        Properties: {
          RuntimePlatform: { OperatingSystemFamily: 'LINUX' },
          ContainerDefinitions: [{ Name: 'app', Image: 'nginx', User: '1000', ...container }],
          ...properties,
        },
      },
    },
  };
}

function verdict(controlId: string, template: unknown): Verdict {
  return controlById(controlId).evaluate(resourcesFromTemplate(template)[0].resource);
}

describe('Fn::If', () => {
  test.each([
    [['awsvpc', 'bridge'], 'COMPLIANT'],
    [['host', 'host'], 'NON_COMPLIANT'],
  ])('outcomes %p that agree decide ECS.17: %s', (branches, compliance) => {
    expect(verdict('ECS.17', taskDefinition({ NetworkMode: { 'Fn::If': ['Cond', ...branches] } }))).toMatchObject({ compliance });
  });

  test('outcomes that disagree are not evaluated, naming the condition and where each value leads', () => {
    expect(verdict('ECS.17', taskDefinition({ NetworkMode: { 'Fn::If': ['UseHost', 'host', 'awsvpc'] } }))).toEqual({
      compliance: 'NOT_EVALUATED',
      annotation: 'ECS.17 depends on deploy-time input (condition UseHost): NON_COMPLIANT when condition UseHost true, COMPLIANT when condition UseHost false.',
    });
  });

  test('a condition used twice takes one value: a privileged container only in the branch without it', () => {
    // Privileged only when Debug; the debug container exists only when Debug: an outcome with both is impossible.
    const containers = [
      { Name: 'app', Image: 'nginx', User: '1000' },
      { 'Fn::If': ['Debug', { Name: 'shell', Image: 'busybox', User: '1000', Privileged: { 'Fn::If': ['Debug', true, false] } }, { Ref: 'AWS::NoValue' }] },
    ];
    expect(verdict('ECS.4', taskDefinition({ ContainerDefinitions: containers }))).toMatchObject({ compliance: 'NOT_EVALUATED', annotation: expect.stringContaining('NON_COMPLIANT when condition Debug true') });
    const neverPrivileged = structuredClone(containers);
    (neverPrivileged[1] as { 'Fn::If': [string, { Privileged: unknown }, unknown] })['Fn::If'][1].Privileged = { 'Fn::If': ['Debug', false, false] };
    expect(verdict('ECS.4', taskDefinition({ ContainerDefinitions: neverPrivileged }))).toMatchObject({ compliance: 'COMPLIANT' });
  });

  test('an AWS::NoValue outcome removes the property: PidMode host or unset is not decided', () => {
    expect(verdict('ECS.3', taskDefinition({ PidMode: { 'Fn::If': ['Shared', 'host', { Ref: 'AWS::NoValue' }] } }))).toMatchObject({ compliance: 'NOT_EVALUATED' });
    expect(verdict('ECS.3', taskDefinition({ PidMode: { 'Fn::If': ['Shared', 'task', { Ref: 'AWS::NoValue' }] } }))).toMatchObject({ compliance: 'COMPLIANT' });
  });

  test(`more than ${MAX_OUTCOMES} outcomes are not enumerated: the property stays unresolved`, () => {
    const conditions = ['A', 'B', 'C', 'D', 'E', 'F', 'G'];
    const container = Object.fromEntries(conditions.map((name) => [`Label${name}`, { 'Fn::If': [name, 'x', 'y'] }]));
    const template = taskDefinition({ NetworkMode: { 'Fn::If': ['A', 'awsvpc', 'bridge'] } }, container);
    expect(verdict('ECS.17', template)).toMatchObject({ compliance: 'NOT_EVALUATED', annotation: expect.stringContaining('NetworkMode: an unresolved intrinsic (Fn::If') });
    // Six conditions (64 outcomes) are still enumerated.
    const six = taskDefinition({ NetworkMode: { 'Fn::If': ['A', 'awsvpc', 'bridge'] } }, Object.fromEntries(conditions.slice(0, 6).map((name) => [`Label${name}`, { 'Fn::If': [name, 'x', 'y'] }])));
    expect(verdict('ECS.17', six)).toMatchObject({ compliance: 'COMPLIANT' });
  });
});

describe('Fn::FindInMap into the template Mappings', () => {
  const Mappings = { Users: { app: { root: '0', service: '1000' } }, Modes: { small: { network: 'awsvpc' }, large: { network: 'bridge' }, debug: { network: 'host' } } };

  test.each([
    ['service', 'COMPLIANT'],
    ['root', 'NON_COMPLIANT'],
  ])('literal keys resolve: user %s is %s', (key, compliance) => {
    expect(verdict('ECS.20', taskDefinition({}, { User: { 'Fn::FindInMap': ['Users', 'app', key] } }, { Mappings }))).toMatchObject({ compliance });
  });

  test('a key that is not in the map is not evaluated (CloudFormation would fail the deployment)', () => {
    expect(verdict('ECS.20', taskDefinition({}, { User: { 'Fn::FindInMap': ['Users', 'app', 'nobody'] } }, { Mappings }))).toMatchObject({
      compliance: 'NOT_EVALUATED',
      annotation: expect.stringContaining('an unresolved intrinsic (Fn::FindInMap'),
    });
  });

  test('a missing key falls back to the DefaultValue of AWS::LanguageExtensions', () => {
    const user = { 'Fn::FindInMap': ['Users', 'app', 'nobody', { DefaultValue: '0' }] };
    expect(verdict('ECS.20', taskDefinition({}, { User: user }, { Mappings }))).toMatchObject({ compliance: 'NON_COMPLIANT' });
    const present = { 'Fn::FindInMap': ['Users', 'app', 'service', { DefaultValue: '0' }] };
    expect(verdict('ECS.20', taskDefinition({}, { User: present }, { Mappings }))).toMatchObject({ compliance: 'COMPLIANT' });
  });

  test('a key from a parameter with AllowedValues: decided when every entry agrees, else naming the parameter', () => {
    const network = { 'Fn::FindInMap': ['Modes', { Ref: 'Size' }, 'network'] };
    const agreeing = { Size: { Type: 'String', AllowedValues: ['small', 'large'] } };
    const disagreeing = { Size: { Type: 'String', AllowedValues: ['small', 'debug'] } };
    expect(verdict('ECS.17', taskDefinition({ NetworkMode: network }, {}, { Mappings, Parameters: agreeing }))).toMatchObject({ compliance: 'COMPLIANT' });
    expect(verdict('ECS.17', taskDefinition({ NetworkMode: network }, {}, { Mappings, Parameters: disagreeing }))).toEqual({
      compliance: 'NOT_EVALUATED',
      annotation: 'ECS.17 depends on deploy-time input (parameter Size): COMPLIANT when parameter Size = small, NON_COMPLIANT when parameter Size = debug.',
    });
  });
});

describe('parameters', () => {
  test.each([
    [['awsvpc', 'bridge'], 'COMPLIANT'],
    [['host'], 'NON_COMPLIANT'],
  ])('AllowedValues %p that agree decide ECS.17: %s', (allowed, compliance) => {
    const template = taskDefinition({ NetworkMode: { Ref: 'Mode' } }, {}, { Parameters: { Mode: { Type: 'String', AllowedValues: allowed } } });
    expect(verdict('ECS.17', template)).toMatchObject({ compliance });
  });

  test('numbers among AllowedValues are their text: User from [0, 1000] depends on the parameter', () => {
    const template = taskDefinition({}, { User: { Ref: 'Uid' } }, { Parameters: { Uid: { Type: 'Number', AllowedValues: [0, 1000] } } });
    expect(verdict('ECS.20', template)).toMatchObject({ compliance: 'NOT_EVALUATED', annotation: expect.stringContaining('NON_COMPLIANT when parameter Uid = 0') });
  });

  test('a parameter without AllowedValues can be anything: not evaluated, naming it', () => {
    const template = taskDefinition({ NetworkMode: { Ref: 'Mode' } }, {}, { Parameters: { Mode: { Type: 'String', Default: 'awsvpc' } } });
    expect(verdict('ECS.17', template)).toEqual({
      compliance: 'NOT_EVALUATED',
      annotation: 'ECS.17 could not evaluate Resources.Task.Properties.NetworkMode: an unresolved intrinsic (Ref: Mode), whose value is known only at deploy time',
    });
  });
});

describe('property: an intrinsic whose outcomes disagree is never decided', () => {
  const networkModes = fc.constantFrom<unknown>('host', 'awsvpc', 'bridge', 'none', { Ref: 'AWS::NoValue' }, { Ref: 'FreeParameter' });
  const privileged = fc.constantFrom<unknown>(true, false, 'true', 'false', { Ref: 'AWS::NoValue' }, { Ref: 'FreeParameter' });

  /** The verdict with the value written literally, then the verdict over `Fn::If [C1, Fn::If [C2, a, b], c]`. */
  function check(controlId: string, place: (value: unknown) => unknown, a: unknown, b: unknown, c: unknown) {
    const outcomes = [a, b, c].map((value) => verdict(controlId, place(value)).compliance);
    const combined = verdict(controlId, place({ 'Fn::If': ['C1', { 'Fn::If': ['C2', a, b] }, c] }));
    const agreed = outcomes.every((outcome) => outcome === outcomes[0]) ? outcomes[0] : 'NOT_EVALUATED';
    expect(combined.compliance).toBe(agreed);
    if (agreed === 'NOT_EVALUATED' && !outcomes.includes('NOT_EVALUATED')) expect(combined.annotation).toMatch(/depends on deploy-time input \(condition C1, condition C2\)/);
  }

  test('ECS.17 over NetworkMode', () => {
    fc.assert(fc.property(networkModes, networkModes, networkModes, (a, b, c) => check('ECS.17', (value) => taskDefinition({ NetworkMode: value }), a, b, c)));
  });

  test('ECS.4 over Privileged', () => {
    fc.assert(fc.property(privileged, privileged, privileged, (a, b, c) => check('ECS.4', (value) => taskDefinition({}, { Privileged: value }), a, b, c)));
  });

  test('ECS.20 over User, numbers included', () => {
    const users = fc.constantFrom<unknown>(0, 1000, '0', 'root', '1000:0', '', { Ref: 'AWS::NoValue' }, { Ref: 'FreeParameter' });
    fc.assert(fc.property(users, users, users, (a, b, c) => check('ECS.20', (value) => taskDefinition({}, { User: value }), a, b, c)));
  });
});

/**
 * Conditions, mappings and parameters with AllowedValues (lambdas/adapters/template-outcomes.ts):
 * each decision path has a failing and a passing case, and a property test checks that an intrinsic
 * whose outcomes disagree is never decided. The exported functions are then tested directly: which
 * inputs a document depends on, every assignment of them and its words, and what each resolves to.
 */
import fc from 'fast-check';
import { resourcesFromTemplate } from '../../lambdas/adapters/cloudformation';
import { Assignment, assignments, describeInputs, intrinsicName, isNoValue, MAX_OUTCOMES, resolveIntrinsics, TemplateInput, templateContext, templateInputs } from '../../lambdas/adapters/template-outcomes';
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

describe('templateContext: the Parameters and Mappings sections, empty when absent or not objects', () => {
  it.each<[string, Record<string, unknown>, unknown]>([
    ['both sections', { Parameters: { Size: { Type: 'String' } }, Mappings: { Users: { app: { root: '0' } } } }, { parameters: { Size: { Type: 'String' } }, mappings: { Users: { app: { root: '0' } } } }],
    ['neither', { Resources: {} }, { parameters: {}, mappings: {} }],
    ['lists instead of objects', { Parameters: ['Size'], Mappings: [] }, { parameters: {}, mappings: {} }],
  ])('%s', (_, template, context) => {
    expect(templateContext(template)).toEqual(context);
  });
});

describe('intrinsicName and isNoValue: an intrinsic is an object with exactly one Ref or Fn:: key', () => {
  it.each<[unknown, string | undefined]>([
    [{ Ref: 'Mode' }, 'Ref'],
    [{ 'Fn::If': ['UseHost', 'host', 'awsvpc'] }, 'Fn::If'],
    [{ 'Fn::FindInMap': ['Users', 'app', 'service'] }, 'Fn::FindInMap'],
    [{ Name: 'app' }, undefined],
    [{ Condition: 'IsProd' }, undefined],
    [{}, undefined],
    [{ Ref: 'Mode', Name: 'app' }, undefined],
    [{ Name: 'app', Ref: 'Mode' }, undefined],
    [{ Name: 'app', 'Fn::If': ['UseHost', 'host', 'awsvpc'] }, undefined],
    ['Ref', undefined],
    [['Ref'], undefined],
    [null, undefined],
    [7, undefined],
  ])('%p: %p', (value, name) => {
    expect(intrinsicName(value)).toBe(name);
  });

  it.each<[unknown, boolean]>([
    [{ Ref: 'AWS::NoValue' }, true],
    [{ Ref: 'AWS::Region' }, false],
    [{ Ref: 'AWS::NoValue', Name: 'app' }, false],
    [{ Name: 'app', Ref: 'AWS::NoValue' }, false],
    [{ 'Fn::Sub': 'AWS::NoValue' }, false],
    ['AWS::NoValue', false],
    [null, false],
  ])('%p is AWS::NoValue: %p', (value, noValue) => {
    expect(isNoValue(value)).toBe(noValue);
  });
});

describe('templateInputs: the conditions and AllowedValues parameters a resource depends on', () => {
  const context = templateContext({
    Parameters: {
      Size: { Type: 'String', AllowedValues: ['small', 'large'] },
      Mode: { Type: 'String', AllowedValues: ['awsvpc', 'bridge', 'awsvpc'] },
      Free: { Type: 'String', Default: 'awsvpc' },
      Uid: { Type: 'Number', AllowedValues: [0, 1000] },
      Debug: { Type: 'String', AllowedValues: [true, false] },
      Zero: { Type: 'String', AllowedValues: ['0', 0, 1000] },
      Empty: { Type: 'String', AllowedValues: [] },
      Listed: { Type: 'String', AllowedValues: [['small'], ['large']] },
      Mixed: { Type: 'String', AllowedValues: ['small', { Ref: 'Free' }] },
      Nothing: { Type: 'String', AllowedValues: [null] },
      Text: { Type: 'String', AllowedValues: 'small' },
    },
    Mappings: { Modes: { small: { network: 'awsvpc' } } },
  });
  const condition = (name: string): TemplateInput => ({ kind: 'condition', name, values: [true, false] });
  const parameter = (name: string, values: string[]): TemplateInput => ({ kind: 'parameter', name, values });

  it.each<[string, unknown[], TemplateInput[], boolean]>([
    ['no intrinsic: nothing to resolve', [{ NetworkMode: 'awsvpc', Tags: [{ Key: 'team', Value: 'a' }] }], [], false],
    ['a parameter without AllowedValues can be anything: no input, nothing to resolve', [{ NetworkMode: { Ref: 'Free' } }], [], false],
    ['a pseudo parameter: no input', [{ Ref: 'AWS::Region' }], [], false],
    ['Fn::FindInMap with literal keys: no input, but it needs resolving', [{ User: { 'Fn::FindInMap': ['Users', 'app', 'service'] } }], [], true],
    ['conditions in order of appearance, each once, branches included', [{ A: { 'Fn::If': ['Second', 1, 2] }, B: [{ 'Fn::If': ['First', { 'Fn::If': ['Second', 'x', 'y'] }, 'z'] }] }], [condition('Second'), condition('First')], true],
    ['the documents in order', [{ 'Fn::If': ['InTask', 'a', 'b'] }, { 'Fn::If': ['InService', 'a', 'b'] }], [condition('InTask'), condition('InService')], true],
    ['a parameter used twice is one input', [{ A: { Ref: 'Size' }, B: [{ Ref: 'Size' }] }], [parameter('Size', ['small', 'large'])], true],
    ['two parameters are two inputs, a condition beside them in order', [{ A: { Ref: 'Mode' }, B: { 'Fn::If': ['UseHost', { Ref: 'Size' }, 'x'] } }], [parameter('Mode', ['awsvpc', 'bridge']), condition('UseHost'), parameter('Size', ['small', 'large'])], true],
    ['a FindInMap key from a parameter', [{ 'Fn::FindInMap': ['Modes', { Ref: 'Size' }, 'network'] }], [parameter('Size', ['small', 'large'])], true],
    ['an Fn::If whose condition is not a name is no input', [{ 'Fn::If': [{ Ref: 'Free' }, 'a', 'b'] }], [], false],
    ['another function naming a parameter is no Ref to it', [{ A: { 'Fn::ImportValue': 'Size' }, B: { 'Fn::Sub': 'Mode' } }], [], false],
    ['a Ref to a list is no parameter', [{ Ref: ['Size'] }], [], false],
    ['numbers among AllowedValues are their text', [{ Ref: 'Uid' }], [parameter('Uid', ['0', '1000'])], true],
    ['booleans among AllowedValues are their text', [{ Ref: 'Debug' }], [parameter('Debug', ['true', 'false'])], true],
    ['AllowedValues equal as text are one value', [{ Ref: 'Zero' }], [parameter('Zero', ['0', '1000'])], true],
    ['empty AllowedValues allow anything', [{ Ref: 'Empty' }], [], false],
    ['lists among AllowedValues: not a finite set of strings', [{ Ref: 'Listed' }], [], false],
    ['an object among strings in AllowedValues: not a finite set of strings', [{ Ref: 'Mixed' }], [], false],
    ['null among AllowedValues: not a finite set of strings', [{ Ref: 'Nothing' }], [], false],
    ['AllowedValues that are not a list', [{ Ref: 'Text' }], [], false],
  ])('%s', (_, documents, inputs, needsResolving) => {
    expect(templateInputs(documents, context)).toEqual({ inputs, needsResolving });
  });
});

describe('assignments: every choice of the inputs, described for an annotation', () => {
  const condition = (name: string): TemplateInput => ({ kind: 'condition', name, values: [true, false] });
  const parameter = (name: string, values: string[]): TemplateInput => ({ kind: 'parameter', name, values });

  test('no inputs: one empty assignment', () => {
    expect(assignments([])).toEqual([{ conditions: new Map(), parameters: new Map(), description: '' }]);
  });

  test('a condition and a parameter: each combination, the first input varying slowest', () => {
    expect(assignments([condition('UseHost'), parameter('Size', ['small', 'large'])])).toEqual([
      { conditions: new Map([['UseHost', true]]), parameters: new Map([['Size', 'small']]), description: 'condition UseHost true, parameter Size = small' },
      { conditions: new Map([['UseHost', true]]), parameters: new Map([['Size', 'large']]), description: 'condition UseHost true, parameter Size = large' },
      { conditions: new Map([['UseHost', false]]), parameters: new Map([['Size', 'small']]), description: 'condition UseHost false, parameter Size = small' },
      { conditions: new Map([['UseHost', false]]), parameters: new Map([['Size', 'large']]), description: 'condition UseHost false, parameter Size = large' },
    ]);
  });

  test('three inputs are all named, in order', () => {
    const described = assignments([condition('A'), parameter('Size', ['small']), condition('B')])?.map((assignment) => assignment.description);
    expect(described).toEqual([
      'condition A true, parameter Size = small, condition B true',
      'condition A true, parameter Size = small, condition B false',
      'condition A false, parameter Size = small, condition B true',
      'condition A false, parameter Size = small, condition B false',
    ]);
  });

  const values = (count: number) => Array.from({ length: count }, (_, index) => `v${index}`);
  it.each<[string, TemplateInput[], number | undefined]>([
    [`six conditions: ${MAX_OUTCOMES} outcomes`, ['A', 'B', 'C', 'D', 'E', 'F'].map(condition), 64],
    ['seven conditions: refused', ['A', 'B', 'C', 'D', 'E', 'F', 'G'].map(condition), undefined],
    ['a parameter with 64 allowed values', [parameter('Many', values(64))], 64],
    ['a parameter with 65 allowed values: refused', [parameter('Many', values(65))], undefined],
    ['32 values and a condition: 64', [parameter('Many', values(32)), condition('A')], 64],
    ['33 values and a condition: 66, refused', [parameter('Many', values(33)), condition('A')], undefined],
  ])('%s', (_, inputs, count) => {
    expect(MAX_OUTCOMES).toBe(64);
    expect(assignments(inputs)?.length).toBe(count);
  });

  it.each<[TemplateInput[], string]>([
    [[], ''],
    [[condition('IsProd')], 'condition IsProd'],
    [[condition('IsProd'), parameter('Size', ['small', 'large'])], 'condition IsProd, parameter Size'],
  ])('describeInputs %p: %p', (inputs, description) => {
    expect(describeInputs(inputs)).toBe(description);
  });
});

describe('resolveIntrinsics: what an assignment decides, everything else as written', () => {
  const assignment: Assignment = {
    conditions: new Map([
      ['IsProd', true],
      ['IsDev', false],
    ]),
    parameters: new Map([['Size', 'small']]),
    description: 'condition IsProd true, condition IsDev false, parameter Size = small',
  };
  const context = templateContext({
    Mappings: {
      Users: { app: { root: '0', service: '1000' } },
      Modes: { small: { network: 'awsvpc' }, large: { network: 'bridge' } },
      Sizes: { default: { size: 'large' } },
      Subnets: { app: { ids: ['subnet-1', 'subnet-2'] } },
    },
  });
  const noValue = { Ref: 'AWS::NoValue' };

  it.each<[string, unknown, unknown]>([
    ['a string', 'awsvpc', 'awsvpc'],
    ['a number', 256, 256],
    ['null', null, null],
    ['an object without intrinsics', { NetworkMode: 'awsvpc', Cpu: '256' }, { NetworkMode: 'awsvpc', Cpu: '256' }],
    ['the fields of an object', { NetworkMode: { 'Fn::If': ['IsProd', 'awsvpc', 'host'] }, Size: { Ref: 'Size' } }, { NetworkMode: 'awsvpc', Size: 'small' }],
    ['Fn::If on a true condition: the first branch', { 'Fn::If': ['IsProd', 'awsvpc', 'host'] }, 'awsvpc'],
    ['Fn::If on a false condition: the second branch', { 'Fn::If': ['IsDev', 'host', 'awsvpc'] }, 'awsvpc'],
    ['the branch taken, itself resolved', { 'Fn::If': ['IsProd', { 'Fn::If': ['IsDev', 'x', { Ref: 'Size' }] }, 'y'] }, 'small'],
    ['Fn::If on a condition not assigned: as written, its branches resolved', { 'Fn::If': ['Other', { Ref: 'Size' }, 'x'] }, { 'Fn::If': ['Other', 'small', 'x'] }],
    ['Fn::If with two arguments: as written', { 'Fn::If': ['IsProd', 'a'] }, { 'Fn::If': ['IsProd', 'a'] }],
    ['Fn::If whose condition is not a name: not taken, its arguments resolved', { 'Fn::If': [{ Ref: 'Size' }, 'a', 'b'] }, { 'Fn::If': ['small', 'a', 'b'] }],
    ['a Ref to the assigned parameter', { Ref: 'Size' }, 'small'],
    ['a Ref to another parameter: as written', { Ref: 'Free' }, { Ref: 'Free' }],
    ['AWS::NoValue as a value: as written (the reader removes the property)', noValue, noValue],
    ['a Ref with more keys is no Ref', { Ref: 'Size', Name: 'app' }, { Ref: 'Size', Name: 'app' }],
    ['another function naming the parameter is no Ref to it', { 'Fn::ImportValue': 'Size' }, { 'Fn::ImportValue': 'Size' }],
    ['another function with a list: its arguments resolved', { 'Fn::Join': ['-', [{ Ref: 'Size' }, 'x']] }, { 'Fn::Join': ['-', ['small', 'x']] }],
    ['a list: each item', [{ Ref: 'Size' }, { 'Fn::If': ['IsProd', 'a', 'b'] }], ['small', 'a']],
    ['a list: AWS::NoValue items leave it, written or chosen', ['a', noValue, { 'Fn::If': ['IsDev', 'b', noValue] }, 'c'], ['a', 'c']],
    ['a list nested in an object', { Ids: [{ 'Fn::If': ['IsProd', noValue, 'x'] }] }, { Ids: [] }],
  ])('%s', (_, value, resolved) => {
    expect(resolveIntrinsics(value, assignment, context)).toEqual(resolved);
  });

  it.each<[string, unknown[], unknown]>([
    ['literal keys: the entry', ['Users', 'app', 'service'], '1000'],
    ['a key from the assigned parameter', ['Modes', { Ref: 'Size' }, 'network'], 'awsvpc'],
    ['a key from a condition', ['Users', { 'Fn::If': ['IsProd', 'app', 'other'] }, 'root'], '0'],
    ['a key from another lookup', ['Modes', { 'Fn::FindInMap': ['Sizes', 'default', 'size'] }, 'network'], 'bridge'],
    ['an entry that is a list', ['Subnets', 'app', 'ids'], ['subnet-1', 'subnet-2']],
    ['an existing entry over the DefaultValue', ['Users', 'app', 'service', { DefaultValue: '0' }], '1000'],
    ['a missing second-level key: the DefaultValue', ['Users', 'app', 'nobody', { DefaultValue: '0' }], '0'],
    ['a missing top-level key: the DefaultValue', ['Users', 'web', 'service', { DefaultValue: '0' }], '0'],
    ['an empty DefaultValue is a value', ['Users', 'app', 'nobody', { DefaultValue: '' }], ''],
    ['the DefaultValue resolved', ['Users', 'app', 'nobody', { DefaultValue: { Ref: 'Size' } }], 'small'],
  ])('Fn::FindInMap, %s', (_, argument, resolved) => {
    expect(resolveIntrinsics({ 'Fn::FindInMap': argument }, assignment, context)).toEqual(resolved);
  });

  it.each<[string, unknown[], unknown[]]>([
    ['a missing second-level key', ['Users', 'app', 'nobody'], ['Users', 'app', 'nobody']],
    ['a missing top-level key', ['Modes', 'huge', 'network'], ['Modes', 'huge', 'network']],
    ['a map that does not exist', ['Nothing', 'app', 'service'], ['Nothing', 'app', 'service']],
    ['a map named like a condition', ['IsProd', 'a', 'b'], ['IsProd', 'a', 'b']],
    ['a missing key with options but no DefaultValue', ['Users', 'app', 'nobody', {}], ['Users', 'app', 'nobody', {}]],
    ['a key from a parameter without AllowedValues, even with a DefaultValue', ['Users', { Ref: 'Free' }, 'service', { DefaultValue: '0' }], ['Users', { Ref: 'Free' }, 'service', { DefaultValue: '0' }]],
    ['the last key unresolved, even with a DefaultValue', ['Users', 'app', { Ref: 'Free' }, { DefaultValue: '0' }], ['Users', 'app', { Ref: 'Free' }, { DefaultValue: '0' }]],
    ['a missing key, its resolved keys kept', ['Modes', { Ref: 'Size' }, 'cpu'], ['Modes', 'small', 'cpu']],
    ['a map name that is a list', [['Users'], 'app', 'service'], [['Users'], 'app', 'service']],
    ['a top-level key that is a list', ['Users', ['app'], 'service'], ['Users', ['app'], 'service']],
    ['a second-level key that is a list', ['Users', 'app', ['service']], ['Users', 'app', ['service']]],
  ])('Fn::FindInMap stays unresolved: %s', (_, argument, resolvedArgument) => {
    expect(resolveIntrinsics({ 'Fn::FindInMap': argument }, assignment, context)).toEqual({ 'Fn::FindInMap': resolvedArgument });
  });

  test('Fn::FindInMap whose argument is not a list: as written', () => {
    expect(resolveIntrinsics({ 'Fn::FindInMap': 'Users' }, assignment, context)).toEqual({ 'Fn::FindInMap': 'Users' });
  });
});

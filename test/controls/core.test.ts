/**
 * The evaluator core's building blocks on their own (lambdas/core): annotations fitted to what AWS
 * Config accepts, one verdict from several deploy-time outcomes, sealed models, rule parameters.
 * The controls' tables exercise them too; these pin the edges those tables do not reach.
 */
import { agreedVerdict, compliant, defineControl, describeBackingRule, fitAnnotation, listNames, nonCompliant, notApplicable, notEvaluated, slugOf, Verdict } from '../../lambdas/core/control';
import { HeldElsewhere, outcomesOf, sealModel, TaskDefinition, Unreadable, UnreadableFieldError, withOutcomes } from '../../lambdas/core/model';
import { booleanParameter, compareVersions, InvalidParameterError, ParameterSpec, parseVersion, resolveParameters, stringListParameter, versionParameter } from '../../lambdas/core/parameters';
import { taskDefinition } from './builders';

describe('fitAnnotation: PutEvaluations takes 1–256 characters', () => {
  it.each([
    ['', 'No details.'],
    [' \n\t ', 'No details.'],
    ['ends with one space ', 'ends with one space'],
    [' starts with one space', 'starts with one space'],
    ['two  spaces', 'two spaces'],
    ['a\ttab and a\nline break', 'a tab and a line break'],
    ['  padded\r\n  ', 'padded'],
  ])('%j → %j', (text, fitted) => {
    expect(fitAnnotation(text)).toBe(fitted);
  });

  it('keeps exactly 256 characters, and cuts 257 to 255 and an ellipsis', () => {
    expect(fitAnnotation('x'.repeat(256))).toBe('x'.repeat(256));
    expect(fitAnnotation('x'.repeat(257))).toBe(`${'x'.repeat(255)}…`);
  });

  it('never cuts a surrogate pair in half, at either end of the high-surrogate range', () => {
    for (const high of [0xd800, 0xdbff]) {
      const pair = String.fromCharCode(high, 0xdc00);
      // The pair at 254–255 would be split by a cut at 255: the cut moves before it.
      expect(fitAnnotation(`${'x'.repeat(254)}${pair}${'y'.repeat(10)}`)).toBe(`${'x'.repeat(254)}…`);
      // The pair at 253–254 fits whole.
      expect(fitAnnotation(`${'x'.repeat(253)}${pair}${'y'.repeat(10)}`)).toBe(`${'x'.repeat(253)}${pair}…`);
    }
    // Code units just outside the range are not high surrogates: the cut stays at 255.
    for (const other of [0xd7ff, 0xdc00]) {
      expect(fitAnnotation(`${'x'.repeat(254)}${String.fromCharCode(other)}${'y'.repeat(10)}`)).toBe(`${'x'.repeat(254)}${String.fromCharCode(other)}…`);
    }
  });
});

describe('agreedVerdict: one verdict from every deploy-time outcome', () => {
  const outcome = (assumption: string, verdict: Verdict) => ({ assumption, verdict });

  it('gives the shared verdict, its text unchanged when every outcome says the same', () => {
    expect(agreedVerdict('ECS.4', 'condition A', [outcome('condition A true', compliant('Same.')), outcome('condition A false', compliant('Same.'))])).toEqual(compliant('Same.'));
  });

  it('says the verdict holds whatever the input when the texts differ', () => {
    expect(agreedVerdict('ECS.4', 'condition A', [outcome('condition A true', nonCompliant('First.')), outcome('condition A false', nonCompliant('Second.'))])).toEqual({
      compliance: 'NON_COMPLIANT',
      annotation: 'First. (NON_COMPLIANT whatever the value of condition A)',
    });
  });

  it('could not evaluate when one outcome could not, saying when; as it is when every outcome says the same', () => {
    const unknown = notEvaluated('ECS.20 could not evaluate User: Ref P.');
    expect(agreedVerdict('ECS.20', 'condition A', [outcome('condition A true', compliant('Fine.')), outcome('condition A false', unknown)])).toEqual(
      notEvaluated('ECS.20 could not evaluate User: Ref P. (when condition A false)'),
    );
    expect(agreedVerdict('ECS.20', 'condition A', [outcome('condition A true', unknown), outcome('condition A false', unknown)])).toEqual(unknown);
  });

  it('could not evaluate when the outcomes disagree, naming the inputs and which values lead where — never COMPLIANT', () => {
    expect(agreedVerdict('ECS.17', 'parameter Mode', [outcome('parameter Mode = awsvpc', compliant('a')), outcome('parameter Mode = host', nonCompliant('b')), outcome('parameter Mode = bridge', compliant('c'))])).toEqual(
      notEvaluated('ECS.17 depends on deploy-time input (parameter Mode): COMPLIANT when parameter Mode = awsvpc, NON_COMPLIANT when parameter Mode = host.'),
    );
  });
});

const PROBE_RULE = { kind: 'aws-config-managed', name: 'probe-rule' } as const;

describe('defineControl', () => {
  const probe = (evaluate: (resource: TaskDefinition) => Verdict) =>
    defineControl({ id: 'TEST.1', title: 'probe', severity: 'LOW', resourceType: 'AWS::ECS::TaskDefinition', backingRule: PROBE_RULE, remediation: 'Fix it.', parameters: {}, evaluate });

  it('lets a control bug escape instead of reporting it as "could not evaluate"', () => {
    const broken = probe(() => {
      throw new TypeError('a bug');
    });
    expect(() => broken.evaluate(taskDefinition())).toThrow(TypeError);
  });

  it('turns an unreadable field into NOT_EVALUATED, and a field another document holds into NOT_APPLICABLE', () => {
    const readsPidMode = probe((resource) => compliant(`pid mode ${resource.pidMode}`));
    expect(readsPidMode.evaluate(taskDefinition({ pidMode: new Unreadable('PidMode', 'Ref P') }))).toEqual(notEvaluated('TEST.1 could not evaluate PidMode: Ref P'));
    expect(readsPidMode.evaluate(taskDefinition({ pidMode: new HeldElsewhere('PidMode', 'set on the resource') }))).toEqual(
      notApplicable('TEST.1 checks PidMode, which this document does not hold: set on the resource'),
    );
  });

  it('evaluates ACTIVE and status-less task definitions, and no other status', () => {
    const always = probe(() => compliant('Evaluated.'));
    expect(always.evaluate(taskDefinition({ status: 'ACTIVE' }))).toEqual(compliant('Evaluated.'));
    expect(always.evaluate(taskDefinition({ status: undefined }))).toEqual(compliant('Evaluated.'));
    expect(always.evaluate(taskDefinition({ status: 'INACTIVE' }))).toEqual(notApplicable('Task definition web:3 is INACTIVE; only ACTIVE revisions are evaluated.'));
  });
});

test('a control id gives the slug rule and file names use: ECS.20 → ecs-20', () => {
  expect(slugOf('ECS.20')).toBe('ecs-20');
  expect(defineControl({ id: 'ECS.3', title: 't', severity: 'LOW', resourceType: 'AWS::ECS::TaskDefinition', backingRule: PROBE_RULE, remediation: 'r', parameters: {}, evaluate: () => compliant('c') }).slug).toBe('ecs-3');
});

test('a backing rule is named with its kind: an AWS Config managed rule, or a custom rule of Security Hub CSPM', () => {
  expect(describeBackingRule({ kind: 'aws-config-managed', name: 'ecs-containers-nonprivileged' })).toBe('AWS Config managed rule ecs-containers-nonprivileged');
  expect(describeBackingRule({ kind: 'security-hub-custom', name: 'tagged-ecs-service' })).toBe('Security Hub CSPM custom rule tagged-ecs-service');
});

describe('listNames', () => {
  it.each([
    [[], ''],
    [['app'], 'app'],
    [['app', 'sidecar'], 'app and sidecar'],
    [['app', 'sidecar', 'proxy'], 'app, sidecar and proxy'],
  ])('%j → %j', (names, listed) => {
    expect(listNames(names)).toBe(listed);
  });
});

describe('sealed models', () => {
  it('are the fields themselves when every field was read', () => {
    const fields = { kind: 'AWS::ECS::Cluster' as const, displayName: 'c', settings: [], tags: {} };
    expect(sealModel(fields)).toBe(fields);
  });

  it('keep an unreadable field as an enumerable key that throws, naming where and why, when read', () => {
    const model = sealModel<{ name: string; user: string }>({ name: 'app', user: new Unreadable('ContainerDefinitions[0].User', 'Ref P') });
    expect(Object.keys(model)).toEqual(['name', 'user']);
    expect(model.name).toBe('app');
    expect(() => model.user).toThrow(new UnreadableFieldError('ContainerDefinitions[0].User', 'Ref P', false));
    try {
      void model.user;
    } catch (error) {
      expect(error).toMatchObject({ name: 'UnreadableFieldError', message: 'ContainerDefinitions[0].User: Ref P', heldElsewhere: false });
    }
  });

  it('carry their deploy-time outcomes out of sight: a copy is a plain resource', () => {
    const outcomes = [
      { assumption: 'condition A true', resource: taskDefinition({ networkMode: 'host' }) },
      { assumption: 'condition A false', resource: taskDefinition() },
    ];
    const resource = withOutcomes(outcomes, 'condition A');
    expect(outcomesOf(resource)).toEqual({ outcomes, inputs: 'condition A' });
    expect(outcomesOf({ ...resource })).toBeUndefined();
  });
});

describe('rule parameters', () => {
  it('InvalidParameterError is named for logs', () => {
    expect(new InvalidParameterError('x').name).toBe('InvalidParameterError');
  });

  it('a string list drops spaces and empty entries, and holds at most maxItems when it has one', () => {
    const unbounded = stringListParameter({ default: '', description: '' });
    const bounded = stringListParameter({ default: '', description: '', maxItems: 2 });
    expect(unbounded.parse(' a, ,b ,c ')).toEqual(['a', 'b', 'c']);
    expect(bounded.parse('a,b')).toEqual(['a', 'b']);
    expect(() => bounded.parse('a,b,c')).toThrow(new InvalidParameterError('takes at most 2 comma-separated values, got 3'));
  });

  it('a boolean reads true/false in any case and with spaces, and nothing else', () => {
    const flag = booleanParameter({ default: 'true', description: '' });
    expect(flag.parse(' TRUE ')).toBe(true);
    expect(flag.parse('False')).toBe(false);
    expect(() => flag.parse('yes')).toThrow('must be "true" or "false", got "yes"');
  });

  it('a version is dotted digits, each part a whole number', () => {
    expect(parseVersion('1.4.0')).toEqual([1, 4, 0]);
    expect(parseVersion('10.20')).toEqual([10, 20]);
    expect(parseVersion('v1.4.0')).toBeUndefined();
    expect(parseVersion('1.4.0-rc')).toBeUndefined();
    expect(versionParameter({ default: '1.4.0', description: '' }).parse(' 1.3 ')).toEqual([1, 3]);
    expect(() => versionParameter({ default: '1.4.0', description: '' }).parse('latest')).toThrow('must be a version such as 1.4.0, got "latest"');
  });

  it('versions compare part by part, missing parts counting as 0', () => {
    expect(compareVersions([1, 4], [1, 4, 0])).toBe(0);
    expect(compareVersions([1], [1, 0, 1])).toBe(-1);
    expect(compareVersions([1, 10], [1, 9])).toBe(1);
  });

  it('a parser that fails for another reason than a bad value lets that error through unchanged', () => {
    const failing: ParameterSpec<string> = {
      default: 'x',
      description: '',
      parse: () => {
        throw new RangeError('a parser bug');
      },
    };
    expect(() => resolveParameters({ value: failing }, {}, 'TEST.1')).toThrow(new RangeError('a parser bug'));
  });

  it('parses a raw value once while it stays the same, again when it changes', () => {
    let parses = 0;
    const counted: ParameterSpec<string> = { default: 'a', description: '', parse: (raw) => `${raw}#${++parses}` };
    const specs = { value: counted };
    expect(resolveParameters(specs, {}, 'TEST.1')).toEqual({ value: 'a#1' });
    expect(resolveParameters(specs, { value: 'a' }, 'TEST.1')).toEqual({ value: 'a#1' });
    expect(resolveParameters(specs, { value: 'b' }, 'TEST.1')).toEqual({ value: 'b#2' });
  });
});

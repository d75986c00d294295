/** What every control shares: metadata as CONTROLS.md states it, scope, status, parameters, annotations. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { CONTROLS, controlById } from '../../lambdas/controls';
import { Control } from '../../lambdas/core/control';
import { Resource, sealModel, TaskDefinition, Unreadable } from '../../lambdas/core/model';
import { defaultParameters, InvalidParameterError } from '../../lambdas/core/parameters';
import { capacityProvider, cluster, container, ONE_OF_EACH, service, taskDefinition, taskSet } from './builders';

const REPOSITORY = join(__dirname, '..', '..');
const read = (path: string) => readFileSync(join(REPOSITORY, path), 'utf8');

/** The control's row in the semantics tables of docs/CONTROLS.md (`| ECS.4 | … |`), outside the generated table. */
function semanticsRowOf(control: Control): string | undefined {
  return read('docs/CONTROLS.md')
    .split('\n')
    .find((line) => line.startsWith(`| ${control.id} |`));
}

const TASK_DEFINITION_CONTROLS = CONTROLS.filter((control) => control.resourceType === 'AWS::ECS::TaskDefinition');

/** Every field unreadable except `kind`: what a hostile or unresolvable document gives. */
function allUnreadable(resource: Resource): Resource {
  const fields = Object.fromEntries(Object.keys(resource).map((key) => [key, key === 'kind' ? resource.kind : new Unreadable(`field.${key}`, 'unreadable')]));
  return sealModel<Resource>(fields as never);
}

describe('the registry', () => {
  it('holds Security Hub ECS controls, each once, in Security Hub order', () => {
    const numbers = CONTROLS.map((control) => Number(/^ECS\.(\d+)$/.exec(control.id)?.[1]));
    expect(numbers.every(Number.isInteger)).toBe(true);
    expect(numbers).toEqual([...new Set(numbers)].sort((a, b) => a - b));
  });

  it('gives every control a slug and a remediation', () => {
    for (const control of CONTROLS) {
      expect(control.slug).toBe(control.id.toLowerCase().replace('.', '-'));
      expect(control.remediation.length).toBeGreaterThan(10);
    }
  });

  it('documents on the control exactly the (beyond) behaviours docs/CONTROLS.md marks', () => {
    const beyondInDocs = CONTROLS.filter((control) => semanticsRowOf(control)?.includes('**(beyond)**')).map((control) => control.id);
    expect(beyondInDocs).not.toEqual([]);
    expect(CONTROLS.filter((control) => control.beyond).map((control) => control.id)).toEqual(beyondInDocs);
  });

  it('carries the parameter defaults CONTROLS.md states', () => {
    expect(Object.fromEntries(CONTROLS.map((control) => [control.id, defaultParameters(control.parameters)]))).toMatchObject({
      'ECS.8': { secretKeys: 'AWS_ACCESS_KEY_ID,AWS_SECRET_ACCESS_KEY,ECS_ENGINE_AUTH_DATA', detectCredentialValues: 'true' },
      'ECS.10': { latestLinuxVersion: '1.4.0', latestWindowsVersion: '1.0.0' },
      'ECS.13': { requiredTagKeys: '' },
      'ECS.14': { requiredTagKeys: '' },
      'ECS.15': { requiredTagKeys: '' },
      'ECS.2': {},
      'ECS.20': {},
    });
  });

  it.each(['ECS.20', 'ecs.20', 'ecs-20', ' ECS-20 '])('finds %j', (id) => {
    expect(controlById(id).id).toBe('ECS.20');
  });

  it('names the known controls for an unknown id', () => {
    expect(() => controlById('ECS.99')).toThrow(/Unknown control "ECS.99". Known controls: ECS.2, ECS.3, .*ECS.21/);
  });
});

describe.each(CONTROLS.map((control) => [control.id, control] as const))('%s', (_id, control: Control) => {
  it('is NOT_APPLICABLE to every other resource type', () => {
    for (const other of ONE_OF_EACH.filter((resource) => resource.kind !== control.resourceType)) {
      expect(control.evaluate(other)).toEqual({ compliance: 'NOT_APPLICABLE', annotation: `${control.id} applies to ${control.resourceType}, not ${other.kind}.` });
    }
  });

  it('rejects an unknown parameter name, listing the ones it takes', () => {
    const resource = ONE_OF_EACH.find((candidate) => candidate.kind === control.resourceType) as Resource;
    const known = Object.keys(control.parameters);

    expect(() => control.evaluate(resource, { secretkeys: 'X' })).toThrow(InvalidParameterError);
    expect(() => control.evaluate(resource, { secretkeys: 'X' })).toThrow(
      `${control.id} has no parameter "secretkeys"${known.length ? ` (it takes: ${known.join(', ')})` : ' (it takes none)'}`,
    );
  });

  it('rejects a name every object inherits (toString, constructor) as unknown, not as a parameter', () => {
    const resource = ONE_OF_EACH.find((candidate) => candidate.kind === control.resourceType) as Resource;

    expect(() => control.evaluate(resource, { toString: 'X' })).toThrow(`${control.id} has no parameter "toString"`);
    expect(() => control.evaluate(resource, { constructor: 'X' })).toThrow(`${control.id} has no parameter "constructor"`);
  });

  it('rejects a parameter value that is not a string', () => {
    const [name] = Object.keys(control.parameters);
    if (name === undefined) return;
    const resource = ONE_OF_EACH.find((candidate) => candidate.kind === control.resourceType) as Resource;

    expect(() => control.evaluate(resource, { [name]: 7 })).toThrow(`${control.id} parameter "${name}" must be a string, got number`);
  });

  it('is never COMPLIANT when it cannot read the resource: NOT_EVALUATED, naming a path', () => {
    const resource = ONE_OF_EACH.find((candidate) => candidate.kind === control.resourceType) as Resource;
    const verdict = control.evaluate(allUnreadable(resource));

    expect(verdict.compliance).toBe('NOT_EVALUATED');
    expect(verdict.annotation).toMatch(new RegExp(`^${control.id.replace('.', '\\.')} could not evaluate field\\.\\w+: unreadable$`));
  });
});

describe.each(TASK_DEFINITION_CONTROLS.map((control) => [control.id, control] as const))('%s on task definition revisions', (_id, control: Control) => {
  // A deliberately failing revision: only its status can make it NOT_APPLICABLE.
  const failing = (status: TaskDefinition['status'] | Unreadable) =>
    taskDefinition({
      displayName: 'web:2',
      status,
      pidMode: 'host',
      networkMode: 'host',
      tags: {},
      containers: [container({ user: undefined, privileged: true, readonlyRootFilesystem: false, logConfiguration: undefined, environment: [{ name: 'AWS_ACCESS_KEY_ID', value: 'x' }] })],
      volumes: [{ name: 'shared', efs: { transitEncryption: undefined } }],
    });

  it.each(['INACTIVE', 'DELETE_IN_PROGRESS'])('is NOT_APPLICABLE to a %s revision', (status) => {
    expect(control.evaluate(failing(status))).toEqual({
      compliance: 'NOT_APPLICABLE',
      annotation: `Task definition web:2 is ${status}; only ACTIVE revisions are evaluated.`,
    });
  });

  it('evaluates an ACTIVE revision, and a template (no status) as the ACTIVE revision it will be', () => {
    expect(control.evaluate(failing('ACTIVE')).compliance).toBe('NON_COMPLIANT');
    expect(control.evaluate(failing(undefined)).compliance).toBe('NON_COMPLIANT');
  });

  it('cannot decide when the status is unreadable', () => {
    expect(control.evaluate(failing(new Unreadable('configuration.Status', 'expected a string, got number 1'))).annotation).toBe(
      `${control.id} could not evaluate configuration.Status: expected a string, got number 1`,
    );
  });
});

describe('annotations', () => {
  it('are cut to 256 characters, ending with an ellipsis, when many offending containers are named', () => {
    const containers = Array.from({ length: 20 }, (_, index) => container({ name: `sidecar-with-a-rather-long-name-${index}`, user: undefined }));
    const { annotation } = controlById('ECS.20').evaluate(taskDefinition({ containers }));

    expect(annotation).toHaveLength(256);
    expect(annotation.endsWith('…')).toBe(true);
    expect(annotation).toContain('sidecar-with-a-rather-long-name-0 (no user)');
  });

  it('stay within 1–256 characters whatever the names and users (every control)', () => {
    const text = fc.string({ maxLength: 300 });
    fc.assert(
      fc.property(fc.array(fc.record({ name: text, user: fc.option(text, { nil: undefined }) }), { maxLength: 5 }), text, (containers, displayName) => {
        const resources = [
          taskDefinition({ displayName, containers: containers.map((fields) => container({ ...fields, readonlyRootFilesystem: false })) }),
          service({ displayName, platformVersion: '1.0.0' }),
          cluster({ displayName, settings: [] }),
          taskSet({ displayName }),
          capacityProvider({ displayName }),
        ];
        for (const control of CONTROLS) {
          for (const resource of resources) {
            const { annotation } = control.evaluate(resource);
            expect(annotation.length).toBeGreaterThanOrEqual(1);
            expect(annotation.length).toBeLessThanOrEqual(256);
          }
        }
      }),
      { numRuns: 200 },
    );
  });
});

/** CONTRIBUTING.md's steps to add a control, held to every control in the registry. */
describe('adding a control touches the places CONTRIBUTING.md lists', () => {
  const steps = read('CONTRIBUTING.md').split('## Add a control')[1].split('\n## ')[0];
  const controlFiles = readdirSync(join(REPOSITORY, 'lambdas', 'controls')).filter((name) => /^ecs-\d+\.ts$/.test(name));
  const controlTests = readdirSync(join(REPOSITORY, 'test', 'controls'))
    .filter((name) => name.endsWith('.test.ts'))
    .map((name) => read(`test/controls/${name}`));

  it.each(['lambdas/controls/ecs-N.ts', 'lambdas/controls/index.ts', 'lambdas/handlers/ecs-N.ts', 'test/controls/ecs-N.test.ts', 'test/controls/security-hub-page.test.ts', 'docs/CONTROLS.md', 'npm run docs'])(
    'the steps name %s',
    (place) => {
      expect(steps).toContain(place);
    },
  );

  it('every control file is registered, under its own name (step 2)', async () => {
    const registered = await Promise.all(controlFiles.map(async (name) => Object.values(await import(`../../lambdas/controls/${name.slice(0, -3)}`)).find((value) => CONTROLS.includes(value as Control)) as Control | undefined));
    expect(registered.map((control) => control && `${control.slug}.ts`)).toEqual(controlFiles);
    expect(controlFiles).toHaveLength(CONTROLS.length);
  });

  describe.each(CONTROLS.map((control) => [control.id, control] as const))('%s', (_id, control: Control) => {
    it('has its rule function entry (step 3)', () => {
      expect(existsSync(join(REPOSITORY, 'lambdas', 'handlers', `${control.slug}.ts`))).toBe(true);
    });

    it('has tests that import it (step 4)', () => {
      expect(controlTests.some((source) => source.includes(`from '../../lambdas/controls/${control.slug}'`))).toBe(true);
    });

    it('has its semantics in docs/CONTROLS.md (step 5)', () => {
      expect(semanticsRowOf(control)?.split('|').length).toBeGreaterThan(3);
    });
  });
});

/**
 * Property-based tests of every control over arbitrary and malformed AWS Config configuration items
 * (fast-check). "Malformed" is defined in ./schema.ts. The properties:
 *
 * 1. Total: the Config adapter either builds a model or throws `MalformedConfigurationItemError` (a
 *    broken envelope); `evaluate` never throws, whatever the configuration holds.
 * 2. Fitted: every annotation is 1–256 characters, one line, well-formed Unicode (no half of a
 *    surrogate pair), as PutEvaluations requires.
 * 3. Fail closed: when a field is malformed, a control answers NOT_EVALUATED, naming where, unless
 *    its answer cannot depend on that field: it must be the same for every valid value the field
 *    could have had (unset included). So no verdict (COMPLIANT least of all) rests on a value the
 *    control could not read.
 * 4. Not over-strict: a well-formed item is always decided.
 */
import fc from 'fast-check';
import { Verdict } from '../../lambdas/core/control';
import { ResourceType, RESOURCE_TYPES } from '../../lambdas/core/model';
import { CONTROLS } from '../../lambdas/controls';
import { configurationItemFromEvent, MalformedConfigurationItemError, resourceFromConfigurationItem } from '../../lambdas/adapters/config-item';
import { alternatives, corruptions, FieldSpec, nested, pathText, SCHEMAS, sitesOf, TAGS, Value, wellFormed, withValue } from './schema';

type Json = Record<string, unknown>;

const RUNS = { numRuns: 400 };

/** A configuration item as the change notification carries it. */
function eventItem(resourceType: ResourceType, configuration: unknown, tags: unknown = {}): Json {
  return {
    configurationItemCaptureTime: '2026-11-20T10:00:00.000Z',
    configurationItemStatus: 'OK',
    resourceType,
    resourceId: 'resource-1',
    resourceName: 'resource-1',
    awsAccountId: '123456789012',
    ARN: 'arn:aws:ecs:us-east-1:123456789012:resource/resource-1',
    configuration,
    tags,
  };
}

/** Every control's verdict on an item (other resource types' controls answer NOT_APPLICABLE). */
function verdicts(item: Json): Map<string, Verdict> {
  // ECS.10's lookup of the service's task definition OS family, as the edge would supply it.
  const resource = resourceFromConfigurationItem(configurationItemFromEvent(item), { taskDefinitionOperatingSystemFamily: 'LINUX' });
  return new Map(CONTROLS.map((control) => [control.id, control.evaluate(resource)]));
}

function expectFitted(verdict: Verdict): void {
  expect(verdict.annotation.length).toBeGreaterThanOrEqual(1);
  expect(verdict.annotation.length).toBeLessThanOrEqual(256);
  expect(verdict.annotation).not.toMatch(/[\r\n]/);
  expect(verdict.annotation).not.toMatch(LONE_SURROGATE);
}

/** Half of a UTF-16 surrogate pair: what cutting a string between the halves of an emoji leaves. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

const resourceType = fc.constantFrom(...RESOURCE_TYPES);

/** A well-formed item of any resource type. */
const wellFormedItem = resourceType.chain((type) =>
  fc.record({ type: fc.constant(type), configuration: wellFormed(SCHEMAS[type]) as fc.Arbitrary<Json>, tags: TAGS }),
);

/** A well-formed item with one site replaced by a malformed value. */
const corruptedItem = wellFormedItem.chain(({ type, configuration, tags }) => {
  const sites = sitesOf(configuration, SCHEMAS[type]);
  return fc.constantFrom(...sites).chain((site) =>
    corruptions(site).map((value) => ({ type, configuration, tags, site, value })),
  );
});

describe('well-formed items', () => {
  test('are always decided, with fitted annotations', () => {
    fc.assert(
      fc.property(wellFormedItem, ({ type, configuration, tags }) => {
        for (const [id, verdict] of verdicts(eventItem(type, configuration, tags))) {
          expect([id, verdict.compliance]).not.toEqual([id, 'NOT_EVALUATED']);
          expectFitted(verdict);
        }
      }),
      RUNS,
    );
  });
});

describe('one malformed field', () => {
  test('never throws, and yields NOT_EVALUATED naming the field unless no valid value of it could change the verdict', () => {
    fc.assert(
      fc.property(corruptedItem, ({ type, configuration, tags, site, value }) => {
        const malformed = verdicts(eventItem(type, withValue(configuration, site.path, value), tags));
        const validValues = alternatives(site);
        const valid = validValues.map((alternative) => verdicts(eventItem(type, withValue(configuration, site.path, alternative), tags)));
        for (const [id, verdict] of malformed) {
          expectFitted(verdict);
          if (verdict.compliance === 'NOT_EVALUATED') {
            expect(verdict.annotation).toContain(`configuration.${pathText(site.path)}`);
            continue;
          }
          // A verdict is allowed only when the field could not have changed it.
          const disagreeing = valid
            .map((verdictsForValue, index) => ({ valid: shown(validValues[index]), compliance: verdictsForValue.get(id)?.compliance }))
            .filter((alternative) => alternative.compliance !== verdict.compliance);
          expect({ control: id, field: pathText(site.path), malformed: shown(value), verdict: verdict.compliance, disagreeing }).toEqual({
            control: id,
            field: pathText(site.path),
            malformed: shown(value),
            verdict: verdict.compliance,
            disagreeing: [],
          });
        }
      }),
      RUNS,
    );
  });

  test('a malformed tag map: a verdict only where tags could not have changed it', () => {
    const malformedTags = fc.constantFrom<unknown>('team=payments', ['team'], { team: 1 }, { team: null }, { team: { value: 'x' } }, 0, true);
    const validTags = [{}, { team: 'payments' }, { 'aws:cloudformation:stack-name': 'web' }];
    fc.assert(
      fc.property(wellFormedItem, malformedTags, ({ type, configuration }, tags) => {
        const valid = validTags.map((validTag) => verdicts(eventItem(type, configuration, validTag)));
        for (const [id, verdict] of verdicts(eventItem(type, configuration, tags))) {
          expectFitted(verdict);
          if (verdict.compliance === 'NOT_EVALUATED') {
            expect(verdict.annotation).toContain('tags');
            continue;
          }
          expect({ control: id, compliance: valid.map((verdictsForTags) => verdictsForTags.get(id)?.compliance) }).toEqual({ control: id, compliance: valid.map(() => verdict.compliance) });
        }
      }),
      RUNS,
    );
  });
});

/** A value as a failure message shows it: three levels deep at most (hostile values nest thousands). */
function shown(value: Value, depth = 0): string {
  if (typeof value === 'symbol') return 'absent';
  if (typeof value !== 'object' || value === null) return JSON.stringify(value);
  if (depth >= 3) return '…';
  const parts = Array.isArray(value) ? value.slice(0, 3).map((item) => shown(item, depth + 1)) : Object.entries(value).slice(0, 3).map(([key, item]) => `${key}: ${shown(item, depth + 1)}`);
  return Array.isArray(value) ? `[${parts.join(', ')}]` : `{${parts.join(', ')}}`;
}

describe('hostile shapes', () => {
  /** Every key the schemas know, at any depth, mixed with arbitrary keys and values. */
  const VOCABULARY = [...new Set(Object.values(SCHEMAS).flatMap((schema) => keysOf(schema)))];
  const hostileDocument = fc.object({
    key: fc.oneof(fc.constantFrom(...VOCABULARY), fc.constantFrom(...VOCABULARY.map((key) => key.toLowerCase())), fc.string({ unit: 'grapheme' })),
    values: [fc.jsonValue(), fc.constantFrom(null, true, 0, '', 'host', 'ENABLED', 'root', [], {})],
    maxDepth: 4,
    maxKeys: 8,
  });

  test('arbitrary documents: never a throw, always a fitted annotation', () => {
    fc.assert(
      fc.property(resourceType, hostileDocument, fc.oneof(TAGS, fc.jsonValue()), (type, configuration, tags) => {
        for (const verdict of verdicts(eventItem(type, configuration, tags)).values()) expectFitted(verdict);
      }),
      RUNS,
    );
  });

  test('a broken envelope is rejected with MalformedConfigurationItemError naming the field, never another error', () => {
    fc.assert(
      fc.property(fc.anything(), (raw) => {
        try {
          configurationItemFromEvent(raw);
        } catch (error) {
          expect(error).toBeInstanceOf(MalformedConfigurationItemError);
          expect((error as Error).message).toMatch(/^configurationItem/);
        }
      }),
      RUNS,
    );
  });

  test('5,000 containers with emoji names: decided, and the annotation is cut without splitting a character', () => {
    const containers = Array.from({ length: 5000 }, (_, index) => ({ Name: `🚀${'🛰️'.repeat(index % 7)}-${index}`, User: index % 2 ? '1000' : 'root', Privileged: index % 3 === 0 }));
    const item = eventItem('AWS::ECS::TaskDefinition', { Family: 'huge', Status: 'ACTIVE', ContainerDefinitions: containers });

    const results = verdicts(item);

    expect(results.get('ECS.20')?.compliance).toBe('NON_COMPLIANT');
    expect(results.get('ECS.4')?.compliance).toBe('NON_COMPLIANT');
    for (const verdict of results.values()) expectFitted(verdict);
  });

  test('every cut of a long unicode name leaves well-formed annotations', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', minLength: 200, maxLength: 400 }), (name) => {
        const item = eventItem('AWS::ECS::Cluster', { ClusterName: name, ClusterSettings: [] });
        for (const verdict of verdicts(item).values()) expectFitted(verdict);
      }),
      RUNS,
    );
  });

  test('a value nested 100,000 levels deep where a boolean belongs is NOT_EVALUATED, not a stack overflow', () => {
    const item = eventItem('AWS::ECS::TaskDefinition', { Family: 'deep', Status: 'ACTIVE', ContainerDefinitions: [{ Name: 'app', Privileged: nested(100_000, 'object') }] });

    const verdict = verdicts(item).get('ECS.4')!;

    expect(verdict.compliance).toBe('NOT_EVALUATED');
    expect(verdict.annotation).toContain('configuration.ContainerDefinitions[0].Privileged: expected a boolean');
    expectFitted(verdict);
  });
});

function keysOf(spec: FieldSpec): string[] {
  if (spec.kind === 'object') return Object.entries(spec.fields).flatMap(([key, field]) => [key, ...keysOf(field)]);
  if (spec.kind === 'list') return keysOf(spec.item);
  return [];
}

/**
 * Malformed AWS Config events through the real handler: each is rejected before any AWS call with a
 * `MalformedEventError` (or, for a broken configuration item, `MalformedConfigurationItemError`) that
 * names the field, logged as one structured ERROR line; never a crash deep in the code. The basic
 * bad-JSON and unknown-message-type rejections are in rule-handler.test.ts; these add the rest of
 * the event's fields, the log line, and arbitrary events.
 */
import fc from 'fast-check';
import { ecs20 } from '../../lambdas/controls/ecs-20';
import { createRuleHandler } from '../../lambdas/runtime/rule-handler';
import { asOwnFunction, loopbackPerTest } from './loopback-harness';
import { changeEventFor, oversizedEventWith, TASK_DEFINITION_ARN, taskDefinitionItem } from '../../dev-support/events';

const harness = loopbackPerTest();

beforeEach(() => {
  harness.aws.on('PutEvaluations', () => ({ FailedEvaluations: [] }));
  harness.aws.on('ListTaskDefinitions', () => ({ taskDefinitionArns: [TASK_DEFINITION_ARN('checkout-api', 7)] }));
});

const handler = asOwnFunction(createRuleHandler(ecs20, { backoff: async () => {} }));
const errorLines = () => harness.logLines.filter((line) => line.level === 'ERROR');

/** A change event whose invokingEvent is `invokingEvent`, serialized. */
const withInvokingEvent = (invokingEvent: unknown) => ({ ...changeEventFor(taskDefinitionItem()), invokingEvent: JSON.stringify(invokingEvent) });

const MALFORMED: [string, unknown, string][] = [
  ['no event at all', null, 'the event is not an object'],
  ['an event that is a string', 'ConfigurationItemChangeNotification', 'the event is not an object'],
  ['no resultToken', { ...changeEventFor(taskDefinitionItem()), resultToken: undefined }, 'event.resultToken must be a non-empty string'],
  ['an empty resultToken', changeEventFor(taskDefinitionItem(), { resultToken: '' }), 'event.resultToken must be a non-empty string'],
  ['a resultToken that is not a string', changeEventFor(taskDefinitionItem(), { resultToken: 42 }), 'event.resultToken must be a non-empty string'],
  ['no invokingEvent', { ...changeEventFor(taskDefinitionItem()), invokingEvent: undefined }, 'event.invokingEvent is missing'],
  ['an invokingEvent that is already an object', { ...changeEventFor(taskDefinitionItem()), invokingEvent: { messageType: 'ConfigurationItemChangeNotification' } }, 'event.invokingEvent must be a JSON string, got object'],
  ['an invokingEvent that encodes a list', { ...changeEventFor(taskDefinitionItem()), invokingEvent: '[]' }, 'event.invokingEvent must encode a JSON object'],
  ['no messageType', withInvokingEvent({ configurationItem: taskDefinitionItem() }), 'invokingEvent.messageType is missing'],
  ['a messageType of the wrong type', withInvokingEvent({ messageType: 7 }), 'invokingEvent.messageType 7'],
  ['ruleParameters that are not JSON', changeEventFor(taskDefinitionItem(), { ruleParameters: '{secretKeys:' }), 'event.ruleParameters is not valid JSON'],
  ['ruleParameters that encode a string', changeEventFor(taskDefinitionItem(), { ruleParameters: '"x"' }), 'event.ruleParameters must encode a JSON object'],
  ['a change notification without its item', withInvokingEvent({ messageType: 'ConfigurationItemChangeNotification' }), 'invokingEvent.configurationItem must be an object'],
  ['an oversized notification without its summary', withInvokingEvent({ messageType: 'OversizedConfigurationItemChangeNotification' }), 'invokingEvent.configurationItemSummary must be an object'],
  ['an oversized summary without a resourceId', oversizedEventWith({ resourceId: undefined }), 'invokingEvent.configurationItemSummary.resourceId must be a non-empty string'],
  ['an executionRoleArn that is not a string', changeEventFor(taskDefinitionItem(), { executionRoleArn: ['arn'] }), 'event.executionRoleArn must be a string'],
  ['an item without a resourceType', changeEventFor({ ...taskDefinitionItem(), resourceType: undefined }), 'configurationItem.resourceType must be a non-empty string'],
  ['an item whose capture time is not a time', changeEventFor({ ...taskDefinitionItem(), configurationItemCaptureTime: 'soon' }), 'configurationItem.configurationItemCaptureTime is not a time: "soon"'],
  ['an item whose configuration is a list', changeEventFor({ ...taskDefinitionItem(), configuration: [] }), 'configurationItem.configuration must be an object, got a list'],
];

describe('a malformed event', () => {
  test.each(MALFORMED)('%s: rejected before any AWS call, with one ERROR line naming the field', async (_case, event, message) => {
    await expect(handler(event)).rejects.toThrow(message);

    expect(harness.aws.calls).toEqual([]);
    expect(errorLines()).toEqual([expect.objectContaining({ control: 'ECS.20', errorName: expect.stringMatching(/^Malformed(Event|ConfigurationItem)Error$/), error: expect.stringContaining(message) })]);
  });

  test('the unknown message type names the ones this rule handles', async () => {
    await expect(handler(withInvokingEvent({ messageType: 'ConfigurationSnapshotDeliveryCompleted' }))).rejects.toThrow(
      'this rule handles ConfigurationItemChangeNotification, OversizedConfigurationItemChangeNotification and ScheduledNotification',
    );
    expect(errorLines()).toEqual([expect.objectContaining({ errorName: 'MalformedEventError' })]);
  });
});

describe('any event', () => {
  /** The valid change event with fields removed or replaced by arbitrary JSON, at the top and in the invoking event. */
  const mangledEvent = fc
    .record({
      top: fc.dictionary(fc.constantFrom('invokingEvent', 'ruleParameters', 'resultToken', 'eventLeftScope', 'executionRoleArn', 'accountId', 'configRuleName'), fc.option(fc.jsonValue(), { nil: undefined }), { maxKeys: 2 }),
      invoking: fc.dictionary(fc.constantFrom('messageType', 'configurationItem', 'configurationItemSummary', 'notificationCreationTime'), fc.option(fc.jsonValue(), { nil: undefined }), { maxKeys: 2 }),
    })
    .map(({ top, invoking }) => {
      const event = changeEventFor(taskDefinitionItem());
      const invokingEvent = { ...JSON.parse(event.invokingEvent), ...invoking };
      return { ...event, invokingEvent: JSON.stringify(invokingEvent), ...top };
    });

  test('is evaluated, or rejected with a named validation error and one ERROR line; nothing else escapes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(mangledEvent, fc.anything()), async (event) => {
        harness.logLines.length = 0;
        harness.aws.calls.length = 0;
        try {
          await handler(event);
          expect(harness.aws.callsOf('PutEvaluations')).toHaveLength(1);
        } catch (error) {
          expect((error as Error).name).toMatch(/^(MalformedEventError|MalformedConfigurationItemError|InvalidParameterError|CouldNotEvaluateError|RefusedEventError)$/);
          expect(harness.aws.callsOf('PutEvaluations')).toHaveLength(0);
          expect(errorLines()).toHaveLength(1);
        }
      }),
      { numRuns: 300 },
    );
  });
});

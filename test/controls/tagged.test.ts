/** ECS.13 (services), ECS.14 (clusters) and ECS.15 (task definitions) share one body. */
import { ecs13 } from '../../lambdas/controls/ecs-13';
import { ecs14 } from '../../lambdas/controls/ecs-14';
import { ecs15 } from '../../lambdas/controls/ecs-15';
import { Tags } from '../../lambdas/core/model';
import { InvalidParameterError } from '../../lambdas/core/parameters';
import { cluster, describeControl, service, taskDefinition, unreadable } from './builders';

const cases = [
  { control: ecs13, noun: 'service', tagged: (tags: Tags) => service({ tags }) },
  { control: ecs14, noun: 'cluster', tagged: (tags: Tags) => cluster({ tags }) },
  { control: ecs15, noun: 'task definition', tagged: (tags: Tags) => taskDefinition({ tags }) },
];

describe.each(cases)('$control.id', ({ control, noun, tagged }) => {
  describeControl(control, [
    { case: 'a user tag', resource: tagged({ team: 'payments' }), expected: 'COMPLIANT', mentions: ['team'] },
    { case: 'no tags', resource: tagged({}), expected: 'NON_COMPLIANT', mentions: [`The ${noun}`, 'no tags other than aws: system tags', 'Tag the'] },
    { case: 'only aws: system tags', resource: tagged({ 'aws:cloudformation:stack-name': 'payments', 'aws:ecs:serviceName': 'x' }), expected: 'NON_COMPLIANT' },
    { case: 'a user tag beside system tags', resource: tagged({ 'aws:cloudformation:stack-name': 'payments', env: 'prod' }), expected: 'COMPLIANT', omits: ['aws:'] },
    { case: 'every required key', resource: tagged({ team: 'payments', env: 'prod' }), parameters: { requiredTagKeys: 'team,env' }, expected: 'COMPLIANT' },
    { case: 'a required key missing', resource: tagged({ team: 'payments' }), parameters: { requiredTagKeys: 'team,env,owner' }, expected: 'NON_COMPLIANT', mentions: ['missing required tag keys: env, owner'] },
    { case: 'required keys are case-sensitive', resource: tagged({ Team: 'payments' }), parameters: { requiredTagKeys: 'team' }, expected: 'NON_COMPLIANT', mentions: ['team'] },
    { case: 'spaces around required keys are ignored', resource: tagged({ team: 'a', env: 'b' }), parameters: { requiredTagKeys: ' team , env ' }, expected: 'COMPLIANT' },
    { case: 'six required keys is the limit', resource: tagged({ a: '1', b: '2', c: '3', d: '4', e: '5', f: '6' }), parameters: { requiredTagKeys: 'a,b,c,d,e,f' }, expected: 'COMPLIANT' },
    { case: 'an empty tag value still counts', resource: tagged({ team: '' }), parameters: { requiredTagKeys: 'team' }, expected: 'COMPLIANT' },
    { case: 'unreadable tags', resource: tagged(unreadable('tags') as never), expected: 'NOT_EVALUATED', mentions: [`${control.id} could not evaluate tags`] },
  ]);

  it('rejects more than six requiredTagKeys', () => {
    expect(() => control.evaluate(tagged({}), { requiredTagKeys: 'a,b,c,d,e,f,g' })).toThrow(
      new InvalidParameterError(`${control.id} parameter "requiredTagKeys" takes at most 6 comma-separated values, got 7`),
    );
  });
});

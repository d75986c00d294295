/**
 * CONTROLS.md's consequence of evaluating an unset OS family under both ECS.20 and ECS.21:
 * no OS family and no user fails both; `root` fails ECS.20 and passes ECS.21; `1000` passes both.
 */
import { ecs20 } from '../../lambdas/controls/ecs-20';
import { ecs21 } from '../../lambdas/controls/ecs-21';
import { container, taskDefinition } from './builders';

describe('ECS.20 and ECS.21 on a task definition with no OS family', () => {
  it.each([
    ['no user', undefined, 'NON_COMPLIANT', 'NON_COMPLIANT'],
    ['root', 'root', 'NON_COMPLIANT', 'COMPLIANT'],
    ['1000', '1000', 'COMPLIANT', 'COMPLIANT'],
    ['ContainerAdministrator', 'ContainerAdministrator', 'COMPLIANT', 'NON_COMPLIANT'],
  ])('user %s: ECS.20 %s, ECS.21 %s', (_label, user, expected20, expected21) => {
    const resource = taskDefinition({ operatingSystemFamily: undefined, containers: [container({ user })] });

    expect([ecs20.evaluate(resource).compliance, ecs21.evaluate(resource).compliance]).toEqual([expected20, expected21]);
  });
});

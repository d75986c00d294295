import { ecs4 } from '../../lambdas/controls/ecs-4';
import { container, describeControl, taskDefinition, unreadable } from './builders';

describeControl(ecs4, [
  {
    case: 'one privileged container of two',
    resource: taskDefinition({ containers: [container({ name: 'app' }), container({ name: 'agent', privileged: true })] }),
    expected: 'NON_COMPLIANT',
    mentions: ['privileged containers: agent.', 'Remove privileged: true'],
    omits: ['app'],
  },
  {
    case: 'two privileged containers',
    resource: taskDefinition({ containers: [container({ name: 'app', privileged: true }), container({ name: 'agent', privileged: true })] }),
    expected: 'NON_COMPLIANT',
    mentions: ['app and agent'],
  },
  // Adapters read an unset `privileged` as false (the ECS default): see test/adapters.
  { case: 'privileged false (or unset)', resource: taskDefinition({ containers: [container({ privileged: false })] }), expected: 'COMPLIANT' },
  { case: 'no containers', resource: taskDefinition({ containers: [] }), expected: 'COMPLIANT' },
  {
    case: 'unreadable privileged',
    resource: taskDefinition({ containers: [container({ privileged: unreadable('ContainerDefinitions[0].Privileged') })] }),
    expected: 'NOT_EVALUATED',
    mentions: ['ECS.4 could not evaluate ContainerDefinitions[0].Privileged'],
  },
]);

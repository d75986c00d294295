import { ecs9 } from '../../lambdas/controls/ecs-9';
import { container, describeControl, taskDefinition, unreadable } from './builders';

describeControl(ecs9, [
  {
    case: 'a container without logConfiguration',
    resource: taskDefinition({ containers: [container({ name: 'app' }), container({ name: 'log-sidecar', logConfiguration: undefined })] }),
    expected: 'NON_COMPLIANT',
    mentions: ['log-sidecar (no logConfiguration)', 'logDriver'],
    omits: ['app ('],
  },
  { case: 'a logConfiguration without logDriver', resource: taskDefinition({ containers: [container({ logConfiguration: { logDriver: undefined } })] }), expected: 'NON_COMPLIANT', mentions: ['app (no logDriver)'] },
  { case: 'an empty logDriver', resource: taskDefinition({ containers: [container({ logConfiguration: { logDriver: '' } })] }), expected: 'NON_COMPLIANT' },
  { case: 'awslogs', resource: taskDefinition({ containers: [container({ logConfiguration: { logDriver: 'awslogs' } })] }), expected: 'COMPLIANT' },
  {
    case: 'a FireLens app and its log router',
    resource: taskDefinition({ containers: [container({ name: 'app', logConfiguration: { logDriver: 'awsfirelens' } }), container({ name: 'log-router' })] }),
    expected: 'COMPLIANT',
  },
  {
    case: 'unreadable logConfiguration',
    resource: taskDefinition({ containers: [container({ logConfiguration: unreadable('ContainerDefinitions[0].LogConfiguration') })] }),
    expected: 'NOT_EVALUATED',
    mentions: ['ContainerDefinitions[0].LogConfiguration'],
  },
]);

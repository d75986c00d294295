import { ecs3 } from '../../lambdas/controls/ecs-3';
import { describeControl, taskDefinition, unreadable } from './builders';

describeControl(ecs3, [
  { case: 'pidMode host', resource: taskDefinition({ pidMode: 'host' }), expected: 'NON_COMPLIANT', mentions: ['web:3', 'pidMode to host'] },
  { case: 'pidMode task', resource: taskDefinition({ pidMode: 'task' }), expected: 'COMPLIANT' },
  { case: 'pidMode unset', resource: taskDefinition({ pidMode: undefined }), expected: 'COMPLIANT' },
  { case: 'unreadable pidMode', resource: taskDefinition({ pidMode: unreadable('PidMode') }), expected: 'NOT_EVALUATED', mentions: ['ECS.3 could not evaluate PidMode'] },
]);

import { ecs17 } from '../../lambdas/controls/ecs-17';
import { describeControl, taskDefinition, unreadable } from './builders';

describeControl(ecs17, [
  { case: 'networkMode host', resource: taskDefinition({ networkMode: 'host' }), expected: 'NON_COMPLIANT', mentions: ['web:3', 'networkMode host', 'awsvpc'] },
  { case: 'networkMode awsvpc', resource: taskDefinition({ networkMode: 'awsvpc' }), expected: 'COMPLIANT' },
  { case: 'networkMode bridge', resource: taskDefinition({ networkMode: 'bridge' }), expected: 'COMPLIANT' },
  { case: 'networkMode none', resource: taskDefinition({ networkMode: 'none' }), expected: 'COMPLIANT' },
  { case: 'networkMode unset', resource: taskDefinition({ networkMode: undefined }), expected: 'COMPLIANT' },
  { case: 'unreadable networkMode', resource: taskDefinition({ networkMode: unreadable('NetworkMode') }), expected: 'NOT_EVALUATED', mentions: ['NetworkMode'] },
]);

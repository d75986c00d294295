import { ecs19 } from '../../lambdas/controls/ecs-19';
import { capacityProvider, describeControl, unreadable } from './builders';

describeControl(ecs19, [
  { case: 'managed termination protection ENABLED', resource: capacityProvider({ autoScalingGroupProvider: { managedTerminationProtection: 'ENABLED' } }), expected: 'COMPLIANT' },
  {
    case: 'managed termination protection DISABLED',
    resource: capacityProvider({ autoScalingGroupProvider: { managedTerminationProtection: 'DISABLED' } }),
    expected: 'NON_COMPLIANT',
    mentions: ['ec2-spot', 'DISABLED', 'managedTerminationProtection to ENABLED'],
  },
  { case: 'managed termination protection unset (DISABLED)', resource: capacityProvider({ autoScalingGroupProvider: { managedTerminationProtection: undefined } }), expected: 'NON_COMPLIANT', mentions: ['unset (DISABLED)'] },
  { case: 'no Auto Scaling group (a Fargate provider)', resource: capacityProvider({ displayName: 'FARGATE', autoScalingGroupProvider: undefined }), expected: 'NOT_APPLICABLE', mentions: ['FARGATE'] },
  { case: 'unreadable provider', resource: capacityProvider({ autoScalingGroupProvider: unreadable('AutoScalingGroupProvider') }), expected: 'NOT_EVALUATED' },
]);

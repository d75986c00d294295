import { ecs16 } from '../../lambdas/controls/ecs-16';
import { describeControl, taskSet, unreadable } from './builders';

describeControl(ecs16, [
  { case: 'assignPublicIp ENABLED', resource: taskSet({ awsVpc: { assignPublicIp: 'ENABLED' } }), expected: 'NON_COMPLIANT', mentions: ['ecs-svc/123', 'assignPublicIp ENABLED'] },
  { case: 'assignPublicIp DISABLED', resource: taskSet({ awsVpc: { assignPublicIp: 'DISABLED' } }), expected: 'COMPLIANT' },
  { case: 'assignPublicIp unset (DISABLED)', resource: taskSet({ awsVpc: { assignPublicIp: undefined } }), expected: 'COMPLIANT' },
  { case: 'no awsVpcConfiguration (decision)', resource: taskSet({ awsVpc: undefined }), expected: 'NOT_APPLICABLE', mentions: ['no awsVpcConfiguration'] },
  { case: 'unreadable awsVpcConfiguration', resource: taskSet({ awsVpc: unreadable('NetworkConfiguration.AwsVpcConfiguration') }), expected: 'NOT_EVALUATED' },
]);

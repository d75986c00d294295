import { ecs2 } from '../../lambdas/controls/ecs-2';
import { describeControl, service, unreadable } from './builders';

describeControl(ecs2, [
  { case: 'assignPublicIp ENABLED', resource: service({ awsvpc: { assignPublicIp: 'ENABLED' } }), expected: 'NON_COMPLIANT', mentions: ['checkout', 'assignPublicIp ENABLED', 'DISABLED'] },
  { case: 'assignPublicIp ENABLED on EC2 too', resource: service({ launchType: 'EC2', awsvpc: { assignPublicIp: 'ENABLED' } }), expected: 'NON_COMPLIANT' },
  { case: 'assignPublicIp DISABLED', resource: service({ awsvpc: { assignPublicIp: 'DISABLED' } }), expected: 'COMPLIANT' },
  { case: 'assignPublicIp unset (DISABLED)', resource: service({ awsvpc: { assignPublicIp: undefined } }), expected: 'COMPLIANT' },
  { case: 'no awsvpcConfiguration (decision)', resource: service({ awsvpc: undefined }), expected: 'NOT_APPLICABLE', mentions: ['no awsvpcConfiguration'] },
  {
    case: 'unreadable network configuration',
    resource: service({ awsvpc: unreadable('Resources.Svc.Properties.NetworkConfiguration') }),
    expected: 'NOT_EVALUATED',
    mentions: ['Resources.Svc.Properties.NetworkConfiguration'],
  },
]);

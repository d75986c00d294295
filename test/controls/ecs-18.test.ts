import { ecs18 } from '../../lambdas/controls/ecs-18';
import { describeControl, taskDefinition, unreadable } from './builders';

describeControl(ecs18, [
  { case: 'no volumes (decision)', resource: taskDefinition({ volumes: [] }), expected: 'NOT_APPLICABLE', mentions: ['no EFS volumes'] },
  { case: 'only bind-mount volumes', resource: taskDefinition({ volumes: [{ name: 'scratch', efs: undefined }] }), expected: 'NOT_APPLICABLE' },
  { case: 'EFS with transit encryption ENABLED', resource: taskDefinition({ volumes: [{ name: 'shared', efs: { transitEncryption: 'ENABLED' } }] }), expected: 'COMPLIANT' },
  { case: 'EFS with transit encryption DISABLED', resource: taskDefinition({ volumes: [{ name: 'shared', efs: { transitEncryption: 'DISABLED' } }] }), expected: 'NON_COMPLIANT', mentions: ['shared (DISABLED)', 'transitEncryption: ENABLED'] },
  { case: 'EFS with transit encryption unset (DISABLED)', resource: taskDefinition({ volumes: [{ name: 'shared', efs: { transitEncryption: undefined } }] }), expected: 'NON_COMPLIANT', mentions: ['shared (unset)'] },
  {
    case: 'only the unencrypted EFS volume is named',
    resource: taskDefinition({
      volumes: [
        { name: 'scratch', efs: undefined },
        { name: 'uploads', efs: { transitEncryption: 'ENABLED' } },
        { name: 'archive', efs: { transitEncryption: undefined } },
      ],
    }),
    expected: 'NON_COMPLIANT',
    mentions: ['archive (unset)'],
    omits: ['uploads', 'scratch'],
  },
  { case: 'unreadable volumes', resource: taskDefinition({ volumes: unreadable('Volumes[0].EFSVolumeConfiguration') }), expected: 'NOT_EVALUATED', mentions: ['Volumes[0].EFSVolumeConfiguration'] },
]);

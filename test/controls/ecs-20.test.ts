import { ecs20 } from '../../lambdas/controls/ecs-20';
import { container, describeControl, Row, taskDefinition, unreadable } from './builders';

/** A one-container task definition (OS family not configured) running as `user`. */
const runningAs = (user: string | undefined, operatingSystemFamily?: string) => taskDefinition({ operatingSystemFamily, containers: [container({ name: 'app', user })] });

const userRows: Row[] = [
  ['unset', undefined, 'NON_COMPLIANT', 'app (no user)'],
  ['empty', '', 'NON_COMPLIANT', 'app (no user)'],
  ['blank', '  ', 'NON_COMPLIANT', 'app (no user)'],
  ['root', 'root', 'NON_COMPLIANT', 'app (user root)'],
  ['0', '0', 'NON_COMPLIANT', 'app (user 0)'],
  ['0:0', '0:0', 'NON_COMPLIANT', 'app (user 0:0)'],
  ['root:root', 'root:root', 'NON_COMPLIANT', 'app (user root:root)'],
  ['0:1000 (root user, other group)', '0:1000', 'NON_COMPLIANT', 'app (user 0:1000)'],
  ['root:1000', 'root:1000', 'NON_COMPLIANT', undefined],
  ['" root " (trimmed)', ' root ', 'NON_COMPLIANT', undefined],
  ['"0 :1000" (user part trimmed)', '0 :1000', 'NON_COMPLIANT', undefined],
  ['(beyond) 00', '00', 'NON_COMPLIANT', 'app (user 00)'],
  ['(beyond) 000:1000', '000:1000', 'NON_COMPLIANT', undefined],
  ['1000:0 (non-root user, root group)', '1000:0', 'COMPLIANT', undefined],
  ['1000', '1000', 'COMPLIANT', undefined],
  ['1000:1000', '1000:1000', 'COMPLIANT', undefined],
  ['10 (not 0)', '10', 'COMPLIANT', undefined],
  ['nobody', 'nobody', 'COMPLIANT', undefined],
  ['Root (case-sensitive: not root)', 'Root', 'COMPLIANT', undefined],
  ['rootless (a name that starts with root)', 'rootless', 'COMPLIANT', undefined],
].map(([label, user, expected, mention]) => ({
  case: `user ${label}`,
  resource: runningAs(user as string | undefined),
  expected: expected as Row['expected'],
  mentions: mention ? [mention as string] : [],
}));

describeControl(ecs20, [
  ...userRows,
  { case: 'LINUX is evaluated', resource: runningAs('root', 'LINUX'), expected: 'NON_COMPLIANT' },
  { case: 'OS family not configured is evaluated', resource: runningAs(undefined, undefined), expected: 'NON_COMPLIANT' },
  { case: 'Windows Server 2019 Core', resource: runningAs(undefined, 'WINDOWS_SERVER_2019_CORE'), expected: 'NOT_APPLICABLE', mentions: ['WINDOWS_SERVER_2019_CORE'] },
  { case: 'Windows Server 2022 Full', resource: runningAs('root', 'WINDOWS_SERVER_2022_FULL'), expected: 'NOT_APPLICABLE' },
  {
    case: 'the checkout-api pattern: every root container named, with why',
    resource: taskDefinition({
      displayName: 'checkout-api:7',
      containers: [container({ name: 'checkout-api', user: undefined }), container({ name: 'log-sidecar', user: '0' }), container({ name: 'envoy', user: '1337' })],
    }),
    expected: 'NON_COMPLIANT',
    mentions: ['checkout-api:7', 'checkout-api (no user) and log-sidecar (user 0)', '1000:1000'],
    omits: ['envoy'],
  },
  { case: 'unreadable user', resource: runningAs(unreadable('ContainerDefinitions[0].User') as never), expected: 'NOT_EVALUATED', mentions: ['ECS.20 could not evaluate ContainerDefinitions[0].User'] },
  { case: 'unreadable OS family', resource: taskDefinition({ operatingSystemFamily: unreadable('RuntimePlatform') }), expected: 'NOT_EVALUATED', mentions: ['RuntimePlatform'] },
]);

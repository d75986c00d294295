import { ecs21 } from '../../lambdas/controls/ecs-21';
import { container, describeControl, taskDefinition, unreadable } from './builders';

const WINDOWS = 'WINDOWS_SERVER_2019_CORE';
const runningAs = (user: string | undefined, operatingSystemFamily: string | undefined = WINDOWS) =>
  taskDefinition({ operatingSystemFamily, containers: [container({ name: 'iis', user })] });

describeControl(ecs21, [
  { case: 'user unset', resource: runningAs(undefined), expected: 'NON_COMPLIANT', mentions: ['iis (no user)', 'ContainerUser'] },
  { case: 'user empty', resource: runningAs(''), expected: 'NON_COMPLIANT', mentions: ['iis (no user)'] },
  { case: 'ContainerAdministrator', resource: runningAs('ContainerAdministrator'), expected: 'NON_COMPLIANT', mentions: ['iis (user ContainerAdministrator)'] },
  { case: 'containeradministrator (case-insensitive, decision)', resource: runningAs('containeradministrator'), expected: 'NON_COMPLIANT' },
  { case: 'CONTAINERADMINISTRATOR (case-insensitive, decision)', resource: runningAs('CONTAINERADMINISTRATOR'), expected: 'NON_COMPLIANT' },
  { case: '" ContainerAdministrator " (trimmed)', resource: runningAs(' ContainerAdministrator '), expected: 'NON_COMPLIANT' },
  { case: 'ContainerUser', resource: runningAs('ContainerUser'), expected: 'COMPLIANT' },
  { case: 'root is not the Windows administrator', resource: runningAs('root'), expected: 'COMPLIANT' },
  { case: 'Windows Server 2022 Full is evaluated', resource: runningAs(undefined, 'WINDOWS_SERVER_2022_FULL'), expected: 'NON_COMPLIANT' },
  { case: 'OS family not configured is evaluated', resource: runningAs(undefined, undefined), expected: 'NON_COMPLIANT' },
  { case: 'LINUX', resource: runningAs(undefined, 'LINUX'), expected: 'NOT_APPLICABLE', mentions: ['LINUX'] },
  {
    case: 'only administrator containers are named',
    resource: taskDefinition({ operatingSystemFamily: WINDOWS, containers: [container({ name: 'iis', user: 'ContainerUser' }), container({ name: 'agent', user: 'ContainerAdministrator' })] }),
    expected: 'NON_COMPLIANT',
    mentions: ['agent (user ContainerAdministrator)'],
    omits: ['iis'],
  },
  { case: 'unreadable user', resource: runningAs(unreadable('ContainerDefinitions[0].User') as never), expected: 'NOT_EVALUATED', mentions: ['ContainerDefinitions[0].User'] },
]);

import { ecs5 } from '../../lambdas/controls/ecs-5';
import { container, describeControl, taskDefinition, unreadable } from './builders';

const writable = [container({ name: 'app', readonlyRootFilesystem: undefined }), container({ name: 'sidecar', readonlyRootFilesystem: false })];

describeControl(ecs5, [
  { case: 'readonlyRootFilesystem unset (Security Hub: not read-only)', resource: taskDefinition({ containers: [container({ readonlyRootFilesystem: undefined })] }), expected: 'NON_COMPLIANT', mentions: ['app (unset)'] },
  { case: 'readonlyRootFilesystem false', resource: taskDefinition({ containers: [container({ readonlyRootFilesystem: false })] }), expected: 'NON_COMPLIANT', mentions: ['app (false)'] },
  { case: 'unset and false, both named', resource: taskDefinition({ containers: writable }), expected: 'NON_COMPLIANT', mentions: ['app (unset) and sidecar (false)', 'readonlyRootFilesystem: true'] },
  {
    case: 'only the writable container is named',
    resource: taskDefinition({ containers: [container({ name: 'app' }), container({ name: 'sidecar', readonlyRootFilesystem: false })] }),
    expected: 'NON_COMPLIANT',
    mentions: ['sidecar (false)'],
    omits: ['app ('],
  },
  { case: 'readonlyRootFilesystem true', resource: taskDefinition({ containers: [container({ readonlyRootFilesystem: true })] }), expected: 'COMPLIANT' },
  { case: 'LINUX is evaluated', resource: taskDefinition({ operatingSystemFamily: 'LINUX', containers: writable }), expected: 'NON_COMPLIANT' },
  { case: 'OS family not configured is evaluated', resource: taskDefinition({ operatingSystemFamily: undefined, containers: writable }), expected: 'NON_COMPLIANT' },
  { case: 'Windows Server 2019 Core', resource: taskDefinition({ operatingSystemFamily: 'WINDOWS_SERVER_2019_CORE', containers: writable }), expected: 'NOT_APPLICABLE', mentions: ['WINDOWS_SERVER_2019_CORE'] },
  { case: 'Windows Server 2022 Full', resource: taskDefinition({ operatingSystemFamily: 'WINDOWS_SERVER_2022_FULL', containers: writable }), expected: 'NOT_APPLICABLE' },
  {
    case: 'unreadable OS family',
    resource: taskDefinition({ operatingSystemFamily: unreadable('RuntimePlatform.OperatingSystemFamily') }),
    expected: 'NOT_EVALUATED',
    mentions: ['RuntimePlatform.OperatingSystemFamily'],
  },
]);

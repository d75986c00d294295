import { ecs10 } from '../../lambdas/controls/ecs-10';
import { InvalidParameterError } from '../../lambdas/core/parameters';
import { describeControl, service, unreadable } from './builders';

const WINDOWS = 'WINDOWS_SERVER_2019_CORE';
const osUnknown = unreadable('Resources.Svc.Properties.TaskDefinition');

describeControl(ecs10, [
  // Not Fargate.
  { case: 'EC2 launch type', resource: service({ launchType: 'EC2', platformVersion: '1.3.0' }), expected: 'NOT_APPLICABLE', mentions: ['checkout: not a Fargate service (launch type EC2, no Fargate capacity provider)'] },
  { case: 'EXTERNAL launch type', resource: service({ launchType: 'EXTERNAL' }), expected: 'NOT_APPLICABLE' },
  { case: 'no launch type and no strategy', resource: service({ launchType: undefined, platformVersion: '1.3.0' }), expected: 'NOT_APPLICABLE', mentions: ['(no launch type,'] },
  { case: 'an EC2 capacity provider strategy', resource: service({ launchType: undefined, capacityProviders: ['ec2-spot'], platformVersion: '1.3.0' }), expected: 'NOT_APPLICABLE' },
  { case: 'not Fargate needs no OS family', resource: service({ launchType: 'EC2', platformVersion: '1.3.0', taskDefinitionOperatingSystemFamily: osUnknown }), expected: 'NOT_APPLICABLE' },
  // Fargate, Linux (no runtimePlatform means Linux).
  { case: 'PlatformVersion unset means LATEST', resource: service({ platformVersion: undefined }), expected: 'COMPLIANT', mentions: ['sets no platform version, so it runs the latest'] },
  { case: 'LATEST', resource: service({ platformVersion: 'LATEST' }), expected: 'COMPLIANT', mentions: ['runs platform version LATEST'] },
  { case: 'a version with fewer parts is not equal: 1 is behind 1.4.0', resource: service({ platformVersion: '1' }), expected: 'NON_COMPLIANT' },
  { case: '1.4.0 is the latest for Linux', resource: service({ platformVersion: '1.4.0' }), expected: 'COMPLIANT' },
  { case: '1.3.0 is behind for Linux', resource: service({ platformVersion: '1.3.0' }), expected: 'NON_COMPLIANT', mentions: ['checkout', '1.3.0', 'the latest for Linux is 1.4.0', 'LATEST'] },
  { case: 'explicit LINUX, 1.3.0', resource: service({ platformVersion: '1.3.0', taskDefinitionOperatingSystemFamily: 'LINUX' }), expected: 'NON_COMPLIANT' },
  { case: 'versions compare as numbers: 1.10.0 is after 1.4.0', resource: service({ platformVersion: '1.10.0' }), expected: 'COMPLIANT' },
  { case: '1.4 equals 1.4.0', resource: service({ platformVersion: '1.4' }), expected: 'COMPLIANT' },
  { case: 'a version that is not a version', resource: service({ platformVersion: 'preview' }), expected: 'NON_COMPLIANT', mentions: ['preview'] },
  // Fargate through a capacity provider strategy.
  { case: 'FARGATE_SPOT strategy, 1.3.0', resource: service({ launchType: undefined, capacityProviders: ['FARGATE_SPOT'], platformVersion: '1.3.0' }), expected: 'NON_COMPLIANT' },
  { case: 'FARGATE strategy, 1.3.0', resource: service({ launchType: undefined, capacityProviders: ['FARGATE'], platformVersion: '1.3.0' }), expected: 'NON_COMPLIANT' },
  { case: 'a mixed strategy naming FARGATE_SPOT', resource: service({ launchType: undefined, capacityProviders: ['ec2-spot', 'FARGATE_SPOT'], platformVersion: '1.3.0' }), expected: 'NON_COMPLIANT' },
  { case: 'FARGATE_SPOT strategy, LATEST', resource: service({ launchType: undefined, capacityProviders: ['FARGATE_SPOT'], platformVersion: 'LATEST' }), expected: 'COMPLIANT' },
  // Windows.
  { case: 'Windows, 1.0.0', resource: service({ platformVersion: '1.0.0', taskDefinitionOperatingSystemFamily: WINDOWS }), expected: 'COMPLIANT', mentions: ['Windows'] },
  { case: 'Windows, 1.3.0 is past the Windows latest', resource: service({ platformVersion: '1.3.0', taskDefinitionOperatingSystemFamily: WINDOWS }), expected: 'COMPLIANT' },
  { case: 'Windows, 0.9.0', resource: service({ platformVersion: '0.9.0', taskDefinitionOperatingSystemFamily: WINDOWS }), expected: 'NON_COMPLIANT', mentions: ['the latest for Windows is 1.0.0'] },
  { case: 'Linux, 1.0.0 is behind', resource: service({ platformVersion: '1.0.0' }), expected: 'NON_COMPLIANT' },
  // Parameters.
  { case: 'latestLinuxVersion 1.5.0: 1.4.0 is behind', resource: service({ platformVersion: '1.4.0' }), parameters: { latestLinuxVersion: '1.5.0' }, expected: 'NON_COMPLIANT', mentions: ['1.5.0'] },
  { case: 'latestLinuxVersion 1.4 (short form)', resource: service({ platformVersion: '1.4.0' }), parameters: { latestLinuxVersion: ' 1.4 ' }, expected: 'COMPLIANT' },
  {
    case: 'latestWindowsVersion 1.1.0: Windows 1.0.0 is behind',
    resource: service({ platformVersion: '1.0.0', taskDefinitionOperatingSystemFamily: WINDOWS }),
    parameters: { latestWindowsVersion: '1.1.0' },
    expected: 'NON_COMPLIANT',
  },
  {
    case: 'latestWindowsVersion does not apply to Linux',
    resource: service({ platformVersion: '1.4.0' }),
    parameters: { latestWindowsVersion: '9.0.0' },
    expected: 'COMPLIANT',
    mentions: ['Fargate service checkout runs platform version 1.4.0, the latest for Linux.'],
  },
  // The OS family could not be looked up.
  { case: 'unknown OS family, pinned version', resource: service({ platformVersion: '1.3.0', taskDefinitionOperatingSystemFamily: osUnknown }), expected: 'NOT_EVALUATED', mentions: ['ECS.10 could not evaluate Resources.Svc.Properties.TaskDefinition'] },
  { case: 'unknown OS family, LATEST needs none', resource: service({ platformVersion: 'LATEST', taskDefinitionOperatingSystemFamily: osUnknown }), expected: 'COMPLIANT' },
  // At least the latest for Linux and for Windows: every OS family agrees, so none is read.
  {
    case: 'unknown OS family, 1.4.0 is at least the latest for both',
    resource: service({ platformVersion: '1.4.0', taskDefinitionOperatingSystemFamily: osUnknown }),
    expected: 'COMPLIANT',
    mentions: ['Fargate service checkout runs platform version 1.4.0, at least the latest for Linux (1.4.0) and for Windows (1.0.0).'],
  },
  { case: 'unknown OS family, 1.10.0', resource: service({ platformVersion: '1.10.0', taskDefinitionOperatingSystemFamily: osUnknown }), expected: 'COMPLIANT' },
  { case: 'unknown OS family, 1.0.0 is the latest for Windows only', resource: service({ platformVersion: '1.0.0', taskDefinitionOperatingSystemFamily: osUnknown }), expected: 'NOT_EVALUATED' },
  {
    case: 'unknown OS family, 1.4.0 below a newer latestWindowsVersion',
    resource: service({ platformVersion: '1.4.0', taskDefinitionOperatingSystemFamily: osUnknown }),
    parameters: { latestWindowsVersion: '1.5.0' },
    expected: 'NOT_EVALUATED',
  },
  {
    case: 'unknown OS family, 1.5.0 at least both parameters',
    resource: service({ platformVersion: '1.5.0', taskDefinitionOperatingSystemFamily: osUnknown }),
    parameters: { latestWindowsVersion: '1.5.0' },
    expected: 'COMPLIANT',
    mentions: ['at least the latest for Linux (1.4.0) and for Windows (1.5.0)'],
  },
  { case: 'unknown OS family, a version that is not a version', resource: service({ platformVersion: 'preview', taskDefinitionOperatingSystemFamily: osUnknown }), expected: 'NOT_EVALUATED' },
  { case: 'unreadable launch type', resource: service({ launchType: unreadable('LaunchType') }), expected: 'NOT_EVALUATED', mentions: ['LaunchType'] },
]);

describe('ECS.10 parameters', () => {
  it.each([
    ['latestLinuxVersion', 'latest'],
    ['latestWindowsVersion', '1.0.x'],
    ['latestLinuxVersion', ''],
  ])('rejects %s=%j, naming it', (name, value) => {
    expect(() => ecs10.evaluate(service(), { [name]: value })).toThrow(new InvalidParameterError(`ECS.10 parameter "${name}" must be a version such as 1.4.0, got ${JSON.stringify(value)}`));
  });
});

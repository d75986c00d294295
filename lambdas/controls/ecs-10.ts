import { compliant, defineControl, nonCompliant, notApplicable } from '../core/control';
import { isWindows } from '../core/model';
import { compareVersions, parseVersion, versionParameter } from '../core/parameters';

const FARGATE_PROVIDERS = new Set(['FARGATE', 'FARGATE_SPOT']);

/**
 * ECS.10: a Fargate service must run the latest platform version for its OS family. Unset means
 * LATEST. The OS family comes from the service's task definition (no runtimePlatform means Linux),
 * and is read only for a version below the latest of one family but not the other's.
 */
export const ecs10 = defineControl({
  id: 'ECS.10',
  title: 'ECS Fargate services should run on the latest Fargate platform version',
  severity: 'MEDIUM',
  resourceType: 'AWS::ECS::Service',
  backingRule: { kind: 'aws-config-managed', name: 'ecs-fargate-latest-platform-version' },
  lookups: ['taskDefinitionOperatingSystemFamily'],
  remediation: 'Set platformVersion to LATEST (or remove it) and update the service.',
  parameters: {
    latestLinuxVersion: versionParameter({ default: '1.4.0', description: 'The latest Fargate platform version for Linux.' }),
    latestWindowsVersion: versionParameter({ default: '1.0.0', description: 'The latest Fargate platform version for Windows.' }),
  },
  evaluate(service, { latestLinuxVersion, latestWindowsVersion }) {
    const onFargate = service.launchType === 'FARGATE' || service.capacityProviders.some((provider) => FARGATE_PROVIDERS.has(provider));
    if (!onFargate) {
      const how = service.launchType === undefined ? 'no launch type' : `launch type ${service.launchType}`;
      return notApplicable(`${service.displayName}: not a Fargate service (${how}, no Fargate capacity provider).`);
    }
    const version = service.platformVersion;
    if (version === undefined) {
      return compliant(`Fargate service ${service.displayName} sets no platform version, so it runs the latest (LATEST).`);
    }
    if (version === 'LATEST') {
      return compliant(`Fargate service ${service.displayName} runs platform version LATEST.`);
    }
    const parts = parseVersion(version);
    const atLeast = (latest: readonly number[]) => parts !== undefined && compareVersions(parts, latest) >= 0;
    // At least the latest for every OS family, the verdict does not depend on the task definition's:
    // it is not read, so the Config rule and the hook need not ask ECS (DescribeTaskDefinition) for it.
    if (atLeast(latestLinuxVersion) && atLeast(latestWindowsVersion)) {
      return compliant(`Fargate service ${service.displayName} runs platform version ${version}, at least the latest for Linux (${latestLinuxVersion.join('.')}) and for Windows (${latestWindowsVersion.join('.')}).`);
    }
    const windows = isWindows(service.taskDefinitionOperatingSystemFamily);
    const latest = windows ? latestWindowsVersion : latestLinuxVersion;
    if (atLeast(latest)) {
      return compliant(`Fargate service ${service.displayName} runs platform version ${version}, the latest for ${windows ? 'Windows' : 'Linux'}.`);
    }
    return nonCompliant(`Fargate service ${service.displayName} runs platform version ${version}; the latest for ${windows ? 'Windows' : 'Linux'} is ${latest.join('.')}. ${this.remediation}`);
  },
});

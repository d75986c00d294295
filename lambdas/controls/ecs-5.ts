import { compliant, defineControl, listNames, nonCompliant, notApplicable } from '../core/control';
import { isWindows } from '../core/model';

/**
 * ECS.5: every container's root filesystem must be read-only. Unset counts as not read-only, as
 * Security Hub words it (the older Config managed-rule page only flags an explicit false). Windows
 * task definitions are NOT_APPLICABLE: Windows containers have no readonlyRootFilesystem
 * (https://docs.aws.amazon.com/securityhub/latest/userguide/ecs-controls.html#ecs-5, its note).
 */
export const ecs5 = defineControl({
  id: 'ECS.5',
  title: 'ECS task definitions should configure containers to be limited to read-only access to root filesystems',
  severity: 'HIGH',
  resourceType: 'AWS::ECS::TaskDefinition',
  backingRule: { kind: 'aws-config-managed', name: 'ecs-containers-readonly-access' },
  remediation: 'Set readonlyRootFilesystem: true on these containers (mount a volume for paths they must write) and register a new revision.',
  parameters: {},
  evaluate(taskDefinition) {
    if (isWindows(taskDefinition.operatingSystemFamily)) {
      return notApplicable(`Task definition ${taskDefinition.displayName} runs on ${taskDefinition.operatingSystemFamily}; ECS.5 applies to Linux containers only.`);
    }
    const writable = taskDefinition.containers
      .filter((container) => container.readonlyRootFilesystem !== true)
      .map((container) => `${container.name} (${container.readonlyRootFilesystem === false ? 'false' : 'unset'})`);
    if (writable.length > 0) {
      return nonCompliant(`Task definition ${taskDefinition.displayName} has containers with a writable root filesystem: ${listNames(writable)}. ${this.remediation}`);
    }
    return compliant(`Task definition ${taskDefinition.displayName}: every container has a read-only root filesystem.`);
  },
});

import { compliant, defineControl, listNames, nonCompliant, notApplicable, offendingContainers } from '../core/control';
import { ContainerDefinition, isWindows } from '../core/model';

/**
 * Why a Linux container runs as root, or undefined when it does not. The user part is what comes
 * before the first `:` (`user:group`), trimmed; `root` and `0` are root, so `0:0` and `0:1000` fail
 * while `1000:0` passes. Beyond Security Hub: a numeric user part equal to 0 (`00`) is root too.
 * Case-sensitive, as Linux user names are.
 */
function rootReason(container: ContainerDefinition): string | undefined {
  if (container.user === undefined || container.user.trim() === '') return 'no user';
  const userPart = container.user.split(':')[0].trim();
  if (userPart === 'root' || (/^\d+$/.test(userPart) && Number(userPart) === 0)) return `user ${container.user}`;
  return undefined;
}

/** ECS.20: Linux (or unset OS family) containers must name a non-root user. */
export const ecs20 = defineControl({
  id: 'ECS.20',
  title: 'ECS Task Definitions should configure non-root users in Linux container definitions',
  severity: 'MEDIUM',
  resourceType: 'AWS::ECS::TaskDefinition',
  backingRule: { kind: 'aws-config-managed', name: 'ecs-task-definition-linux-user-non-root' },
  remediation: 'Set user to a non-root UID (for example 1000:1000) in these container definitions and register a new revision.',
  beyond: 'A numeric user part whose value is 0 (00, 000) counts as root too.',
  parameters: {},
  evaluate(taskDefinition) {
    if (isWindows(taskDefinition.operatingSystemFamily)) {
      return notApplicable(`Task definition ${taskDefinition.displayName} runs on ${taskDefinition.operatingSystemFamily}; ECS.20 applies to Linux containers.`);
    }
    const rootContainers = offendingContainers(taskDefinition.containers, rootReason);
    if (rootContainers.length > 0) {
      return nonCompliant(`Task definition ${taskDefinition.displayName} has containers running as root: ${listNames(rootContainers)}. ${this.remediation}`);
    }
    return compliant(`Task definition ${taskDefinition.displayName}: every Linux container runs as a non-root user.`);
  },
});

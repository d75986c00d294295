import { compliant, defineControl, listNames, nonCompliant, notApplicable, offendingContainers } from '../core/control';
import { ContainerDefinition, isLinux } from '../core/model';

/** Decision (CONTROLS.md): Windows account names compare case-insensitively. */
function adminReason(container: ContainerDefinition): string | undefined {
  if (container.user === undefined || container.user.trim() === '') return 'no user';
  if (container.user.trim().toLowerCase() === 'containeradministrator') return `user ${container.user}`;
  return undefined;
}

/** ECS.21: Windows (or unset OS family) containers must name a non-administrator user. */
export const ecs21 = defineControl({
  id: 'ECS.21',
  title: 'ECS Task Definitions should configure non-administrator users in Windows container definitions',
  severity: 'MEDIUM',
  resourceType: 'AWS::ECS::TaskDefinition',
  backingRule: { kind: 'aws-config-managed', name: 'ecs-task-definition-windows-user-non-admin' },
  remediation: 'Set user to a non-administrator account (for example ContainerUser) in these container definitions and register a new revision.',
  parameters: {},
  evaluate(taskDefinition) {
    if (isLinux(taskDefinition.operatingSystemFamily)) {
      return notApplicable(`Task definition ${taskDefinition.displayName} runs on LINUX; ECS.21 applies to Windows containers.`);
    }
    const adminContainers = offendingContainers(taskDefinition.containers, adminReason);
    if (adminContainers.length > 0) {
      return nonCompliant(`Task definition ${taskDefinition.displayName} has containers running as administrator: ${listNames(adminContainers)}. ${this.remediation}`);
    }
    return compliant(`Task definition ${taskDefinition.displayName}: every Windows container runs as a non-administrator user.`);
  },
});

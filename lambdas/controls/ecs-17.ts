import { compliant, defineControl, nonCompliant } from '../core/control';

/** ECS.17: a task definition must not use the host network mode. */
export const ecs17 = defineControl({
  id: 'ECS.17',
  title: 'ECS task definitions should not use host network mode',
  severity: 'MEDIUM',
  resourceType: 'AWS::ECS::TaskDefinition',
  backingRule: { kind: 'aws-config-managed', name: 'ecs-task-definition-network-mode-not-host' },
  remediation: 'Use networkMode awsvpc (or bridge) instead of host and register a new revision.',
  parameters: {},
  evaluate(taskDefinition) {
    if (taskDefinition.networkMode === 'host') {
      return nonCompliant(`Task definition ${taskDefinition.displayName} uses networkMode host. ${this.remediation}`);
    }
    return compliant(`Task definition ${taskDefinition.displayName} uses networkMode ${taskDefinition.networkMode ?? 'default (bridge on Linux)'}, not host.`);
  },
});

import { compliant, defineControl, nonCompliant } from '../core/control';

/** ECS.3: a task definition must not share the host's process namespace (`pidMode: host`). */
export const ecs3 = defineControl({
  id: 'ECS.3',
  title: "ECS task definitions should not share the host's process namespace",
  severity: 'HIGH',
  resourceType: 'AWS::ECS::TaskDefinition',
  backingRule: { kind: 'aws-config-managed', name: 'ecs-task-definition-pid-mode-check' },
  remediation: 'Remove pidMode: host (or set it to task) and register a new revision.',
  parameters: {},
  evaluate(taskDefinition) {
    if (taskDefinition.pidMode === 'host') {
      return nonCompliant(`Task definition ${taskDefinition.displayName} sets pidMode to host, sharing the host's process namespace. ${this.remediation}`);
    }
    return compliant(`Task definition ${taskDefinition.displayName} does not share the host's process namespace.`);
  },
});

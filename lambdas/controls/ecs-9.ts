import { compliant, defineControl, listNames, nonCompliant } from '../core/control';

/** ECS.9: every container needs a log configuration that names a log driver. */
export const ecs9 = defineControl({
  id: 'ECS.9',
  title: 'ECS task definitions should have a logging configuration',
  severity: 'HIGH',
  resourceType: 'AWS::ECS::TaskDefinition',
  backingRule: { kind: 'aws-config-managed', name: 'ecs-task-definition-log-configuration' },
  remediation: 'Give these containers a logConfiguration with a logDriver (for example awslogs) and register a new revision.',
  parameters: {},
  evaluate(taskDefinition) {
    const unlogged = taskDefinition.containers
      .filter((container) => !container.logConfiguration?.logDriver)
      .map((container) => `${container.name} (${container.logConfiguration ? 'no logDriver' : 'no logConfiguration'})`);
    if (unlogged.length > 0) {
      return nonCompliant(`Task definition ${taskDefinition.displayName} has containers without logging: ${listNames(unlogged)}. ${this.remediation}`);
    }
    return compliant(`Task definition ${taskDefinition.displayName}: every container has a log driver.`);
  },
});

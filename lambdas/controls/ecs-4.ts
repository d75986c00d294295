import { compliant, defineControl, listNames, nonCompliant } from '../core/control';

/** ECS.4: no container may run privileged (`privileged` unset means false). */
export const ecs4 = defineControl({
  id: 'ECS.4',
  title: 'ECS containers should run as non-privileged',
  severity: 'HIGH',
  resourceType: 'AWS::ECS::TaskDefinition',
  backingRule: { kind: 'aws-config-managed', name: 'ecs-containers-nonprivileged' },
  remediation: 'Remove privileged: true from these containers (grant specific Linux capabilities instead) and register a new revision.',
  parameters: {},
  evaluate(taskDefinition) {
    const privileged = taskDefinition.containers.filter((container) => container.privileged).map((container) => container.name);
    if (privileged.length > 0) {
      return nonCompliant(`Task definition ${taskDefinition.displayName} has privileged containers: ${listNames(privileged)}. ${this.remediation}`);
    }
    return compliant(`Task definition ${taskDefinition.displayName} has no privileged containers.`);
  },
});

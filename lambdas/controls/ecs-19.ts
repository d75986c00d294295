import { compliant, defineControl, nonCompliant, notApplicable } from '../core/control';

/** ECS.19: an Auto Scaling group capacity provider must enable managed termination protection. */
export const ecs19 = defineControl({
  id: 'ECS.19',
  title: 'ECS capacity providers should have managed termination protection enabled',
  severity: 'MEDIUM',
  resourceType: 'AWS::ECS::CapacityProvider',
  backingRule: { kind: 'aws-config-managed', name: 'ecs-capacity-provider-termination-check' },
  remediation: 'Set managedTerminationProtection to ENABLED (it needs managed scaling and scale-in protection on the Auto Scaling group).',
  parameters: {},
  evaluate(capacityProvider) {
    const provider = capacityProvider.autoScalingGroupProvider;
    if (provider === undefined) {
      return notApplicable(`Capacity provider ${capacityProvider.displayName} has no Auto Scaling group (a Fargate provider).`);
    }
    if (provider.managedTerminationProtection !== 'ENABLED') {
      return nonCompliant(`Capacity provider ${capacityProvider.displayName} has managed termination protection ${provider.managedTerminationProtection ?? 'unset (DISABLED)'}. ${this.remediation}`);
    }
    return compliant(`Capacity provider ${capacityProvider.displayName} has managed termination protection enabled.`);
  },
});

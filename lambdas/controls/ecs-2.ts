import { compliant, defineControl, nonCompliant, notApplicable } from '../core/control';

/** ECS.2: a service must not assign public IPs automatically (`assignPublicIp` unset means DISABLED). */
export const ecs2 = defineControl({
  id: 'ECS.2',
  title: 'ECS services should not have public IP addresses assigned to them automatically',
  severity: 'HIGH',
  resourceType: 'AWS::ECS::Service',
  backingRule: { kind: 'security-hub-custom', name: 'ecs-service-assign-public-ip-disabled' },
  remediation: 'Set assignPublicIp to DISABLED in the service\'s awsvpcConfiguration and reach the internet through a NAT gateway or load balancer.',
  parameters: {},
  evaluate(service) {
    if (service.awsvpc === undefined) {
      // Decision (CONTROLS.md): without awsvpc networking a service has no public-IP setting.
      return notApplicable(`Service ${service.displayName} has no awsvpcConfiguration.`);
    }
    if (service.awsvpc.assignPublicIp === 'ENABLED') {
      return nonCompliant(`Service ${service.displayName} assigns public IP addresses automatically (assignPublicIp ENABLED). ${this.remediation}`);
    }
    return compliant(`Service ${service.displayName} does not assign public IP addresses automatically.`);
  },
});

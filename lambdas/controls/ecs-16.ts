import { compliant, defineControl, nonCompliant, notApplicable } from '../core/control';

/** ECS.16: a task set must not assign public IPs automatically (`assignPublicIp` unset means DISABLED). */
export const ecs16 = defineControl({
  id: 'ECS.16',
  title: 'ECS task sets should not automatically assign public IP addresses',
  severity: 'HIGH',
  resourceType: 'AWS::ECS::TaskSet',
  backingRule: { kind: 'security-hub-custom', name: 'ecs-taskset-assign-public-ip-disabled' },
  remediation: 'Create the task set with assignPublicIp DISABLED in its awsVpcConfiguration.',
  parameters: {},
  evaluate(taskSet) {
    if (taskSet.awsVpc === undefined) {
      // Decision (CONTROLS.md): without awsvpc networking a task set has no public-IP setting.
      return notApplicable(`Task set ${taskSet.displayName} has no awsVpcConfiguration.`);
    }
    if (taskSet.awsVpc.assignPublicIp === 'ENABLED') {
      return nonCompliant(`Task set ${taskSet.displayName} assigns public IP addresses automatically (assignPublicIp ENABLED). ${this.remediation}`);
    }
    return compliant(`Task set ${taskSet.displayName} does not assign public IP addresses automatically.`);
  },
});

import { compliant, defineControl, listNames, nonCompliant, notApplicable } from '../core/control';

/** ECS.18: every EFS volume must enable transit encryption (unset means DISABLED). */
export const ecs18 = defineControl({
  id: 'ECS.18',
  title: 'ECS Task Definitions should use in-transit encryption for EFS volumes',
  severity: 'MEDIUM',
  resourceType: 'AWS::ECS::TaskDefinition',
  backingRule: { kind: 'aws-config-managed', name: 'ecs-task-definition-efs-encryption-enabled' },
  remediation: 'Set transitEncryption: ENABLED in these volumes\' efsVolumeConfiguration and register a new revision.',
  parameters: {},
  evaluate(taskDefinition) {
    const efsVolumes = taskDefinition.volumes.flatMap(({ name, efs }) => (efs === undefined ? [] : [{ name, transitEncryption: efs.transitEncryption }]));
    if (efsVolumes.length === 0) {
      // Decision (CONTROLS.md): with no EFS volume there is nothing to encrypt in transit.
      return notApplicable(`Task definition ${taskDefinition.displayName} has no EFS volumes.`);
    }
    const unencrypted = efsVolumes
      .filter((volume) => volume.transitEncryption !== 'ENABLED')
      .map((volume) => `${volume.name} (${volume.transitEncryption ?? 'unset'})`);
    if (unencrypted.length > 0) {
      return nonCompliant(`Task definition ${taskDefinition.displayName} has EFS volumes without transit encryption: ${listNames(unencrypted)}. ${this.remediation}`);
    }
    return compliant(`Task definition ${taskDefinition.displayName}: every EFS volume encrypts data in transit.`);
  },
});

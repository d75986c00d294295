import { compliant, defineControl, nonCompliant } from '../core/control';

/** Decision (CONTROLS.md): `enhanced` observability includes Container Insights, so it counts. */
const INSIGHTS_ON = new Set(['enabled', 'enhanced']);

/** ECS.12: a cluster must have Container Insights on. */
export const ecs12 = defineControl({
  id: 'ECS.12',
  title: 'ECS clusters should use Container Insights',
  severity: 'MEDIUM',
  resourceType: 'AWS::ECS::Cluster',
  backingRule: { kind: 'aws-config-managed', name: 'ecs-container-insights-enabled' },
  remediation: 'Set the cluster setting containerInsights to enabled (or enhanced).',
  parameters: {},
  evaluate(cluster) {
    const setting = cluster.settings.find((candidate) => candidate.name === 'containerInsights');
    if (setting?.value !== undefined && INSIGHTS_ON.has(setting.value)) {
      return compliant(`Cluster ${cluster.displayName} has Container Insights ${setting.value}.`);
    }
    const current = setting ? `containerInsights is ${setting.value ?? 'unset'}` : 'no containerInsights setting';
    return nonCompliant(`Cluster ${cluster.displayName} does not use Container Insights (${current}). ${this.remediation}`);
  },
});

/**
 * The CloudWatch namespace of the fleet's own metrics. Its own module so that the CDK side (dashboards
 * and alarms read it) does not load the functions' logger: Powertools is bundled into the functions,
 * not a dependency of the installed package.
 */
export const METRIC_NAMESPACE = 'EcsConfigRules';

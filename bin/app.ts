#!/usr/bin/env node
/** The CDK app: the rule fleet, configured by context (see lib/app-context.ts). */
import { App } from 'aws-cdk-lib';
import { controlRulesPropsFromContext } from '../lib/app-context';
import { EcsControlRulesStack } from '../lib/ecs-control-rules-stack';

const app = new App();
new EcsControlRulesStack(app, 'EcsConfigRules', {
  description: "AWS Security Hub's ECS controls as AWS Config custom rules (ecs-config-rules)",
  ...controlRulesPropsFromContext(app.node),
});

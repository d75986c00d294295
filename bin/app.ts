#!/usr/bin/env node
/** The CDK app: the rule fleet, configured by context (see lib/app-context.ts). */
import { App } from 'aws-cdk-lib';
import { controlRulesPropsFromContext } from '../lib/app-context';
import { EcsControlRulesStack } from '../lib/ecs-control-rules-stack';

const app = new App();
const props = controlRulesPropsFromContext(app.node);
new EcsControlRulesStack(app, 'EcsConfigRules', {
  description: "AWS Security Hub's ECS controls as AWS Config custom rules (ecs-config-rules)",
  // Organization mode deploys to several Regions from this one, so it needs to know which it is in:
  // the CLI's (CDK_DEFAULT_REGION, from the profile), else the first listed Region. Account mode
  // stays environment-agnostic.
  ...(props.deployment === 'organization'
    ? { env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION ?? props.organization?.regions?.[0] }, crossRegionReferences: true }
    : {}),
  ...props,
});

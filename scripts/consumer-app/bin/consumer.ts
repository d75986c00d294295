#!/usr/bin/env node
/** A consumer's app: the rule fleet in its own stack, and the validation plugin on the whole app. */
import { App, Stack, Validations } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { EcsControlChecks, EcsControlRules, EcsControlRulesProps } from 'ecs-config-rules';

const app = new App();
// CRITICAL, which no control reaches (allowEmptyGate says so on purpose): the privileged container below
// (ECS.4, HIGH) is reported as a warning, not a failed synth.
Validations.of(app).addPlugins(new EcsControlChecks({ severityThreshold: 'CRITICAL', allowEmptyGate: true }));

const props: EcsControlRulesProps = { ruleNamePrefix: 'consumer-' };
new EcsControlRules(new Stack(app, 'Consumer'), 'EcsControlRules', props);

const workloads = new Stack(app, 'Workloads');
const taskDefinition = new ecs.FargateTaskDefinition(workloads, 'Task');
taskDefinition.addContainer('app', { image: ecs.ContainerImage.fromRegistry('public.ecr.aws/docker/library/busybox:stable'), privileged: true });

/**
 * What a COMPLIANT verdict says, word for word: it is what Config shows beside a green resource and
 * what `scan --format table` prints, so an empty or wrong text is a defect even when the verdict is
 * right. One row per compliant message of every control.
 */
import { Control } from '../../lambdas/core/control';
import { ecs10 } from '../../lambdas/controls/ecs-10';
import { ecs12 } from '../../lambdas/controls/ecs-12';
import { ecs16 } from '../../lambdas/controls/ecs-16';
import { ecs17 } from '../../lambdas/controls/ecs-17';
import { ecs18 } from '../../lambdas/controls/ecs-18';
import { ecs19 } from '../../lambdas/controls/ecs-19';
import { ecs2 } from '../../lambdas/controls/ecs-2';
import { ecs20 } from '../../lambdas/controls/ecs-20';
import { ecs21 } from '../../lambdas/controls/ecs-21';
import { ecs3 } from '../../lambdas/controls/ecs-3';
import { ecs4 } from '../../lambdas/controls/ecs-4';
import { ecs5 } from '../../lambdas/controls/ecs-5';
import { ecs8 } from '../../lambdas/controls/ecs-8';
import { ecs9 } from '../../lambdas/controls/ecs-9';
import { Resource } from '../../lambdas/core/model';
import { capacityProvider, cluster, container, service, taskDefinition, taskSet } from './builders';

const WINDOWS = 'WINDOWS_SERVER_2019_CORE';
const efs = (transitEncryption: string) => ({ name: 'shared', efs: { transitEncryption } });

const ROWS: readonly [Control, string, Resource, string][] = [
  [ecs2, 'no public IP', service(), 'Service checkout does not assign public IP addresses automatically.'],
  [ecs3, 'own process namespace', taskDefinition(), "Task definition web:3 does not share the host's process namespace."],
  [ecs4, 'no privileged container', taskDefinition(), 'Task definition web:3 has no privileged containers.'],
  [ecs5, 'read-only root filesystems', taskDefinition(), 'Task definition web:3: every container has a read-only root filesystem.'],
  [ecs8, 'no secret variables', taskDefinition(), 'Task definition web:3 passes no secrets as environment variables.'],
  [ecs9, 'a log driver everywhere', taskDefinition(), 'Task definition web:3: every container has a log driver.'],
  [ecs10, 'no platform version', service(), 'Fargate service checkout sets no platform version, so it runs the latest (LATEST).'],
  [ecs10, 'LATEST', service({ platformVersion: 'LATEST' }), 'Fargate service checkout runs platform version LATEST.'],
  [ecs10, 'at least the latest version for every OS family', service({ platformVersion: '1.4.0' }), 'Fargate service checkout runs platform version 1.4.0, at least the latest for Linux (1.4.0) and for Windows (1.0.0).'],
  [ecs10, 'the latest Windows version', service({ platformVersion: '1.0.0', taskDefinitionOperatingSystemFamily: WINDOWS }), 'Fargate service checkout runs platform version 1.0.0, the latest for Windows.'],
  [ecs12, 'Container Insights', cluster(), 'Cluster payments has Container Insights enabled.'],
  [ecs16, 'task set without public IP', taskSet(), 'Task set ecs-svc/123 does not assign public IP addresses automatically.'],
  [ecs17, 'awsvpc', taskDefinition(), 'Task definition web:3 uses networkMode awsvpc, not host.'],
  [ecs17, 'no network mode', taskDefinition({ networkMode: undefined }), 'Task definition web:3 uses networkMode default (bridge on Linux), not host.'],
  [ecs18, 'EFS in transit', taskDefinition({ volumes: [efs('ENABLED')] }), 'Task definition web:3: every EFS volume encrypts data in transit.'],
  [ecs19, 'termination protection', capacityProvider(), 'Capacity provider ec2-spot has managed termination protection enabled.'],
  [ecs20, 'non-root Linux users', taskDefinition(), 'Task definition web:3: every Linux container runs as a non-root user.'],
  [ecs21, 'non-administrator Windows users', taskDefinition({ operatingSystemFamily: WINDOWS, containers: [container({ user: 'ContainerUser' })] }), 'Task definition web:3: every Windows container runs as a non-administrator user.'],
];

test.each(ROWS.map(([control, name, resource, annotation]) => [control.id, name, control, resource, annotation] as const))('%s, %s: the COMPLIANT annotation', (_id, _case, control, resource, annotation) => {
  expect(control.evaluate(resource)).toEqual({ compliance: 'COMPLIANT', annotation });
});

test('ECS.18 names every unencrypted EFS volume with its setting, unset included', () => {
  const verdict = ecs18.evaluate(taskDefinition({ volumes: [efs('DISABLED'), { name: 'cache', efs: { transitEncryption: undefined } }, efs('ENABLED'), { name: 'scratch', efs: undefined }] }));
  expect(verdict.compliance).toBe('NON_COMPLIANT');
  expect(verdict.annotation).toContain('shared (DISABLED) and cache (unset)');
  expect(verdict.annotation).not.toContain('scratch');
});

/**
 * The registry held to Security Hub's page, control by control: title (word for word, Security Hub's
 * capitals included), severity, resource type, the rule Security Hub runs and its parameters.
 *
 * Source: "Security Hub CSPM controls for Amazon ECS",
 * https://docs.aws.amazon.com/securityhub/latest/userguide/ecs-controls.html, checked on 2026-12-06 in
 * the stored copies of its markdown source (ecs-controls.md). The page carries no date of its own. The
 * copy read in full lists ECS.2–5, 8–10 and 12–21 and no ECS.1; another stored copy of the same page
 * still shows ECS.1 with the note "Security Hub CSPM retired this control in March 2026", so the
 * version read dates from March 2026 or later. Each control's "AWS Config rule" line either links the
 * rule's page in the AWS Config developer guide (an AWS Config managed rule, listed at
 * https://docs.aws.amazon.com/config/latest/developerguide/managed-rules-by-aws-config.html) or names
 * it followed by "(custom Security Hub CSPM rule)": that is `kind` below.
 *
 * When Security Hub changes the page, change the row here and the control's file together.
 */
import { CONTROLS, controlById, RETIRED_CONTROLS } from '../../lambdas/controls';
import { BackingRule, Control, Severity } from '../../lambdas/core/control';
import { ResourceType } from '../../lambdas/core/model';
import { defaultParameters, InvalidParameterError } from '../../lambdas/core/parameters';
import { cluster, service, taskDefinition } from './builders';

interface PageEntry {
  readonly title: string;
  readonly severity: Severity;
  readonly resourceType: ResourceType;
  readonly backingRule: BackingRule;
  /** The page's "Parameters" line, each with its Security Hub default ('' for "No default value"). */
  readonly parameters: Readonly<Record<string, string>>;
}

const managed = (name: string): BackingRule => ({ kind: 'aws-config-managed', name });
const securityHubCustom = (name: string): BackingRule => ({ kind: 'security-hub-custom', name });
const TAG_PARAMETERS = { requiredTagKeys: '' };

const SECURITY_HUB_PAGE: Readonly<Record<string, PageEntry>> = {
  'ECS.2': {
    title: 'ECS services should not have public IP addresses assigned to them automatically',
    severity: 'HIGH',
    resourceType: 'AWS::ECS::Service',
    backingRule: securityHubCustom('ecs-service-assign-public-ip-disabled'),
    parameters: {},
  },
  'ECS.3': {
    title: "ECS task definitions should not share the host's process namespace",
    severity: 'HIGH',
    resourceType: 'AWS::ECS::TaskDefinition',
    backingRule: managed('ecs-task-definition-pid-mode-check'),
    parameters: {},
  },
  'ECS.4': {
    title: 'ECS containers should run as non-privileged',
    severity: 'HIGH',
    resourceType: 'AWS::ECS::TaskDefinition',
    backingRule: managed('ecs-containers-nonprivileged'),
    parameters: {},
  },
  'ECS.5': {
    title: 'ECS task definitions should configure containers to be limited to read-only access to root filesystems',
    severity: 'HIGH',
    resourceType: 'AWS::ECS::TaskDefinition',
    backingRule: managed('ecs-containers-readonly-access'),
    parameters: {},
  },
  'ECS.8': {
    title: 'Secrets should not be passed as container environment variables',
    severity: 'HIGH',
    resourceType: 'AWS::ECS::TaskDefinition',
    backingRule: managed('ecs-no-environment-secrets'),
    parameters: { secretKeys: 'AWS_ACCESS_KEY_ID,AWS_SECRET_ACCESS_KEY,ECS_ENGINE_AUTH_DATA' },
  },
  'ECS.9': {
    title: 'ECS task definitions should have a logging configuration',
    severity: 'HIGH',
    resourceType: 'AWS::ECS::TaskDefinition',
    backingRule: managed('ecs-task-definition-log-configuration'),
    parameters: {},
  },
  'ECS.10': {
    title: 'ECS Fargate services should run on the latest Fargate platform version',
    severity: 'MEDIUM',
    resourceType: 'AWS::ECS::Service',
    backingRule: managed('ecs-fargate-latest-platform-version'),
    parameters: { latestLinuxVersion: '1.4.0', latestWindowsVersion: '1.0.0' },
  },
  'ECS.12': {
    title: 'ECS clusters should use Container Insights',
    severity: 'MEDIUM',
    resourceType: 'AWS::ECS::Cluster',
    backingRule: managed('ecs-container-insights-enabled'),
    parameters: {},
  },
  'ECS.13': {
    title: 'ECS services should be tagged',
    severity: 'LOW',
    resourceType: 'AWS::ECS::Service',
    backingRule: securityHubCustom('tagged-ecs-service'),
    parameters: TAG_PARAMETERS,
  },
  'ECS.14': {
    title: 'ECS clusters should be tagged',
    severity: 'LOW',
    resourceType: 'AWS::ECS::Cluster',
    backingRule: securityHubCustom('tagged-ecs-cluster'),
    parameters: TAG_PARAMETERS,
  },
  'ECS.15': {
    title: 'ECS task definitions should be tagged',
    severity: 'LOW',
    resourceType: 'AWS::ECS::TaskDefinition',
    backingRule: securityHubCustom('tagged-ecs-taskdefinition'),
    parameters: TAG_PARAMETERS,
  },
  'ECS.16': {
    title: 'ECS task sets should not automatically assign public IP addresses',
    severity: 'HIGH',
    resourceType: 'AWS::ECS::TaskSet',
    backingRule: securityHubCustom('ecs-taskset-assign-public-ip-disabled'),
    parameters: {},
  },
  'ECS.17': {
    title: 'ECS task definitions should not use host network mode',
    severity: 'MEDIUM',
    resourceType: 'AWS::ECS::TaskDefinition',
    backingRule: managed('ecs-task-definition-network-mode-not-host'),
    parameters: {},
  },
  'ECS.18': {
    title: 'ECS Task Definitions should use in-transit encryption for EFS volumes',
    severity: 'MEDIUM',
    resourceType: 'AWS::ECS::TaskDefinition',
    backingRule: managed('ecs-task-definition-efs-encryption-enabled'),
    parameters: {},
  },
  'ECS.19': {
    title: 'ECS capacity providers should have managed termination protection enabled',
    severity: 'MEDIUM',
    resourceType: 'AWS::ECS::CapacityProvider',
    backingRule: managed('ecs-capacity-provider-termination-check'),
    parameters: {},
  },
  'ECS.20': {
    title: 'ECS Task Definitions should configure non-root users in Linux container definitions',
    severity: 'MEDIUM',
    resourceType: 'AWS::ECS::TaskDefinition',
    backingRule: managed('ecs-task-definition-linux-user-non-root'),
    parameters: {},
  },
  'ECS.21': {
    title: 'ECS Task Definitions should configure non-administrator users in Windows container definitions',
    severity: 'MEDIUM',
    resourceType: 'AWS::ECS::TaskDefinition',
    backingRule: managed('ecs-task-definition-windows-user-non-admin'),
    parameters: {},
  },
};

/** Parameters this project adds to Security Hub's, each a documented (beyond) behaviour of its control. */
const PARAMETERS_BEYOND_SECURITY_HUB: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  'ECS.8': { detectCredentialValues: 'true' },
};

test('the registry holds the controls the page lists, in its order, and no other', () => {
  expect(CONTROLS.map((control) => control.id)).toEqual(Object.keys(SECURITY_HUB_PAGE));
});

describe.each(CONTROLS.map((control) => [control.id, control] as const))('%s as Security Hub states it', (id, control: Control) => {
  const page = SECURITY_HUB_PAGE[id];

  it('has its title, severity, resource type and backing rule', () => {
    expect({ title: control.title, severity: control.severity, resourceType: control.resourceType, backingRule: control.backingRule }).toEqual({
      title: page.title,
      severity: page.severity,
      resourceType: page.resourceType,
      backingRule: page.backingRule,
    });
  });

  it("takes Security Hub's parameters with Security Hub's defaults, and only those it adds beyond them", () => {
    const beyond = PARAMETERS_BEYOND_SECURITY_HUB[id] ?? {};
    expect(defaultParameters(control.parameters)).toEqual({ ...page.parameters, ...beyond });
    if (Object.keys(beyond).length > 0) {
      expect(Object.keys(beyond).every((name) => control.beyond?.includes(name))).toBe(true);
    }
  });
});

test.each([
  ['ECS.13', service({ tags: { team: 'shop' } })],
  ['ECS.14', cluster({ tags: { team: 'shop' } })],
  ['ECS.15', taskDefinition({ tags: { team: 'shop' } })],
] as const)('%s takes 1–6 required tag keys ("StringList (maximum of 6 items)"), refusing a seventh', (id, resource) => {
  const sixKeys = 'a,b,c,d,e,f';

  expect(controlById(id).evaluate(resource, { requiredTagKeys: sixKeys }).compliance).toBe('NON_COMPLIANT');
  expect(() => controlById(id).evaluate(resource, { requiredTagKeys: `${sixKeys},g` })).toThrow(InvalidParameterError);
});

test('ECS.1 is absent because Security Hub retired it, and asking for it says so', () => {
  expect(RETIRED_CONTROLS.get('ECS.1')).toBe('Security Hub retired ECS.1 in March 2026; ECS.4, ECS.17, ECS.20 and ECS.21 check what it checked');
  expect(() => controlById('ecs-1')).toThrow(
    /^Unknown control "ecs-1" \(Security Hub retired ECS\.1 in March 2026; ECS\.4, ECS\.17, ECS\.20 and ECS\.21 check what it checked\)\. Known controls: ECS\.2, /,
  );
  expect(() => controlById('ECS.99')).toThrow(/^Unknown control "ECS\.99"\. Known controls: /);
});

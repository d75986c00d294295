/**
 * One control as an organization Config rule: AWS Config creates the rule in every member account
 * (named `OrgConfigRule-<name>-<suffix>` there) and invokes the central function for it.
 */
import { Stack } from 'aws-cdk-lib';
import * as config from 'aws-cdk-lib/aws-config';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Control } from '../../lambdas/core/control';

/**
 * The rule parameter naming the member role, read by the handler (lambdas/runtime/cross-account.ts)
 * in rdklib's manner: the role of that name in the event's account.
 */
export const EXECUTION_ROLE_NAME_PARAMETER = 'ExecutionRoleName';

/** Member rules are ordinary Config rules, so their parameters must fit `ConfigRule.InputParameters` (https://docs.aws.amazon.com/config/latest/APIReference/API_ConfigRule.html). */
const MAX_INPUT_PARAMETERS_LENGTH = 1024;

export interface OrganizationRuleProps {
  readonly control: Control;
  readonly ruleName: string;
  readonly functionArn: string;
  readonly inputParameters: Readonly<Record<string, string>>;
  readonly memberRoleName: string;
  readonly excludedAccounts: readonly string[];
  /** The message types that trigger an evaluation. */
  readonly triggerTypes: readonly string[];
  /** With a `ScheduledNotification` trigger: how often. */
  readonly maximumExecutionFrequency?: string;
}

/** The rule parameters in organization mode: the control's, plus the member role's name. */
export function organizationInputParameters(inputParameters: Readonly<Record<string, string>>, memberRoleName: string, controlId: string): string {
  const json = JSON.stringify({ ...inputParameters, [EXECUTION_ROLE_NAME_PARAMETER]: memberRoleName });
  if (json.length > MAX_INPUT_PARAMETERS_LENGTH) {
    throw new Error(`The parameters of ${controlId} with ${EXECUTION_ROLE_NAME_PARAMETER} exceed the ${MAX_INPUT_PARAMETERS_LENGTH} characters AWS Config accepts as InputParameters.`);
  }
  return json;
}

export function organizationConfigRuleProps(props: OrganizationRuleProps): config.CfnOrganizationConfigRuleProps {
  return {
    organizationConfigRuleName: props.ruleName,
    excludedAccounts: props.excludedAccounts.length > 0 ? [...props.excludedAccounts] : undefined,
    organizationCustomRuleMetadata: {
      description: `${props.control.id} ${props.control.title}`,
      lambdaFunctionArn: props.functionArn,
      organizationConfigRuleTriggerTypes: [...props.triggerTypes],
      maximumExecutionFrequency: props.maximumExecutionFrequency,
      resourceTypesScope: [props.control.resourceType],
      inputParameters: organizationInputParameters(props.inputParameters, props.memberRoleName, props.control.id),
    },
  };
}

/**
 * Lets a central function assume the member role, by name, in any account; the member role's own
 * trust decides which callers get in, and only listed accounts can invoke the function at all.
 */
export function assumeMemberRoleStatement(scope: Stack, memberRoleName: string): iam.PolicyStatement {
  return new iam.PolicyStatement({
    actions: ['sts:AssumeRole'],
    resources: [`arn:${scope.partition}:iam::*:role/${memberRoleName}`],
  });
}

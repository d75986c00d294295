import { compliant, defineControl, listNames, nonCompliant } from '../core/control';
import { EnvironmentVariable } from '../core/model';
import { booleanParameter, stringListParameter } from '../core/parameters';

/** An AWS access key id: `AKIA` (long-term) or `ASIA` (temporary) and 16 upper-case letters or digits. */
const ACCESS_KEY_ID = /(?:AKIA|ASIA)[A-Z0-9]{16}/;
/** Shorter values cannot hold one: skipping the regular expression for them keeps ECS.8 fast. */
const ACCESS_KEY_ID_LENGTH = 20;

/** Why a variable holds a secret (its name, or a value shaped like an access key id), if it does. */
function secretFinding(variable: EnvironmentVariable, secretKeys: readonly string[], detectCredentialValues: boolean): string | undefined {
  if (secretKeys.includes(variable.name)) return variable.name;
  // The value is read only when checked: an unreadable one must not stop the name check alone.
  if (detectCredentialValues && looksLikeAccessKeyId(variable.value)) return `${variable.name} (value looks like an AWS access key id)`;
  return undefined;
}

function looksLikeAccessKeyId(value: string | undefined): boolean {
  if (value === undefined) return false;
  // Stryker disable next-line ConditionalExpression: equivalent mutants; the length test only spares the regular expression values too short to match it.
  return value.length >= ACCESS_KEY_ID_LENGTH && ACCESS_KEY_ID.test(value);
}

/**
 * ECS.8: no container environment variable may be named like a credential (`secretKeys`,
 * case-sensitive). `environmentFiles` and `secrets` are not checked, as in Security Hub.
 * Beyond Security Hub: a value that looks like an AWS access key id fails too, whatever its name.
 */
export const ecs8 = defineControl({
  id: 'ECS.8',
  title: 'Secrets should not be passed as container environment variables',
  severity: 'HIGH',
  resourceType: 'AWS::ECS::TaskDefinition',
  backingRule: { kind: 'aws-config-managed', name: 'ecs-no-environment-secrets' },
  remediation: 'Move these values to AWS Secrets Manager or SSM Parameter Store and reference them under secrets, then register a new revision.',
  beyond: 'Also fails when any environment value looks like an AWS access key id (AKIA/ASIA + 16 characters); detectCredentialValues=false turns this off.',
  parameters: {
    secretKeys: stringListParameter({
      default: 'AWS_ACCESS_KEY_ID,AWS_SECRET_ACCESS_KEY,ECS_ENGINE_AUTH_DATA',
      description: 'Comma-separated environment variable names that must not appear (case-sensitive).',
    }),
    detectCredentialValues: booleanParameter({
      default: 'true',
      description: 'Also fail when an environment value looks like an AWS access key id.',
    }),
  },
  evaluate(taskDefinition, { secretKeys, detectCredentialValues }) {
    // Plain loops: task definitions carry dozens of variables, and this runs for each of them.
    const findings: string[] = [];
    for (const container of taskDefinition.containers) {
      for (const variable of container.environment) {
        const finding = secretFinding(variable, secretKeys, detectCredentialValues);
        if (finding) findings.push(`${container.name}: ${finding}`);
      }
    }
    if (findings.length > 0) {
      return nonCompliant(`Task definition ${taskDefinition.displayName} passes secrets as environment variables: ${listNames(findings)}. ${this.remediation}`);
    }
    return compliant(`Task definition ${taskDefinition.displayName} passes no secrets as environment variables.`);
  },
});

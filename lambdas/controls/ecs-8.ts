import { compliant, defineControl, listNames, nonCompliant } from '../core/control';
import { booleanParameter, stringListParameter } from '../core/parameters';

/** An AWS access key id: `AKIA` (long-term) or `ASIA` (temporary) and 16 upper-case letters or digits. */
const ACCESS_KEY_ID = /(?:AKIA|ASIA)[A-Z0-9]{16}/;
/** Shorter values cannot hold one: skipping the regular expression for them keeps ECS.8 fast. */
const ACCESS_KEY_ID_LENGTH = 20;

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
  managedRule: 'ecs-no-environment-secrets',
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
    const findings = taskDefinition.containers.flatMap((container) =>
      container.environment.flatMap((variable) => {
        if (secretKeys.includes(variable.name)) return [`${container.name}: ${variable.name}`];
        if (detectCredentialValues && variable.value !== undefined && variable.value.length >= ACCESS_KEY_ID_LENGTH && ACCESS_KEY_ID.test(variable.value)) {
          return [`${container.name}: ${variable.name} (value looks like an AWS access key id)`];
        }
        return [];
      }),
    );
    if (findings.length > 0) {
      return nonCompliant(`Task definition ${taskDefinition.displayName} passes secrets as environment variables: ${listNames(findings)}. ${this.remediation}`);
    }
    return compliant(`Task definition ${taskDefinition.displayName} passes no secrets as environment variables.`);
  },
});

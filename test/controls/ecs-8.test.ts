import { ecs8 } from '../../lambdas/controls/ecs-8';
import { EnvironmentVariable, sealModel } from '../../lambdas/core/model';
import { InvalidParameterError } from '../../lambdas/core/parameters';
import { container, describeControl, taskDefinition, unreadable } from './builders';

/** AWS's documented example access key id: AKIA + 16 upper-case letters or digits. */
const ACCESS_KEY_ID = 'AKIAIOSFODNN7EXAMPLE';

function withEnvironment(...environment: EnvironmentVariable[]) {
  return taskDefinition({ containers: [container({ name: 'app', environment })] });
}

const variable = (name: string, value?: string): EnvironmentVariable => ({ name, value });

describeControl(ecs8, [
  { case: 'AWS_ACCESS_KEY_ID by name', resource: withEnvironment(variable('AWS_ACCESS_KEY_ID', 'x')), expected: 'NON_COMPLIANT', mentions: ['app: AWS_ACCESS_KEY_ID', 'Secrets Manager'] },
  { case: 'AWS_SECRET_ACCESS_KEY by name', resource: withEnvironment(variable('AWS_SECRET_ACCESS_KEY', 'x')), expected: 'NON_COMPLIANT', mentions: ['app: AWS_SECRET_ACCESS_KEY'] },
  { case: 'ECS_ENGINE_AUTH_DATA by name', resource: withEnvironment(variable('ECS_ENGINE_AUTH_DATA', '{}')), expected: 'NON_COMPLIANT', mentions: ['app: ECS_ENGINE_AUTH_DATA'] },
  { case: 'a secret name with no value', resource: withEnvironment(variable('AWS_SECRET_ACCESS_KEY')), expected: 'NON_COMPLIANT' },
  { case: 'an ordinary name with no value, values checked', resource: withEnvironment(variable('FEATURE_FLAG')), expected: 'COMPLIANT' },
  { case: 'names are case-sensitive', resource: withEnvironment(variable('aws_secret_access_key', 'x')), expected: 'COMPLIANT' },
  { case: 'ordinary variables', resource: withEnvironment(variable('LOG_LEVEL', 'info'), variable('TABLE_NAME', 'orders')), expected: 'COMPLIANT' },
  { case: 'no environment', resource: withEnvironment(), expected: 'COMPLIANT' },
  {
    case: 'custom secretKeys, spaces around names ignored',
    resource: withEnvironment(variable('DB_PASSWORD', 'hunter2')),
    parameters: { secretKeys: ' DB_PASSWORD , API_TOKEN ' },
    expected: 'NON_COMPLIANT',
    mentions: ['app: DB_PASSWORD'],
  },
  {
    case: 'custom secretKeys replace the defaults',
    resource: withEnvironment(variable('AWS_SECRET_ACCESS_KEY', 'x')),
    parameters: { secretKeys: 'DB_PASSWORD' },
    expected: 'COMPLIANT',
  },
  {
    case: 'an empty name in secretKeys matches nothing',
    resource: withEnvironment(variable('LOG_LEVEL', 'info')),
    parameters: { secretKeys: 'DB_PASSWORD,,' },
    expected: 'COMPLIANT',
  },
  {
    case: '(beyond) a value that looks like an access key id, whatever its name',
    resource: withEnvironment(variable('UPLOADER_ID', ACCESS_KEY_ID)),
    expected: 'NON_COMPLIANT',
    mentions: ['app: UPLOADER_ID (value looks like an AWS access key id)'],
  },
  { case: '(beyond) a temporary ASIA key id', resource: withEnvironment(variable('KEY', 'ASIAY34FZKBOKMUTVV7A')), expected: 'NON_COMPLIANT' },
  { case: '(beyond) a key id inside a longer value', resource: withEnvironment(variable('CONFIG', `id=${ACCESS_KEY_ID};region=us-east-1`)), expected: 'NON_COMPLIANT' },
  { case: '(beyond) lower-case is not a key id', resource: withEnvironment(variable('KEY', ACCESS_KEY_ID.toLowerCase())), expected: 'COMPLIANT' },
  { case: '(beyond) AKIA and only 15 characters is not a key id', resource: withEnvironment(variable('KEY', 'AKIAIOSFODNN7EXAMPL')), expected: 'COMPLIANT' },
  {
    case: '(beyond) detectCredentialValues=false turns the value check off',
    resource: withEnvironment(variable('UPLOADER_ID', ACCESS_KEY_ID)),
    parameters: { detectCredentialValues: 'false' },
    expected: 'COMPLIANT',
  },
  {
    case: 'detectCredentialValues=false keeps the name check',
    resource: withEnvironment(variable('AWS_ACCESS_KEY_ID', ACCESS_KEY_ID)),
    parameters: { detectCredentialValues: 'false' },
    expected: 'NON_COMPLIANT',
  },
  {
    case: 'findings across containers, each named',
    resource: taskDefinition({
      containers: [container({ name: 'app', environment: [variable('AWS_ACCESS_KEY_ID', 'x')] }), container({ name: 'cron', environment: [variable('ECS_ENGINE_AUTH_DATA', 'x')] })],
    }),
    expected: 'NON_COMPLIANT',
    mentions: ['app: AWS_ACCESS_KEY_ID and cron: ECS_ENGINE_AUTH_DATA'],
  },
  {
    case: 'an unreadable value with the value check on',
    resource: withEnvironment(sealModel<EnvironmentVariable>({ name: 'TABLE', value: unreadable('ContainerDefinitions[0].Environment[0].Value') })),
    expected: 'NOT_EVALUATED',
    mentions: ['ContainerDefinitions[0].Environment[0].Value'],
  },
  {
    case: 'an unreadable value with the value check off',
    resource: withEnvironment(sealModel<EnvironmentVariable>({ name: 'TABLE', value: unreadable('ContainerDefinitions[0].Environment[0].Value') })),
    parameters: { detectCredentialValues: 'false' },
    expected: 'COMPLIANT',
  },
  {
    case: 'an unreadable environment list',
    resource: taskDefinition({ containers: [container({ environment: unreadable('ContainerDefinitions[0].Environment') })] }),
    expected: 'NOT_EVALUATED',
  },
]);

describe('ECS.8 parameters', () => {
  it('parses detectCredentialValues case-insensitively', () => {
    expect(ecs8.evaluate(withEnvironment(variable('KEY', ACCESS_KEY_ID)), { detectCredentialValues: 'FALSE' }).compliance).toBe('COMPLIANT');
  });

  it('rejects a detectCredentialValues that is not true or false, naming it', () => {
    expect(() => ecs8.evaluate(withEnvironment(), { detectCredentialValues: 'maybe' })).toThrow(
      new InvalidParameterError('ECS.8 parameter "detectCredentialValues" must be "true" or "false", got "maybe"'),
    );
  });
});

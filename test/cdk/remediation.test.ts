/**
 * Config remediation: off by default; when on, one remediation per in-place control, backed by an
 * SSM Automation document that validates against AWS's published document schema, run as a role
 * only Systems Manager automations of this account can assume, allowed only the document's actions.
 * The documents' Python steps run here against a recording stand-in for boto3.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Ajv from 'ajv';
import { Remediation, REMEDIATIONS, SCRIPT_RUNTIME } from '../../lib/remediation/documents';
import { NO_BUNDLING, synthTemplate } from './fleet';

type Resources = Record<string, { Type: string; Properties: Record<string, any>; DependsOn?: string[] }>;

function synth(context: Record<string, unknown>, props = {}): Resources {
  return synthTemplate({ context: { ...NO_BUNDLING, ...context }, props }).toJSON().Resources;
}

function ofType(resources: Resources, type: string) {
  return Object.entries(resources).filter(([, resource]) => resource.Type === type);
}

/** Every statement of every policy attached to the role. */
function statementsOfRole(resources: Resources, roleLogicalId: string): unknown[] {
  const policies = ofType(resources, 'AWS::IAM::Policy').filter(([, policy]) => policy.Properties.Roles.some((ref: any) => ref.Ref === roleLogicalId));
  return policies.flatMap(([, policy]) => policy.Properties.PolicyDocument.Statement);
}

/**
 * AWS's JSON schema for Automation documents (aws-ssm-document-language-service). It predates the
 * current aws:executeScript runtimes (it lists python3.6/3.7, since retired), so only that list is
 * brought up to date, from https://docs.aws.amazon.com/systems-manager/latest/userguide/automation-action-executeScript.html.
 */
function automationSchemaValidator() {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const schema = structuredClone(require('aws-ssm-document-language-service/dist/schema.json'));
  const executeScript = schema.properties.mainSteps.items.allOf.find((rule: any) => rule.if?.properties?.action?.const === 'aws:executeScript');
  executeScript.then.properties.inputs.properties.Runtime.oneOf[0].enum.push('python3.8', 'python3.9', 'python3.10', 'python3.11');
  const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
  return ajv.compile(schema);
}

describe('Config remediation', () => {
  test('is off by default: no remediation, document or automation role', () => {
    const resources = synth({});
    expect(ofType(resources, 'AWS::Config::RemediationConfiguration')).toEqual([]);
    expect(ofType(resources, 'AWS::SSM::Document')).toEqual([]);
  });

  describe.each([
    ['manual', false],
    ['automatic', true],
  ])('-c remediation=%s', (mode, automatic) => {
    const resources = synth({ remediation: mode });
    const remediations = ofType(resources, 'AWS::Config::RemediationConfiguration').map(([, resource]) => resource);

    test('one remediation for each of ECS.12, ECS.19 and ECS.2, naming its rule and its document', () => {
      const ruleNames = Object.fromEntries(ofType(resources, 'AWS::Config::ConfigRule').map(([logicalId, rule]) => [logicalId, rule.Properties.ConfigRuleName]));
      const named = remediations.map((remediation) => remediation.Properties.ConfigRuleName).sort();
      expect(named).toEqual(['ecs-12', 'ecs-19', 'ecs-2']);
      for (const remediation of remediations) {
        const ruleLogicalId = Object.keys(ruleNames).find((id) => ruleNames[id] === remediation.Properties.ConfigRuleName) as string;
        expect(remediation.DependsOn).toContain(ruleLogicalId);
        expect(resources[remediation.Properties.TargetId.Ref].Type).toBe('AWS::SSM::Document');
        expect(remediation.Properties).toMatchObject({ TargetType: 'SSM_DOCUMENT', Automatic: automatic, Parameters: { ResourceId: { ResourceValue: { Value: 'RESOURCE_ID' } } } });
        if (automatic) expect(remediation.Properties).toMatchObject({ MaximumAutomaticAttempts: 3, RetryAttemptSeconds: 600 });
        else expect(remediation.Properties.MaximumAutomaticAttempts).toBeUndefined();
      }
    });

    test("each automation role trusts only this account's automations and allows only its document's actions", () => {
      for (const remediation of remediations) {
        const roleLogicalId = remediation.Properties.Parameters.AutomationAssumeRole.StaticValue.Values[0]['Fn::GetAtt'][0];
        const role = resources[roleLogicalId];
        expect(role.Properties.AssumeRolePolicyDocument.Statement).toEqual([
          {
            Action: 'sts:AssumeRole',
            Effect: 'Allow',
            Principal: { Service: 'ssm.amazonaws.com' },
            Condition: {
              StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
              ArnLike: { 'aws:SourceArn': { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ssm:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':automation-execution/*']] } },
            },
          },
        ]);
        const expected = REMEDIATIONS.find((candidate) => `ecs-${candidate.controlId.slice(4)}` === remediation.Properties.ConfigRuleName) as Remediation;
        expect(statementsOfRole(resources, roleLogicalId)).toEqual(
          expected.grants.map((grant) => ({
            Effect: 'Allow',
            Action: grant.actions.length === 1 ? grant.actions[0] : grant.actions,
            Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ecs:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, `:${grant.resource}`]] },
            ...(grant.conditions && { Condition: grant.conditions }),
          })),
        );
      }
    });
  });

  test("ECS.2's role may update a service only in a request that turns public IPs off, on a service ARN that names its cluster", () => {
    const resources = synth({ remediation: 'manual', controls: 'ECS.2' });
    const [[roleLogicalId]] = ofType(resources, 'AWS::IAM::Role').filter(([, role]) => JSON.stringify(role.Properties.AssumeRolePolicyDocument).includes('ssm.amazonaws.com'));
    const serviceArn = { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ecs:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':service/*/*']] };
    expect(statementsOfRole(resources, roleLogicalId)).toEqual([
      { Effect: 'Allow', Action: 'ecs:DescribeServices', Resource: serviceArn },
      { Effect: 'Allow', Action: 'ecs:UpdateService', Resource: serviceArn, Condition: { Bool: { 'ecs:auto-assign-public-ip': 'false' } } },
    ]);
  });

  test('only the deployed controls get one', () => {
    const resources = synth({ remediation: 'manual', controls: 'ECS.12,ECS.5' });
    expect(ofType(resources, 'AWS::Config::RemediationConfiguration').map(([, resource]) => resource.Properties.ConfigRuleName)).toEqual(['ecs-12']);
  });

  test('an unknown mode, and remediation in organization mode, are errors naming the setting', () => {
    expect(() => synth({ remediation: 'always' })).toThrow('`remediation` must be off, manual, automatic, got "always".');
    expect(() => synth({}, { deployment: 'organization', remediation: 'manual', organization: { memberAccounts: ['111111111111'] } })).toThrow('`remediation` is available in account mode only');
  });
});

describe('the SSM Automation documents', () => {
  const validate = automationSchemaValidator();

  test.each(REMEDIATIONS.map((remediation) => [remediation.controlId, remediation] as const))('%s validates against the Automation document schema', (_id, remediation) => {
    expect(validate(remediation.document) ? [] : validate.errors).toEqual([]);
    expect(remediation.document.mainSteps[0].inputs.Runtime).toBe(SCRIPT_RUNTIME);
  });

  test('the schema catches a broken document (so passing means something)', () => {
    const broken = { ...REMEDIATIONS[0].document, mainSteps: [{ name: 'Remediate', action: 'aws:executeScript', inputs: { Handler: 'handler' } }] };
    expect(validate(broken)).toBe(false);
  });

  test('the synthesized documents are these documents, as Automation documents in JSON', () => {
    const documents = ofType(synth({ remediation: 'manual' }), 'AWS::SSM::Document').map(([, resource]) => resource.Properties);
    expect(documents.map((document) => document.Content)).toEqual(expect.arrayContaining(REMEDIATIONS.map((remediation) => remediation.document)));
    for (const document of documents) expect(document).toMatchObject({ DocumentType: 'Automation', DocumentFormat: 'JSON' });
  });
});

/**
 * Runs a document's script with a stand-in `boto3` whose ECS client answers describe calls from
 * `described` and records every call; returns the handler's result (or error) and the calls.
 */
function runScript(controlId: string, resourceId: string, described: Record<string, unknown>): { result?: unknown; error?: string; calls: [string, unknown][] } {
  const remediation = REMEDIATIONS.find((candidate) => candidate.controlId === controlId);
  const dir = mkdtempSync(join(tmpdir(), 'remediation-'));
  try {
    writeFileSync(join(dir, 'remediation.py'), remediation?.document.mainSteps[0].inputs.Script as string);
    writeFileSync(
      join(dir, 'boto3.py'),
      `import json, os
calls = []
class _Client:
    def __getattr__(self, name):
        def call(**kwargs):
            calls.append([name, kwargs])
            return json.loads(os.environ["DESCRIBED"]).get(name, {})
        return call
def client(service):
    assert service == "ecs"
    return _Client()
`,
    );
    writeFileSync(
      join(dir, 'run.py'),
      `import json, boto3, remediation
try:
    out = {"result": remediation.handler({"ResourceId": ${JSON.stringify(resourceId)}}, None)["result"]}
except Exception as error:
    out = {"error": str(error)}
out["calls"] = boto3.calls
print(json.dumps(out))
`,
    );
    return JSON.parse(execFileSync('python3', ['run.py'], { cwd: dir, env: { ...process.env, DESCRIBED: JSON.stringify(described) } }).toString());
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('the documents’ scripts', () => {
  /** A run that fixes the resource, so the script makes every call it can make. */
  const FIXING_RUNS: Record<string, [string, Record<string, unknown>]> = {
    'ECS.12': ['batch', { describe_clusters: { clusters: [{ settings: [{ name: 'containerInsights', value: 'disabled' }] }] } }],
    'ECS.19': ['spot', { describe_capacity_providers: { capacityProviders: [{ autoScalingGroupProvider: { managedTerminationProtection: 'DISABLED' } }] } }],
    'ECS.2': ['arn:aws:ecs:eu-west-1:123456789012:service/shop/checkout', { describe_services: { services: [{ networkConfiguration: { awsvpcConfiguration: { subnets: ['subnet-1'], assignPublicIp: 'ENABLED' } } }] } }],
  };
  const iamAction = (botoMethod: string) => `ecs:${botoMethod.replace(/(^|_)([a-z])/g, (_match, _separator, letter: string) => letter.toUpperCase())}`;

  test.each(REMEDIATIONS.map((remediation) => [remediation.controlId, remediation] as const))("%s's role is allowed exactly the ECS calls its script makes", (controlId, remediation) => {
    const [resourceId, described] = FIXING_RUNS[controlId];
    const called = runScript(controlId, resourceId, described).calls.map(([name]) => iamAction(name));
    expect(remediation.grants.flatMap((grant) => grant.actions).sort()).toEqual([...new Set(called)].sort());
  });

  test('ECS.12 turns Container Insights on for a cluster given by ARN, and leaves an enabled one alone', () => {
    const disabled = runScript('ECS.12', 'arn:aws:ecs:eu-west-1:123456789012:cluster/batch', { describe_clusters: { clusters: [{ settings: [{ name: 'containerInsights', value: 'disabled' }] }] } });
    expect(disabled.calls).toEqual([
      ['describe_clusters', { clusters: ['batch'], include: ['SETTINGS'] }],
      ['update_cluster_settings', { cluster: 'batch', settings: [{ name: 'containerInsights', value: 'enabled' }] }],
    ]);
    const enhanced = runScript('ECS.12', 'batch', { describe_clusters: { clusters: [{ settings: [{ name: 'containerInsights', value: 'enhanced' }] }] } });
    expect(enhanced.calls.map(([name]) => name)).toEqual(['describe_clusters']);
    expect(enhanced.result).toMatch(/already has Container Insights enhanced/);
  });

  test('ECS.19 turns managed termination protection on; a Fargate provider has nothing to change', () => {
    const ec2 = runScript('ECS.19', 'arn:aws:ecs:eu-west-1:123456789012:capacity-provider/spot', { describe_capacity_providers: { capacityProviders: [{ autoScalingGroupProvider: { managedTerminationProtection: 'DISABLED' } }] } });
    expect(ec2.calls[1]).toEqual(['update_capacity_provider', { name: 'spot', autoScalingGroupProvider: { managedTerminationProtection: 'ENABLED' } }]);
    const fargate = runScript('ECS.19', 'FARGATE', { describe_capacity_providers: { capacityProviders: [{ name: 'FARGATE' }] } });
    expect(fargate.calls).toHaveLength(1);
  });

  test('ECS.2 keeps subnets and security groups, turns the public IP off; a CodeDeploy service and a short ARN are refused', () => {
    const awsvpcConfiguration = { subnets: ['subnet-1', 'subnet-2'], securityGroups: ['sg-1'], assignPublicIp: 'ENABLED' };
    const service = { networkConfiguration: { awsvpcConfiguration } };
    const arn = 'arn:aws:ecs:eu-west-1:123456789012:service/shop/checkout';
    const fixed = runScript('ECS.2', arn, { describe_services: { services: [service] } });
    expect(fixed.calls).toEqual([
      ['describe_services', { cluster: 'shop', services: ['checkout'] }],
      ['update_service', { cluster: 'shop', service: 'checkout', networkConfiguration: { awsvpcConfiguration: { subnets: ['subnet-1', 'subnet-2'], securityGroups: ['sg-1'], assignPublicIp: 'DISABLED' } } }],
    ]);
    const codeDeploy = runScript('ECS.2', arn, { describe_services: { services: [{ ...service, deploymentController: { type: 'CODE_DEPLOY' } }] } });
    expect(codeDeploy.error).toMatch(/deployed by CODE_DEPLOY/);
    expect(codeDeploy.calls).toHaveLength(1);
    const short = runScript('ECS.2', 'arn:aws:ecs:eu-west-1:123456789012:service/checkout', {});
    expect(short.error).toMatch(/not a service ARN naming its cluster/);
    expect(short.calls).toEqual([]);
  });
});

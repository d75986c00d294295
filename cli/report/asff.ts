/**
 * `--format asff`: AWS Security Finding Format 2018-10-08 objects, as Security Hub's
 * BatchImportFindings takes them (https://docs.aws.amazon.com/securityhub/1.0/APIReference/API_BatchImportFindings.html,
 * https://docs.aws.amazon.com/securityhub/latest/userguide/securityhub-findings-format.html), in a
 * `{ "Findings": [...] }` document: every finding (passing ones too, so a re-import turns a fixed
 * FAILED finding into PASSED), then every input not read and every notice (./security-findings.ts).
 *
 * - `ProductArn`: the account's default product, `arn:<partition>:securityhub:<region>:<account>:product/<account>/default`,
 *   the one an account uses for its own findings; BatchImportFindings then accepts only findings whose
 *   `AwsAccountId` is the caller's account.
 * - `Id`: `ecs-config-rules/<control>/<fingerprint>`, the same check of the same resource in every
 *   run, so a re-import updates the finding; `GeneratorId`: `ecs-config-rules/<control>`.
 * - `Severity` and `Types` also in `FindingProviderFields`: the provider's own values, which
 *   Security Hub keeps apart from what a user changed with BatchUpdateFindings
 *   (https://docs.aws.amazon.com/securityhub/latest/userguide/finding-update-batchimportfindings.html).
 * - Lengths: `Title` at most 256 characters, `Description` 1,024, `Remediation.Recommendation.Text`
 *   512 (the API reference's length constraints); a description is an annotation (at most 256),
 *   titles and remediations are the registry's, held to these by test/cli/asff.test.ts.
 */
import type { AwsSecurityFinding, Resource } from '@aws-sdk/client-securityhub';
import { InputError } from '../../scan/inputs/parse';
import { controlDocumentation, TOOL } from '../../scan/report';
import { ResourceType } from '../../lambdas/core/model';
import { Formatter } from './report';
import { AwsScope, resourceUid, SecurityRecord, securityRecords } from './security-findings';

export const ASFF_SCHEMA_VERSION = '2018-10-08';

/** The finding type: namespace `Software and Configuration Checks`, category `AWS Security Best Practices`. */
export const FINDING_TYPES = ['Software and Configuration Checks/AWS Security Best Practices'];

/** ASFF's resource types (`AwsEcsTaskDefinition`…); task sets and capacity providers have none, so `Other`. */
const RESOURCE_TYPES: Readonly<Record<ResourceType, string>> = {
  'AWS::ECS::TaskDefinition': 'AwsEcsTaskDefinition',
  'AWS::ECS::Service': 'AwsEcsService',
  'AWS::ECS::Cluster': 'AwsEcsCluster',
  'AWS::ECS::TaskSet': 'Other',
  'AWS::ECS::CapacityProvider': 'Other',
};

/** The `ProductFields` key naming the file read (or `live`): a later import archives what that source no longer has. */
export const SOURCE_FIELD = `${TOOL.name}/Source`;

/** The account's default product: where an account imports findings of its own. */
export function defaultProductArn(scope: AwsScope): string {
  return `arn:${scope.partition}:securityhub:${scope.region}:${scope.account}:product/${scope.account}/default`;
}

/** The resource, or for an input the file (or the account, for a Region that could not be read). */
function resourcesOf(record: SecurityRecord, scope: AwsScope): Resource[] {
  const place = { Partition: scope.partition as Resource['Partition'], Region: scope.region };
  const target = record.finding?.target;
  if (!target) return [{ Type: 'Other', Id: record.source === 'live' ? `AWS::::Account:${scope.account}` : record.source, ...place }];
  const { file, line, logicalId, constructPath, stack } = target.location;
  const details = Object.entries({ Name: target.name, ResourceType: target.resourceType, File: file, Line: line?.toString(), LogicalId: logicalId, ConstructPath: constructPath, Stack: stack });
  return [{ Type: RESOURCE_TYPES[target.resourceType], Id: resourceUid(target), ...place, Details: { Other: Object.fromEntries(details.filter((entry): entry is [string, string] => entry[1] !== undefined)) } }];
}

/** One finding as BatchImportFindings takes it; `createdAt` is kept from the finding already imported, if any. */
export function asffFinding(record: SecurityRecord, scope: AwsScope, updatedAt: string, createdAt = updatedAt): AwsSecurityFinding {
  const severity = { Label: record.severity };
  const control = record.finding?.control;
  const suppression = record.finding?.suppression;
  return {
    SchemaVersion: ASFF_SCHEMA_VERSION,
    Id: record.uid,
    ProductArn: defaultProductArn(scope),
    ProductName: TOOL.name,
    CompanyName: TOOL.name,
    GeneratorId: record.generator,
    AwsAccountId: scope.account,
    Region: scope.region,
    Types: FINDING_TYPES,
    CreatedAt: createdAt,
    UpdatedAt: updatedAt,
    Severity: severity,
    Title: record.title,
    Description: record.description,
    ...(control && { Remediation: { Recommendation: { Text: control.remediation, Url: controlDocumentation(control) } }, SourceUrl: controlDocumentation(control) }),
    ProductFields: {
      [SOURCE_FIELD]: record.source,
      ...(suppression && { [`${TOOL.name}/Suppression`]: `${suppression.reason}${suppression.expires ? ` (until ${suppression.expires})` : ''}; ${suppression.where}` }),
    },
    Resources: resourcesOf(record, scope),
    Compliance: { Status: record.compliance, ...(control && { SecurityControlId: control.id }) },
    Workflow: { Status: record.workflow },
    RecordState: record.archived ? 'ARCHIVED' : 'ACTIVE',
    FindingProviderFields: { Severity: severity, Types: FINDING_TYPES },
  };
}

/** The scope a record is imported into: its resource's, or the caller's. */
export function importScope(record: SecurityRecord, caller: AwsScope): AwsScope {
  return record.scope ?? caller;
}

export const formatAsff: Formatter = (report, options) => {
  const caller = options.aws;
  if (!caller) throw new InputError('--format asff needs the account and Region findings belong to (STS GetCallerIdentity)');
  const updatedAt = (options.now ?? new Date()).toISOString();
  const findings = [...securityRecords(report, caller)].map((record) => asffFinding(record, importScope(record, caller), updatedAt));
  return `${JSON.stringify({ Findings: findings }, null, 2)}\n`;
};

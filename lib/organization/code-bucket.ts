/**
 * The bucket a Region's member functions take their code from, in the central account. Its name is
 * in the central account's *account regional namespace*: only that account can ever create a bucket
 * named `…-<account>-<Region>-an`, so nobody can claim one before the first deploy (or after a
 * deletion), `cdk deploy` can upload only into the central account's own bucket, and a member
 * function can read code only from it
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/gpbucketnamespaces.html).
 * Reads are limited to the accounts under the targeted OUs where the targets are known at synth.
 */
import { Annotations, Token, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

/** What CloudFormation prefixes to `-<account>-<Region>-an` (`BucketNamePrefix`). */
export const CODE_BUCKET_PREFIX = 'ecs-config-rules-code';

/**
 * Regions without account regional namespaces (https://docs.aws.amazon.com/AmazonS3/latest/userguide/gpbucketnamespaces.html):
 * there a bucket name would be open to anyone again, so they are refused.
 */
export const REGIONS_WITHOUT_ACCOUNT_NAMESPACE: readonly string[] = ['me-south-1', 'me-central-1'];

/** `ecs-config-rules-code-<account>-<Region>-an`: the full name S3 gives the bucket in the account's namespace. */
export function codeBucketName(account: string, region: string): string {
  return `${CODE_BUCKET_PREFIX}-${account}-${region}-an`;
}

export interface CodeBucketProps {
  /** `o-…`, or the `OrganizationId` parameter's value. */
  readonly organizationId: string;
  /**
   * The StackSet's targets (root `r-…` or OU ids `ou-…`); with the organization id known at synth,
   * only accounts under them may read the code.
   *
   * @default - every account of the organization may read it (targets given at deploy time)
   */
  readonly targetOrganizationalUnitIds?: readonly string[];
}

export class CodeBucket extends Construct {
  public readonly bucket: s3.Bucket;

  /** @internal The fleet builds it; its props are TypeScript-internal, so jsii gives other languages no initializer (docs/jsii.md). */
  public static _create(scope: Construct, id: string, props: CodeBucketProps): CodeBucket {
    return new CodeBucket(scope, id, props);
  }

  private constructor(scope: Construct, id: string, props: CodeBucketProps) {
    super(scope, id);
    this.bucket = new s3.Bucket(this, 'Resource', {
      bucketNamePrefix: CODE_BUCKET_PREFIX,
      bucketNamespace: s3.BucketNamespace.ACCOUNT_REGIONAL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      versioned: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
    });
    this.bucket.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [new iam.AnyPrincipal()],
        actions: ['s3:GetObject', 's3:GetObjectVersion'],
        resources: [this.bucket.arnForObjects('*')],
        conditions: this.readCondition(props),
      }),
    );
    Validations.of(this.bucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason: 'Holds only the rule bundles cdk deploy uploads (content-addressed, versioned); reads are by the targeted accounts through CloudFormation, recorded by CloudTrail, and access logs would need a second bucket per Region.',
    });
  }

  /**
   * Who may read: the principal that creates a member function, i.e. the StackSet's execution role
   * in the member account. Lambda fetches `Code` with the caller's own permissions (a forward access
   * session carries the caller's identity, https://docs.aws.amazon.com/IAM/latest/UserGuide/access_forward_access_sessions.html),
   * so the principal's organization path is in the request and `aws:PrincipalOrgPaths` can name the
   * targeted OUs (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalorgpaths).
   */
  private readCondition(props: CodeBucketProps): Record<string, Record<string, unknown>> {
    const paths = organizationPaths(props.organizationId, props.targetOrganizationalUnitIds);
    if (paths) return { 'ForAnyValue:StringLike': { 'aws:PrincipalOrgPaths': paths } };
    Annotations.of(this).addWarningV2(
      'ecs-config-rules:codeReadersWholeOrganization',
      'The rule code is readable by every account of the organization: give `organizationId` and `targetOrganizationalUnitIds` (-c organizationId, -c targetOus) at synth to limit it to the targeted OUs.',
    );
    return { StringEquals: { 'aws:PrincipalOrgID': props.organizationId } };
  }
}

/**
 * `o-…/*<id>/*` per target: the accounts anywhere under a root or an OU. A path is
 * `o-…/r-…/ou-…/…/`; a root or OU id cannot end inside another id's segment (ids are `r-x`,
 * `ou-x-y` with no further hyphen), so the wildcard before the id matches only whole ancestors.
 * Undefined while the organization or a target is a deploy-time parameter.
 */
export function organizationPaths(organizationId: string, targets: readonly string[] | undefined): string[] | undefined {
  if (!targets || Token.isUnresolved(organizationId) || targets.some((target) => Token.isUnresolved(target))) return undefined;
  return targets.map((target) => `${organizationId}/*${target}/*`);
}

/**
 * Organization mode: the rule functions run once, centrally, and AWS Config in every member account
 * invokes them. Reads and PutEvaluations must then be made in the member account, with its
 * credentials: like rdklib, the handler assumes the role named by the `ExecutionRoleName` rule
 * parameter in the event's account (https://github.com/awslabs/aws-config-rdklib), and caches the
 * credentials per account until shortly before they expire.
 */
import { ApiOptions, clientSettings, createRuleApis, RuleApis } from './aws-apis';
import { AwsCredentials, QueryCall, queryClient, STS_SERVICE, xmlText } from './aws-client';
import { ParsedEvent } from './config-event';

export class AssumeRoleFailedError extends Error {
  constructor(roleArn: string, options: { cause: unknown }) {
    super(`could not assume ${roleArn} to evaluate in that account: ${(options.cause as Error)?.message ?? options.cause}`, options);
    this.name = 'AssumeRoleFailedError';
  }
}

/** Credentials are refreshed this long before they expire, so no call runs on expiring ones. */
const REFRESH_MARGIN_MS = 5 * 60 * 1000;

interface CachedApis {
  readonly apis: RuleApis;
  readonly expiresAt: number;
}

/** The account an event is about: its `accountId`, else the account of its `executionRoleArn`. */
export function eventAccount(event: ParsedEvent): string | undefined {
  return event.accountId ?? /^arn:aws[\w-]*:iam::(\d{12}):/.exec(event.executionRoleArn ?? '')?.[1];
}

/** The account a Lambda function runs in, from the invoked function's ARN. */
export function accountOfFunctionArn(functionArn: string | undefined): string | undefined {
  return /^arn:aws[\w-]*:lambda:[^:]+:(\d{12}):/.exec(functionArn ?? '')?.[1];
}

function partitionOf(arn: string | undefined): string {
  return /^arn:(aws[\w-]*):/.exec(arn ?? '')?.[1] ?? 'aws';
}

/**
 * Returns the APIs for an event: the function's own credentials, or, when the rule names an
 * `ExecutionRoleName` and the event comes from another account, that role's credentials there.
 * (Without the parameter the rule is a single-account rule: a foreign result token would make
 * PutEvaluations fail loudly rather than report in the wrong account.)
 */
export function createAccountApis(
  ownAccount: () => string | undefined,
  createApis = createRuleApis,
  stsOptions: Pick<ApiOptions, 'requestTimeoutMs' | 'maxAttempts'> = {},
) {
  let ownApis: RuleApis | undefined;
  const memberApis = new Map<string, CachedApis>();
  let sts: QueryCall | undefined;

  return async function apisFor(event: ParsedEvent): Promise<RuleApis> {
    const account = eventAccount(event);
    const roleName = event.ruleParameters.ExecutionRoleName;
    if (roleName === undefined || roleName === '' || !account || account === ownAccount()) return (ownApis ??= createApis());
    if (typeof roleName !== 'string') throw new Error('the ExecutionRoleName rule parameter must be a string');
    const cached = memberApis.get(account);
    if (cached && cached.expiresAt - REFRESH_MARGIN_MS > Date.now()) return cached.apis;

    const roleArn = `arn:${partitionOf(event.executionRoleArn)}:iam::${account}:role/${roleName}`;
    let credentials: ExpiringCredentials;
    try {
      const reply = await (sts ??= queryClient(STS_SERVICE, clientSettings(stsOptions)))('AssumeRole', {
        RoleArn: roleArn,
        RoleSessionName: `ecs-config-rules-${(event.configRuleName ?? 'rule').slice(0, 40)}`.replace(/[^\w+=,.@-]/g, '-'),
      });
      credentials = credentialsOf(reply);
    } catch (error) {
      throw new AssumeRoleFailedError(roleArn, { cause: error });
    }
    const apis = createApis({ credentials });
    memberApis.set(account, { apis, expiresAt: credentials.expiration.getTime() });
    return apis;
  };
}

type ExpiringCredentials = AwsCredentials & { readonly expiration: Date };

/** The credentials in an AssumeRole reply (https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html). */
function credentialsOf(reply: string): ExpiringCredentials {
  const accessKeyId = xmlText(reply, 'AccessKeyId');
  const secretAccessKey = xmlText(reply, 'SecretAccessKey');
  const expiration = new Date(xmlText(reply, 'Expiration') ?? Number.NaN);
  if (!accessKeyId || !secretAccessKey || Number.isNaN(expiration.getTime())) throw new Error('AssumeRole returned no credentials');
  return { accessKeyId, secretAccessKey, sessionToken: xmlText(reply, 'SessionToken'), expiration };
}

/**
 * The AWS calls a rule makes, behind one small interface so the handler stays a readable sequence
 * of steps and tests can count calls by kind. Clients are created on first use, so a rule that never
 * calls ECS never builds an ECS client. The clients are this project's small ones (./aws-client), not
 * the AWS SDK's: see docs/performance.md.
 */
import { familyFromArn, revisionFromArn } from '../adapters/ecs-document';
import { AwsCredentials, ClientSettings, CONFIG_SERVICE, ECS_SERVICE, JsonCall, jsonClient } from './aws-client';
import { log } from './log';

/** An evaluation as the handler builds it (PutEvaluations' `Evaluation`). */
export interface Evaluation {
  readonly ComplianceResourceType: string;
  readonly ComplianceResourceId: string;
  readonly ComplianceType: 'COMPLIANT' | 'NON_COMPLIANT' | 'NOT_APPLICABLE' | 'INSUFFICIENT_DATA';
  readonly Annotation?: string;
  readonly OrderingTimestamp: Date;
}

/**
 * An evaluation as it goes over the wire and as `FailedEvaluations` returns it: the JSON protocol
 * sends timestamps as epoch seconds.
 */
type WireEvaluation = Omit<Evaluation, 'OrderingTimestamp'> & { readonly OrderingTimestamp: number };

const toWire = (evaluation: Evaluation): WireEvaluation => ({ ...evaluation, OrderingTimestamp: evaluation.OrderingTimestamp.getTime() / 1000 });

export interface TaskDefinitionRevision {
  readonly arn: string;
  readonly revision: number;
}

export interface RuleApis {
  /** Sends evaluations in batches of 100, re-sending any the reply lists as failed. */
  putEvaluations(resultToken: string, evaluations: readonly Evaluation[]): Promise<void>;
  /** The current configuration item, as GetResourceConfigHistory returns it. */
  getConfigurationItem(resourceType: string, resourceId: string): Promise<unknown>;
  /** Every ACTIVE revision of exactly this family (not of families it prefixes), oldest first. */
  listActiveRevisions(family: string): Promise<TaskDefinitionRevision[]>;
  /** `runtimePlatform.operatingSystemFamily` of a task definition (ARN or family[:revision]). */
  taskDefinitionOperatingSystemFamily(taskDefinition: string): Promise<string | undefined>;

  // Periodic mode (lambdas/runtime/periodic.ts): the whole scope at once.
  /** Ids of every resource of this type AWS Config currently records (deleted ones left out). */
  listDiscoveredResourceIds(resourceType: string): Promise<string[]>;
  /** The current items of these resources (without tags: BatchGetResourceConfig does not return them). */
  getConfigurationItems(resourceType: string, resourceIds: readonly string[]): Promise<ConfigurationItemsReply>;
  /** Every ACTIVE task definition revision in the account, by family, oldest first. */
  listAllActiveRevisions(): Promise<Map<string, TaskDefinitionRevision[]>>;
  /** The resources a rule holds a COMPLIANT or NON_COMPLIANT result for. */
  listResultsOfRule(configRuleName: string): Promise<ResourceKey[]>;
}

export interface ResourceKey {
  readonly resourceType: string;
  readonly resourceId: string;
}

export interface ConfigurationItemsReply {
  /** Items in the history shape (`configuration` a JSON string, `accountId`, `arn`). */
  readonly items: unknown[];
  /** Keys AWS Config still left unprocessed after the retries: not evaluated, not to be guessed. */
  readonly unprocessed: readonly string[];
}

/** ListDiscoveredResources, BatchGetResourceConfig and GetComplianceDetailsByConfigRule take at most 100 a call. */
const CONFIG_PAGE_SIZE = 100;
/** Attempts for keys BatchGetResourceConfig returns as unprocessed. */
const UNPROCESSED_KEY_ATTEMPTS = 5;

/** PutEvaluations takes at most 100 evaluations a call (https://docs.aws.amazon.com/config/latest/APIReference/API_PutEvaluations.html). */
export const EVALUATIONS_PER_CALL = 100;
/** Attempts for an evaluation the service reports in FailedEvaluations. */
const FAILED_EVALUATION_ATTEMPTS = 5;
/** Attempts per call; the standard retry strategy backs off on throttling and 5xx replies. */
const MAX_ATTEMPTS = 8;
/**
 * Per-attempt limits, so a hanging endpoint fails the attempt (a `TimeoutError`, which is retried)
 * instead of silently using up the whole Lambda timeout. Config and ECS answer in well under a
 * second; 5 s leaves room for a slow reply while keeping one attempt far below the function timeout.
 */
const REQUEST_TIMEOUT_MS = 5_000;
const CONNECTION_TIMEOUT_MS = 2_000;

export class EvaluationsNotDeliveredError extends Error {
  constructor(readonly failed: readonly WireEvaluation[]) {
    super(`AWS Config did not accept ${failed.length} evaluation(s) after ${FAILED_EVALUATION_ATTEMPTS} attempts: ${failed.map((evaluation) => evaluation.ComplianceResourceId).join(', ')}`);
    this.name = 'EvaluationsNotDeliveredError';
  }
}

export interface ApiOptions {
  /** Credentials for another account (organization mode); the function's own (environment) otherwise. */
  readonly credentials?: AwsCredentials;
  /** Waits between FailedEvaluations retries; tests pass a fast one. */
  readonly backoff?: (attempt: number) => Promise<void>;
  /** Per-attempt request timeout in ms; tests of a hanging endpoint pass a short one. */
  readonly requestTimeoutMs?: number;
  /** Attempts per call; tests of persistent faults pass fewer, to skip the long throttling back-off. */
  readonly maxAttempts?: number;
}

/** Client settings every client of a rule shares (Config, ECS, STS): credentials, attempts and timeouts. */
export function clientSettings(options: Pick<ApiOptions, 'credentials' | 'requestTimeoutMs' | 'maxAttempts'> = {}): ClientSettings {
  return {
    credentials: options.credentials,
    maxAttempts: options.maxAttempts ?? MAX_ATTEMPTS,
    requestTimeoutMs: options.requestTimeoutMs ?? REQUEST_TIMEOUT_MS,
    connectionTimeoutMs: CONNECTION_TIMEOUT_MS,
  };
}

// The parts of the replies the rule reads (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ListTaskDefinitions.html,
// https://docs.aws.amazon.com/config/latest/APIReference/API_GetComplianceDetailsByConfigRule.html).
interface TaskDefinitionListing {
  readonly taskDefinitionArns?: string[];
  readonly nextToken?: string;
}

interface ComplianceDetails {
  readonly EvaluationResults?: { EvaluationResultIdentifier?: { EvaluationResultQualifier?: { ResourceType?: string; ResourceId?: string } } }[];
  readonly NextToken?: string;
}

const sleep = (milliseconds: number) => new Promise((resolve) => setTimeout(resolve, milliseconds));
/** Full-jitter exponential backoff, 100 ms base (https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/). */
const defaultBackoff = (attempt: number) => sleep(Math.random() * 100 * 2 ** attempt);

export function createRuleApis(options: ApiOptions = {}): RuleApis {
  const settings = clientSettings(options);
  let configClient: JsonCall | undefined;
  let ecsClient: JsonCall | undefined;
  const config: JsonCall = (operation, input) => (configClient ??= jsonClient(CONFIG_SERVICE, settings))(operation, input);
  const ecs: JsonCall = (operation, input) => (ecsClient ??= jsonClient(ECS_SERVICE, settings))(operation, input);
  const backoff = options.backoff ?? defaultBackoff;

  async function putBatch(resultToken: string, batch: readonly WireEvaluation[]): Promise<void> {
    let pending = batch;
    for (let attempt = 1; pending.length > 0; attempt++) {
      if (attempt > FAILED_EVALUATION_ATTEMPTS) throw new EvaluationsNotDeliveredError(pending);
      if (attempt > 1) {
        log('WARN', 'retrying evaluations AWS Config reported as failed', { attempt, failed: pending.map((evaluation) => evaluation.ComplianceResourceId) });
        await backoff(attempt - 1);
      }
      const reply = await config<{ FailedEvaluations?: WireEvaluation[] }>('PutEvaluations', { ResultToken: resultToken, Evaluations: pending });
      pending = reply.FailedEvaluations ?? [];
    }
  }

  return {
    async putEvaluations(resultToken, evaluations) {
      for (let start = 0; start < evaluations.length; start += EVALUATIONS_PER_CALL) {
        await putBatch(resultToken, evaluations.slice(start, start + EVALUATIONS_PER_CALL).map(toWire));
      }
    },

    async getConfigurationItem(resourceType, resourceId) {
      const reply = await config<{ configurationItems?: unknown[] }>('GetResourceConfigHistory', { resourceType, resourceId, limit: 1 });
      const item = reply.configurationItems?.[0];
      if (!item) throw new Error(`GetResourceConfigHistory returned no configuration item for ${resourceType} ${resourceId}`);
      return item;
    },

    async listActiveRevisions(family) {
      // familyPrefix is a prefix match (`web` also lists `web-api`), so keep only this family's ARNs.
      // In the default ascending order families are listed lexicographically, so `web` comes before
      // every family it prefixes: once another family appears, this one is complete
      // (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ListTaskDefinitions.html).
      const revisions: TaskDefinitionRevision[] = [];
      let nextToken: string | undefined;
      do {
        const reply = await ecs<TaskDefinitionListing>('ListTaskDefinitions', { familyPrefix: family, status: 'ACTIVE', sort: 'ASC', maxResults: 100, nextToken });
        const arns = reply.taskDefinitionArns ?? [];
        for (const arn of arns) {
          const revision = revisionFromArn(arn);
          if (familyFromArn(arn) === family && revision !== undefined) revisions.push({ arn, revision });
        }
        const reachedOtherFamily = arns.some((arn) => familyFromArn(arn) !== family);
        nextToken = reachedOtherFamily ? undefined : reply.nextToken;
      } while (nextToken);
      return revisions.sort((a, b) => a.revision - b.revision);
    },

    async listDiscoveredResourceIds(resourceType) {
      const ids: string[] = [];
      let nextToken: string | undefined;
      do {
        const reply = await config<{ resourceIdentifiers?: { resourceId?: string }[]; nextToken?: string }>('ListDiscoveredResources', {
          resourceType,
          includeDeletedResources: false,
          limit: CONFIG_PAGE_SIZE,
          nextToken,
        });
        for (const identifier of reply.resourceIdentifiers ?? []) if (identifier.resourceId) ids.push(identifier.resourceId);
        nextToken = reply.nextToken;
      } while (nextToken);
      return ids;
    },

    async getConfigurationItems(resourceType, resourceIds) {
      const items: unknown[] = [];
      const unprocessed: string[] = [];
      for (let start = 0; start < resourceIds.length; start += CONFIG_PAGE_SIZE) {
        let keys: ResourceKey[] = resourceIds.slice(start, start + CONFIG_PAGE_SIZE).map((resourceId) => ({ resourceType, resourceId }));
        // Keys AWS Config could not process in time come back in unprocessedResourceKeys: ask again.
        for (let attempt = 1; keys.length > 0 && attempt <= UNPROCESSED_KEY_ATTEMPTS; attempt++) {
          if (attempt > 1) await backoff(attempt - 1);
          const reply = await config<{ baseConfigurationItems?: unknown[]; unprocessedResourceKeys?: ResourceKey[] }>('BatchGetResourceConfig', { resourceKeys: keys });
          items.push(...(reply.baseConfigurationItems ?? []));
          keys = reply.unprocessedResourceKeys ?? [];
        }
        unprocessed.push(...keys.map((key) => key.resourceId));
      }
      return { items, unprocessed };
    },

    async listAllActiveRevisions() {
      const byFamily = new Map<string, TaskDefinitionRevision[]>();
      let nextToken: string | undefined;
      do {
        const reply = await ecs<TaskDefinitionListing>('ListTaskDefinitions', { status: 'ACTIVE', sort: 'ASC', maxResults: 100, nextToken });
        for (const arn of reply.taskDefinitionArns ?? []) {
          const family = familyFromArn(arn);
          const revision = revisionFromArn(arn);
          if (family === undefined || revision === undefined) continue;
          if (!byFamily.has(family)) byFamily.set(family, []);
          byFamily.get(family)?.push({ arn, revision });
        }
        nextToken = reply.nextToken;
      } while (nextToken);
      for (const revisions of byFamily.values()) revisions.sort((a, b) => a.revision - b.revision);
      return byFamily;
    },

    async listResultsOfRule(configRuleName) {
      const keys: ResourceKey[] = [];
      let nextToken: string | undefined;
      do {
        const reply = await config<ComplianceDetails>('GetComplianceDetailsByConfigRule', {
          ConfigRuleName: configRuleName,
          ComplianceTypes: ['COMPLIANT', 'NON_COMPLIANT'],
          Limit: CONFIG_PAGE_SIZE,
          NextToken: nextToken,
        });
        for (const result of reply.EvaluationResults ?? []) {
          const qualifier = result.EvaluationResultIdentifier?.EvaluationResultQualifier;
          if (qualifier?.ResourceType && qualifier.ResourceId) keys.push({ resourceType: qualifier.ResourceType, resourceId: qualifier.ResourceId });
        }
        nextToken = reply.NextToken;
      } while (nextToken);
      return keys;
    },

    async taskDefinitionOperatingSystemFamily(taskDefinition) {
      const reply = await ecs<{ taskDefinition?: { runtimePlatform?: { operatingSystemFamily?: string } } }>('DescribeTaskDefinition', { taskDefinition });
      if (!reply.taskDefinition) throw new Error(`DescribeTaskDefinition returned no task definition for ${taskDefinition}`);
      return reply.taskDefinition.runtimePlatform?.operatingSystemFamily;
    },
  };
}

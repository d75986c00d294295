/**
 * The AWS calls a rule makes, through the AWS SDK's clients (./aws-clients), behind one small
 * interface so the handler stays a readable sequence of steps. The clients live as long as the
 * container; the interface is built per invocation, bound to that invocation's deadline.
 */
import {
  BatchGetResourceConfigCommand,
  Evaluation,
  GetComplianceDetailsByConfigRuleCommand,
  GetResourceConfigHistoryCommand,
  ListDiscoveredResourcesCommand,
  PutEvaluationsCommand,
  ResourceKey as ConfigResourceKey,
  ResourceType,
} from '@aws-sdk/client-config-service';
import { DescribeTaskDefinitionCommand, ECSClient, ListTaskDefinitionsCommand } from '@aws-sdk/client-ecs';
import { familyFromArn, revisionFromArn } from '../adapters/ecs-document';
import { AwsClients } from './aws-clients';
import { logger } from './log';

export type { Evaluation };

export interface TaskDefinitionRevision {
  readonly arn: string;
  readonly revision: number;
}

export interface RuleApis {
  /** Sends evaluations in batches of 100, re-sending any the reply lists as failed. */
  putEvaluations(resultToken: string, evaluations: readonly Evaluation[]): Promise<void>;
  /**
   * The configuration item as GetResourceConfigHistory returns it: the current one, or with
   * `capturedAt` the latest one captured at or before that time (`laterTime`).
   */
  getConfigurationItem(resourceType: string, resourceId: string, capturedAt?: Date): Promise<unknown>;
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
export class EvaluationsNotDeliveredError extends Error {
  constructor(readonly failed: readonly Evaluation[]) {
    super(`AWS Config did not accept ${failed.length} evaluation(s) after ${FAILED_EVALUATION_ATTEMPTS} attempts: ${failed.map((evaluation) => evaluation.ComplianceResourceId).join(', ')}`);
    this.name = 'EvaluationsNotDeliveredError';
  }
}

export interface ApiOptions {
  /** Aborts every call still running or retrying when the invocation's time is up. */
  readonly deadline?: AbortSignal;
  /** Waits between FailedEvaluations and unprocessed-key retries; tests pass a fast one. */
  readonly backoff?: (attempt: number) => Promise<void>;
}

const sleep = (milliseconds: number) => new Promise((resolve) => setTimeout(resolve, milliseconds));
/** Full-jitter exponential backoff, 100 ms base (https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/). */
const defaultBackoff = (attempt: number) => sleep(Math.random() * 100 * 2 ** attempt);

/** The ECS client, which only rules whose API actions include ECS have. */
function ecsOf(clients: AwsClients): ECSClient {
  if (!clients.ecs) throw new Error('this rule calls ECS but was built without an ECS client: its API actions (api-actions.ts) list no ECS action');
  return clients.ecs;
}

export function createRuleApis(clients: AwsClients, options: ApiOptions = {}): RuleApis {
  const backoff = options.backoff ?? defaultBackoff;
  const callOptions = { abortSignal: options.deadline };

  async function putBatch(resultToken: string, batch: readonly Evaluation[]): Promise<void> {
    let pending = batch;
    for (let attempt = 1; pending.length > 0; attempt++) {
      if (attempt > FAILED_EVALUATION_ATTEMPTS) throw new EvaluationsNotDeliveredError(pending);
      if (attempt > 1) {
        logger.warn('retrying evaluations AWS Config reported as failed', { attempt, failed: pending.map((evaluation) => evaluation.ComplianceResourceId) });
        await backoff(attempt - 1);
      }
      const reply = await clients.config.send(new PutEvaluationsCommand({ ResultToken: resultToken, Evaluations: [...pending] }), callOptions);
      pending = reply.FailedEvaluations ?? [];
    }
  }

  return {
    async putEvaluations(resultToken, evaluations) {
      for (let start = 0; start < evaluations.length; start += EVALUATIONS_PER_CALL) {
        await putBatch(resultToken, evaluations.slice(start, start + EVALUATIONS_PER_CALL));
      }
    },

    async getConfigurationItem(resourceType, resourceId, capturedAt) {
      const request = { resourceType: resourceType as ResourceType, resourceId, ...(capturedAt && { laterTime: capturedAt }), limit: 1 };
      const reply = await clients.config.send(new GetResourceConfigHistoryCommand(request), callOptions);
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
        const reply = await ecsOf(clients).send(new ListTaskDefinitionsCommand({ familyPrefix: family, status: 'ACTIVE', sort: 'ASC', maxResults: 100, nextToken }), callOptions);
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
        const reply = await clients.config.send(
          new ListDiscoveredResourcesCommand({ resourceType: resourceType as ResourceType, includeDeletedResources: false, limit: CONFIG_PAGE_SIZE, nextToken }),
          callOptions,
        );
        for (const identifier of reply.resourceIdentifiers ?? []) if (identifier.resourceId) ids.push(identifier.resourceId);
        nextToken = reply.nextToken;
      } while (nextToken);
      return ids;
    },

    async getConfigurationItems(resourceType, resourceIds) {
      const items: unknown[] = [];
      const unprocessed: string[] = [];
      for (let start = 0; start < resourceIds.length; start += CONFIG_PAGE_SIZE) {
        let keys: ConfigResourceKey[] = resourceIds.slice(start, start + CONFIG_PAGE_SIZE).map((resourceId) => ({ resourceType: resourceType as ResourceType, resourceId }));
        // Keys AWS Config could not process in time come back in unprocessedResourceKeys: ask again.
        for (let attempt = 1; keys.length > 0 && attempt <= UNPROCESSED_KEY_ATTEMPTS; attempt++) {
          if (attempt > 1) await backoff(attempt - 1);
          const reply = await clients.config.send(new BatchGetResourceConfigCommand({ resourceKeys: keys }), callOptions);
          items.push(...(reply.baseConfigurationItems ?? []));
          keys = reply.unprocessedResourceKeys ?? [];
        }
        unprocessed.push(...keys.map((key) => key.resourceId ?? '(a key without a resourceId)'));
      }
      return { items, unprocessed };
    },

    async listAllActiveRevisions() {
      const byFamily = new Map<string, TaskDefinitionRevision[]>();
      let nextToken: string | undefined;
      do {
        const reply = await ecsOf(clients).send(new ListTaskDefinitionsCommand({ status: 'ACTIVE', sort: 'ASC', maxResults: 100, nextToken }), callOptions);
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
        const reply = await clients.config.send(
          new GetComplianceDetailsByConfigRuleCommand({ ConfigRuleName: configRuleName, ComplianceTypes: ['COMPLIANT', 'NON_COMPLIANT'], Limit: CONFIG_PAGE_SIZE, NextToken: nextToken }),
          callOptions,
        );
        for (const result of reply.EvaluationResults ?? []) {
          const qualifier = result.EvaluationResultIdentifier?.EvaluationResultQualifier;
          if (qualifier?.ResourceType && qualifier.ResourceId) keys.push({ resourceType: qualifier.ResourceType, resourceId: qualifier.ResourceId });
        }
        nextToken = reply.NextToken;
      } while (nextToken);
      return keys;
    },

    async taskDefinitionOperatingSystemFamily(taskDefinition) {
      const reply = await ecsOf(clients).send(new DescribeTaskDefinitionCommand({ taskDefinition }), callOptions);
      if (!reply.taskDefinition) throw new Error(`DescribeTaskDefinition returned no task definition for ${taskDefinition}`);
      return reply.taskDefinition.runtimePlatform?.operatingSystemFamily;
    },
  };
}

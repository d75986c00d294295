/**
 * `scan --live`: an account's ECS resources through the ECS API, fed to the same collector as files.
 *
 * - Task definitions: the latest ACTIVE revision of every family, exactly what the Config rules
 *   evaluate: ListTaskDefinitionFamilies (status ACTIVE), then DescribeTaskDefinition with the bare
 *   family, which returns its latest ACTIVE revision
 *   (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DescribeTaskDefinition.html).
 * - Clusters with settings and tags (DescribeClusters include SETTINGS, TAGS; 100 per call); services
 *   with tags and task sets (DescribeServices include TAGS; 10 per call); capacity providers.
 * - ECS.10 needs each Fargate service's task definition OS family: a service may run an older
 *   revision, so the revisions services name are described too, as lookups only (not evaluated).
 *
 * Throttling: the SDK's adaptive retry mode backs off and rate-limits the client
 * (https://docs.aws.amazon.com/sdkref/latest/guide/feature-retry-behavior.html).
 */
import {
  Cluster,
  DescribeCapacityProvidersCommand,
  DescribeClustersCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  ECSClient,
  Failure,
  paginateListClusters,
  paginateListServices,
  paginateListTaskDefinitionFamilies,
  Service,
} from '@aws-sdk/client-ecs';
import { taskDefinitionFromEcsApi } from '../../lambdas/adapters/ecs-api';
import { TargetCollector } from '../../scan/inputs/documents';
import { Progress, SILENT_PROGRESS } from './progress';

export interface LiveScanOptions {
  readonly region?: string;
  readonly profile?: string;
  readonly progress?: Progress;
  /** Told about resources ECS listed but could not describe (deleted meanwhile, say). */
  readonly warn?: (message: string) => void;
}

/** Concurrent Describe calls: enough to be quick, few enough to stay under ECS's API rate limits. */
const CONCURRENCY = 8;
const CLUSTERS_PER_CALL = 100;
const SERVICES_PER_CALL = 10;
const MAX_ATTEMPTS = 10;

/** `items` in chunks of `size`. */
function chunks<T>(items: readonly T[], size: number): T[][] {
  const result: T[][] = [];
  for (let start = 0; start < items.length; start += size) result.push(items.slice(start, start + size));
  return result;
}

/** `work` over `items`, at most `limit` at a time, results in input order. */
async function mapConcurrently<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

async function collectPages<P>(pages: AsyncIterable<P>, itemsOf: (page: P) => string[] | undefined): Promise<string[]> {
  const items: string[] = [];
  for await (const page of pages) items.push(...(itemsOf(page) ?? []));
  return items;
}

/**
 * The describe calls were made with `include TAGS` (and SETTINGS): an absent list means none, so it
 * is filled in; the adapter treats an absent list as "not fetched".
 */
function withFetchedTags<T extends { tags?: unknown[] }>(item: T): T {
  return { ...item, tags: item.tags ?? [] };
}

function serviceWithFetchedTags(service: Service): Service {
  return { ...withFetchedTags(service), ...(service.taskSets && { taskSets: service.taskSets.map(withFetchedTags) }) };
}

export async function scanAccount(collector: TargetCollector, options: LiveScanOptions = {}): Promise<void> {
  const client = new ECSClient({
    ...(options.region && { region: options.region }),
    ...(options.profile && { profile: options.profile }),
    retryMode: 'adaptive',
    maxAttempts: MAX_ATTEMPTS,
  });
  const progress = options.progress ?? SILENT_PROGRESS;
  const warn = options.warn ?? (() => {});
  const reportFailures = (failures: Failure[] | undefined) => failures?.forEach((failure) => warn(`ECS could not describe ${failure.arn}: ${failure.reason}${failure.detail ? ` (${failure.detail})` : ''}`));
  try {
    const described = await scanTaskDefinitions(client, collector, progress);
    const clusters = await scanClusters(client, collector, progress, reportFailures);
    const services = await scanServices(client, clusters, collector, progress, reportFailures);
    await describeReferencedTaskDefinitions(client, services, described, collector, progress);
    await scanCapacityProviders(client, collector, progress, reportFailures);
  } finally {
    progress.stop();
    client.destroy();
  }
}

/** Returns the ARNs described, so services running those revisions need no second call. */
async function scanTaskDefinitions(client: ECSClient, collector: TargetCollector, progress: Progress): Promise<Set<string>> {
  const families = await collectPages(paginateListTaskDefinitionFamilies({ client }, { status: 'ACTIVE' }), (page) => page.families);
  progress.expect(families.length);
  const responses = await mapConcurrently(families, CONCURRENCY, async (family) => {
    const response = await client.send(new DescribeTaskDefinitionCommand({ taskDefinition: family, include: ['TAGS'] }));
    progress.advance(1, `task definition ${family}`);
    return response;
  });
  const described = new Set<string>();
  for (const { taskDefinition, tags } of responses) {
    if (taskDefinition?.taskDefinitionArn) described.add(taskDefinition.taskDefinitionArn);
    collector.addEcsApiDocument({ taskDefinition, tags: tags ?? [] }, {});
  }
  return described;
}

async function scanClusters(client: ECSClient, collector: TargetCollector, progress: Progress, reportFailures: (failures: Failure[] | undefined) => void): Promise<Cluster[]> {
  const arns = await collectPages(paginateListClusters({ client }, {}), (page) => page.clusterArns);
  const batches = chunks(arns, CLUSTERS_PER_CALL);
  progress.expect(batches.length);
  const responses = await mapConcurrently(batches, CONCURRENCY, async (batch) => {
    const response = await client.send(new DescribeClustersCommand({ clusters: batch, include: ['SETTINGS', 'TAGS'] }));
    progress.advance(1, 'clusters');
    return response;
  });
  const clusters = responses.flatMap((response) => {
    reportFailures(response.failures);
    return (response.clusters ?? []).map((cluster) => ({ ...withFetchedTags(cluster), settings: cluster.settings ?? [] }));
  });
  if (clusters.length > 0) collector.addEcsApiDocument({ clusters }, {});
  return clusters;
}

async function scanServices(
  client: ECSClient,
  clusters: readonly Cluster[],
  collector: TargetCollector,
  progress: Progress,
  reportFailures: (failures: Failure[] | undefined) => void,
): Promise<Service[]> {
  progress.expect(clusters.length);
  const perCluster = await mapConcurrently(clusters, CONCURRENCY, async ({ clusterArn }) => {
    const arns = await collectPages(paginateListServices({ client }, { cluster: clusterArn }), (page) => page.serviceArns);
    const batches = chunks(arns, SERVICES_PER_CALL);
    progress.advance(1, 'services');
    progress.expect(batches.length);
    const responses = await mapConcurrently(batches, CONCURRENCY, async (batch) => {
      const response = await client.send(new DescribeServicesCommand({ cluster: clusterArn, services: batch, include: ['TAGS'] }));
      progress.advance(1, 'services');
      return response;
    });
    return responses.flatMap((response) => {
      reportFailures(response.failures);
      return (response.services ?? []).map(serviceWithFetchedTags);
    });
  });
  const services = perCluster.flat();
  if (services.length > 0) collector.addEcsApiDocument({ services }, {});
  return services;
}

async function describeReferencedTaskDefinitions(client: ECSClient, services: readonly Service[], described: ReadonlySet<string>, collector: TargetCollector, progress: Progress): Promise<void> {
  const referenced = [...new Set(services.map((service) => service.taskDefinition).filter((arn): arn is string => arn !== undefined && !described.has(arn)))];
  progress.expect(referenced.length);
  await mapConcurrently(referenced, CONCURRENCY, async (arn) => {
    const { taskDefinition } = await client.send(new DescribeTaskDefinitionCommand({ taskDefinition: arn }));
    // Only its OS family matters here; tags were not asked for and are not read.
    collector.addReferencedTaskDefinition(taskDefinitionFromEcsApi({ taskDefinition }, { taskDefinitionTags: {} }));
    progress.advance(1, 'task definitions of services');
  });
}

async function scanCapacityProviders(client: ECSClient, collector: TargetCollector, progress: Progress, reportFailures: (failures: Failure[] | undefined) => void): Promise<void> {
  const capacityProviders = [];
  let nextToken: string | undefined;
  do {
    progress.expect(1);
    const response = await client.send(new DescribeCapacityProvidersCommand({ include: ['TAGS'], nextToken }));
    reportFailures(response.failures);
    capacityProviders.push(...(response.capacityProviders ?? []).map(withFetchedTags));
    nextToken = response.nextToken;
    progress.advance(1, 'capacity providers');
  } while (nextToken);
  if (capacityProviders.length > 0) collector.addEcsApiDocument({ capacityProviders }, {});
}

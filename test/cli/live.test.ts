/**
 * `scan --live` through the real AWS SDK against a loopback server speaking the ECS JSON protocol
 * (`AWS_ENDPOINT_URL`): what is asked of ECS, and what comes of the answers.
 */
import { AwsLoopback, RecordedCall, signingAccessKey, useLoopbackEnvironment } from '../../dev-support/aws-loopback';
import { apiTaskDefinition, findingOf, runCli, scanJson, writeTree } from './run-cli';

const ACCOUNT = '123456789012';
const arn = (resource: string) => `arn:aws:ecs:us-east-1:${ACCOUNT}:${resource}`;

/** The latest ACTIVE revision of each family, as DescribeTaskDefinition with the bare family returns it. */
const LATEST: Record<string, ReturnType<typeof apiTaskDefinition>> = {
  web: apiTaskDefinition('web', 7, { user: 'root' }),
  iis: apiTaskDefinition('iis', 3, { user: 'ContainerUser' }, { runtimePlatform: { operatingSystemFamily: 'WINDOWS_SERVER_2019_CORE' } }),
};
/** An older revision a service still runs: looked up for its OS family, never evaluated. */
const IIS_2 = apiTaskDefinition('iis', 2, { user: 'ContainerAdministrator' }, { runtimePlatform: { operatingSystemFamily: 'WINDOWS_SERVER_2019_CORE' } });

const CLUSTERS = [
  { clusterArn: arn('cluster/shop'), clusterName: 'shop', settings: [{ name: 'containerInsights', value: 'enabled' }], tags: [{ key: 'team', value: 'shop' }] },
  // No tags: ECS leaves the list out even when asked for them.
  { clusterArn: arn('cluster/batch'), clusterName: 'batch', settings: [{ name: 'containerInsights', value: 'disabled' }] },
];

const SERVICES: Record<string, unknown[]> = {
  [arn('cluster/shop')]: [
    {
      serviceArn: arn('service/shop/iis'),
      serviceName: 'iis',
      launchType: 'FARGATE',
      platformVersion: '1.0.0',
      taskDefinition: IIS_2.taskDefinitionArn,
      networkConfiguration: { awsvpcConfiguration: { subnets: ['subnet-1'], assignPublicIp: 'DISABLED' } },
      tags: [{ key: 'team', value: 'shop' }],
    },
    {
      serviceArn: arn('service/shop/canary'),
      serviceName: 'canary',
      deploymentController: { type: 'EXTERNAL' },
      taskDefinition: LATEST.web.taskDefinitionArn,
      tags: [{ key: 'team', value: 'shop' }],
      taskSets: [{ id: 'ecs-svc/1', taskSetArn: arn('task-set/shop/canary/ecs-svc/1'), networkConfiguration: { awsvpcConfiguration: { subnets: ['subnet-1'], assignPublicIp: 'ENABLED' } } }],
    },
  ],
  [arn('cluster/batch')]: [],
};

const CAPACITY_PROVIDERS = [
  { capacityProviderArn: arn('capacity-provider/spot'), name: 'spot', autoScalingGroupProvider: { autoScalingGroupArn: 'arn:aws:autoscaling:asg', managedTerminationProtection: 'DISABLED' } },
  { capacityProviderArn: arn('capacity-provider/FARGATE'), name: 'FARGATE' },
];

let aws: AwsLoopback;
let restoreEnvironment: () => void;

function serveAccount(loopback: AwsLoopback): void {
  loopback
    // Two pages, so pagination is followed.
    .on('ListTaskDefinitionFamilies', (body) => (body.nextToken ? { families: ['iis'] } : { families: ['web'], nextToken: 'page-2' }))
    .on('DescribeTaskDefinition', (body) => {
      const requested = String(body.taskDefinition);
      const found = requested === IIS_2.taskDefinitionArn ? IIS_2 : LATEST[requested];
      if (!found) return { status: 400, code: 'ClientException', message: `Unable to describe task definition ${requested}.` };
      return { taskDefinition: found, ...(Array.isArray(body.include) && { tags: [{ key: 'team', value: found.family }] }) };
    })
    .on('ListClusters', () => ({ clusterArns: CLUSTERS.map((cluster) => cluster.clusterArn) }))
    .on('DescribeClusters', (body) => ({ clusters: CLUSTERS.filter((cluster) => (body.clusters as string[]).includes(cluster.clusterArn)), failures: [] }))
    .on('ListServices', (body) => ({ serviceArns: (SERVICES[String(body.cluster)] as { serviceArn: string }[]).map((service) => service.serviceArn) }))
    .on('DescribeServices', (body) => ({ services: (SERVICES[String(body.cluster)] as { serviceArn: string }[]).filter((service) => (body.services as string[]).includes(service.serviceArn)), failures: [] }))
    .on('DescribeCapacityProviders', () => ({ capacityProviders: CAPACITY_PROVIDERS }));
}

beforeEach(async () => {
  aws = new AwsLoopback();
  restoreEnvironment = useLoopbackEnvironment(await aws.start());
  serveAccount(aws);
});

afterEach(async () => {
  restoreEnvironment();
  await aws.stop();
});

const bodiesOf = (operation: string) => aws.callsOf(operation).map((call: RecordedCall) => call.body);

describe('scan --live', () => {
  test('asks ECS for the latest ACTIVE revision of every family, clusters with settings and tags, services with tags, capacity providers', async () => {
    await scanJson(['--live']);

    expect(bodiesOf('ListTaskDefinitionFamilies')).toEqual([{ status: 'ACTIVE' }, { status: 'ACTIVE', nextToken: 'page-2' }]);
    expect(bodiesOf('DescribeTaskDefinition')).toEqual(
      expect.arrayContaining([
        { taskDefinition: 'web', include: ['TAGS'] },
        { taskDefinition: 'iis', include: ['TAGS'] },
        { taskDefinition: IIS_2.taskDefinitionArn },
      ]),
    );
    expect(bodiesOf('DescribeTaskDefinition')).toHaveLength(3);
    expect(bodiesOf('DescribeClusters')).toEqual([{ clusters: CLUSTERS.map((cluster) => cluster.clusterArn), include: ['SETTINGS', 'TAGS'] }]);
    expect(bodiesOf('ListServices').map((body) => body.cluster)).toEqual(CLUSTERS.map((cluster) => cluster.clusterArn));
    expect(bodiesOf('DescribeServices')).toEqual([{ cluster: arn('cluster/shop'), services: [arn('service/shop/iis'), arn('service/shop/canary')], include: ['TAGS'] }]);
    expect(bodiesOf('DescribeCapacityProviders')).toEqual([{ include: ['TAGS'] }]);
  });

  test('evaluates what it found, with the same controls as the Config rules', async () => {
    const { report, code } = await scanJson(['--live']);

    expect(code).toBe(1);
    expect([...new Set(report.findings.map((finding) => finding.resource.name))]).toEqual(['web:7', 'iis:3', 'shop', 'batch', 'iis', 'canary', 'ecs-svc/1', 'spot', 'FARGATE']);
    expect(findingOf(report, 'web:7', 'ECS.20')).toMatchObject({ outcome: 'NON_COMPLIANT', resource: { arn: LATEST.web.taskDefinitionArn } });
    expect(findingOf(report, 'web:7', 'ECS.15').outcome).toBe('COMPLIANT');
    // The service runs iis:2, a Windows revision: platform 1.0.0 is the latest for Windows.
    expect(findingOf(report, 'iis', 'ECS.10').outcome).toBe('COMPLIANT');
    expect(findingOf(report, 'batch', 'ECS.12').outcome).toBe('NON_COMPLIANT');
    expect(findingOf(report, 'batch', 'ECS.14')).toMatchObject({ outcome: 'NON_COMPLIANT', reason: expect.stringContaining('no tags') });
    expect(findingOf(report, 'ecs-svc/1', 'ECS.16')).toMatchObject({ outcome: 'NON_COMPLIANT', resource: { arn: arn('task-set/shop/canary/ecs-svc/1') } });
    expect(findingOf(report, 'spot', 'ECS.19').outcome).toBe('NON_COMPLIANT');
    expect(findingOf(report, 'FARGATE', 'ECS.19').outcome).toBe('NOT_APPLICABLE');
    expect(report.findings.some((finding) => finding.outcome === 'NOT_EVALUATED')).toBe(false);
  });

  test('rides out throttling (adaptive retries) and still scans everything', async () => {
    aws.failFirst('DescribeTaskDefinition', 1, { status: 400, code: 'ThrottlingException', message: 'Rate exceeded' });
    aws.failFirst('ListClusters', 1, { status: 400, code: 'ThrottlingException', message: 'Rate exceeded' });

    const { report } = await scanJson(['--live']);

    expect(aws.callsOf('DescribeTaskDefinition')).toHaveLength(4);
    expect(aws.callsOf('ListClusters')).toHaveLength(2);
    expect(findingOf(report, 'web:7', 'ECS.20').outcome).toBe('NON_COMPLIANT');
    expect(findingOf(report, 'batch', 'ECS.12').outcome).toBe('NON_COMPLIANT');
  });

  test('an API error ends the scan with exit 2: no verdict is ever a pass', async () => {
    aws.on('ListClusters', () => ({ status: 400, code: 'AccessDeniedException', message: 'not authorized to perform: ecs:ListClusters' }));

    const run = await runCli(['scan', '--live']);

    expect(run).toMatchObject({ code: 2, stdout: '' });
    expect(run.stderr).toContain('AccessDeniedException: not authorized to perform: ecs:ListClusters');
  });

  test('a resource listed but gone by the time it is described is named on standard error, not silently dropped', async () => {
    const gone = arn('cluster/gone');
    aws.on('ListClusters', () => ({ clusterArns: [...CLUSTERS.map((cluster) => cluster.clusterArn), gone] }));
    aws.on('DescribeClusters', () => ({ clusters: CLUSTERS, failures: [{ arn: gone, reason: 'MISSING' }] }));

    const run = await runCli(['scan', '--live', '--format', 'json']);

    expect(run.code).toBe(1);
    expect(run.stderr).toBe(`warning: ECS could not describe ${gone}: MISSING\n`);
  });

  test('--region signs for that Region; --profile takes that profile’s credentials', async () => {
    const files = writeTree({ credentials: '[audit]\naws_access_key_id = AKIDPROFILEAUDIT0000\naws_secret_access_key = profile-secret\n', config: '[profile audit]\nregion = eu-west-1\n' });
    process.env.AWS_SHARED_CREDENTIALS_FILE = `${files.dir}/credentials`;
    process.env.AWS_CONFIG_FILE = `${files.dir}/config`;
    // Only the profile holds credentials (the environment is restored after each test).
    delete process.env.AWS_ACCESS_KEY_ID;
    delete process.env.AWS_SECRET_ACCESS_KEY;
    try {
      await scanJson(['--live', '--region', 'eu-central-1', '--profile', 'audit']);

      const [first] = aws.calls;
      expect(String(first.headers.authorization)).toContain('/eu-central-1/ecs/aws4_request');
      expect(signingAccessKey(first)).toBe('AKIDPROFILEAUDIT0000');
    } finally {
      files.remove();
    }
  });

  test('a progress bar on a terminal, on standard error only', async () => {
    const quiet = await runCli(['scan', '--live', '--format', 'json']);
    const terminal = await runCli(['scan', '--live', '--format', 'json'], { stderrTTY: true });

    expect(quiet.stderr).toBe('');
    expect(terminal.stderr).toContain('Scanning ECS');
    expect(JSON.parse(terminal.stdout).summary.resources).toBe(9);
  });
});

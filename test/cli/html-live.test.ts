/**
 * HTML and CSV of `scan --live` across accounts and Regions, through the real AWS SDK against the
 * loopback server: the HTML charts what failed by account and by Region (a clean one at 0), and the
 * CSV names each finding's account and Region, both agreeing with JSON.
 */
import { AwsLoopback, RecordedCall, signingAccessKey, signingRegion, useLoopbackEnvironment } from '../../dev-support/aws-loopback';
import { runCli, scanJson } from './run-cli';

const ACCOUNTS = ['111111111111', '222222222222'];
const LIVE = ['--live', '--role-name', 'audit', '--accounts', ACCOUNTS.join(','), '--regions', 'us-east-1,eu-west-1,ap-southeast-2'];

/** The account whose assumed session (access key `ASIA<account>0000`) signed `call`. */
const accountOf = (call: RecordedCall) => /^ASIA(\d{12})/.exec(signingAccessKey(call) ?? '')?.[1] ?? '';

const assumeRoleXml = (account: string) =>
  `<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult><Credentials><AccessKeyId>ASIA${account}0000</AccessKeyId><SecretAccessKey>s</SecretAccessKey><SessionToken>t</SessionToken><Expiration>2099-01-01T00:00:00Z</Expiration></Credentials><AssumedRoleUser><Arn>arn:aws:sts::${account}:assumed-role/audit/scan</Arn><AssumedRoleId>AROAEXAMPLE:scan</AssumedRoleId></AssumedRoleUser></AssumeRoleResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></AssumeRoleResponse>`;

/** Container Insights (ECS.12) is on only in 111111111111's us-east-1 and everywhere in ap-southeast-2: that Region is clean. */
const insightsOn = (account: string, region: string) => region === 'ap-southeast-2' || (account === '111111111111' && region === 'us-east-1');

let aws: AwsLoopback;
let restoreEnvironment: () => void;

beforeAll(async () => {
  aws = new AwsLoopback();
  restoreEnvironment = useLoopbackEnvironment(await aws.start());
  const clusterArn = (call: RecordedCall) => `arn:aws:ecs:${signingRegion(call)}:${accountOf(call)}:cluster/c-${accountOf(call)}-${signingRegion(call)}`;
  aws
    .on('AssumeRole', (body) => assumeRoleXml(/iam::(\d{12}):role\//.exec(String(body.RoleArn))?.[1] ?? ''))
    .on('ListTaskDefinitionFamilies', () => ({ families: [] }))
    .on('ListClusters', (_body, call) => ({ clusterArns: [clusterArn(call)] }))
    .on('DescribeClusters', (_body, call) => ({
      clusters: [{ clusterArn: clusterArn(call), clusterName: `c-${accountOf(call)}-${signingRegion(call)}`, settings: [{ name: 'containerInsights', value: insightsOn(accountOf(call), signingRegion(call) ?? '') ? 'enabled' : 'disabled' }], tags: [{ key: 'team', value: 'platform' }] }],
      failures: [],
    }))
    .on('ListServices', () => ({ serviceArns: [] }))
    .on('DescribeCapacityProviders', () => ({ capacityProviders: [] }));
});

afterAll(async () => {
  restoreEnvironment();
  await aws.stop();
});

/** `{ label: failed }` of one chart of the page. */
function chartOf(page: string, id: string): Record<string, number> {
  const figure = new RegExp(`<figure id="${id}">([\\s\\S]*?)</figure>`).exec(page)?.[1] ?? '';
  return Object.fromEntries([...figure.matchAll(/<g data-label="([^"]+)" data-failed="(\d+)" data-not-evaluated="0">/g)].map((match) => [match[1], Number(match[2])]));
}

test('HTML: failures by account and by Region, as JSON counts them, a clean Region at 0', async () => {
  const [{ report }, html] = await Promise.all([scanJson(LIVE), runCli(['scan', ...LIVE, '--format', 'html'])]);

  const failed = report.findings.filter((finding) => finding.status === 'failed');
  const countBy = (key: 'account' | 'region') => failed.reduce<Record<string, number>>((counts, finding) => ({ ...counts, [finding.resource[key] as string]: (counts[finding.resource[key] as string] ?? 0) + 1 }), {});
  expect(html.code).toBe(1);
  expect(chartOf(html.stdout, 'chart-account')).toEqual(countBy('account'));
  expect(chartOf(html.stdout, 'chart-account')).toEqual({ '111111111111': 1, '222222222222': 2 });
  expect(chartOf(html.stdout, 'chart-region')).toEqual({ 'us-east-1': 1, 'eu-west-1': 2, 'ap-southeast-2': 0 });
  expect(chartOf(html.stdout, 'chart-region')).toMatchObject(countBy('region'));
  expect(html.stdout).toContain('<span class="where">arn:aws:ecs:eu-west-1:222222222222:cluster/c-222222222222-eu-west-1</span>');
});

test('CSV: each finding names its account, Region and ARN', async () => {
  const [{ report }, csv] = await Promise.all([scanJson(LIVE), runCli(['scan', ...LIVE, '--format', 'csv'])]);

  const [, ...lines] = csv.stdout.trimEnd().split('\r\n');
  expect(lines).toHaveLength(report.findings.length);
  lines.forEach((line, index) => {
    const { controlId, resource } = report.findings[index];
    expect(line).toContain(`"${controlId}",`);
    expect(line).toContain(`"${resource.arn}","${resource.account}","${resource.region}"`);
  });
});

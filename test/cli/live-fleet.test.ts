/**
 * `scan --live` across accounts and Regions through the real AWS SDK against the loopback server:
 * it tells Regions apart by the SigV4 signing scope and accounts by the credentials STS handed out
 * (each assumed session's access key id names its account), and answers each pair differently.
 */
import { AwsLoopback, RecordedCall, signingAccessKey, signingRegion, useLoopbackEnvironment } from '../../dev-support/aws-loopback';
import { runCli, scanJson } from './run-cli';

const OWN_ACCOUNT = '999999999999';
const ENVIRONMENT_KEY = 'AKIDLOOPBACKTEST0000';

/** The account whose assumed session signed `call`; the caller's own with the environment's key. */
function accountOf(call: RecordedCall): string {
  const key = signingAccessKey(call) ?? '';
  if (key === ENVIRONMENT_KEY) return OWN_ACCOUNT;
  const match = /^ASIA(\d{12})/.exec(key);
  if (!match) throw new Error(`unexpected signing key ${key}`);
  return match[1];
}

const clusterName = (account: string, region: string) => `c-${account}-${region}`;
const clusterArn = (account: string, region: string) => `arn:aws:ecs:${region}:${account}:cluster/${clusterName(account, region)}`;

function assumeRoleXml(account: string): string {
  return `<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult><Credentials><AccessKeyId>ASIA${account}0000</AccessKeyId><SecretAccessKey>secret-${account}</SecretAccessKey><SessionToken>token-${account}</SessionToken><Expiration>2099-01-01T00:00:00Z</Expiration></Credentials><AssumedRoleUser><Arn>arn:aws:sts::${account}:assumed-role/audit/ecs-config-rules-scan</Arn><AssumedRoleId>AROAEXAMPLE:ecs-config-rules-scan</AssumedRoleId></AssumedRoleUser></AssumeRoleResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></AssumeRoleResponse>`;
}

const CALLER_XML = `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult><Arn>arn:aws:iam::${OWN_ACCOUNT}:user/auditor</Arn><UserId>AIDAEXAMPLE</UserId><Account>${OWN_ACCOUNT}</Account></GetCallerIdentityResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></GetCallerIdentityResponse>`;

/** Regions enabled per account (what Account ListRegions answers with that account's session). */
const ENABLED_REGIONS: Record<string, string[]> = { '111111111111': ['eu-west-1', 'us-east-1'], '222222222222': ['ap-southeast-2'] };

let aws: AwsLoopback;
let restoreEnvironment: () => void;

beforeEach(async () => {
  aws = new AwsLoopback();
  restoreEnvironment = useLoopbackEnvironment(await aws.start());
  aws
    .on('AssumeRole', (body) => assumeRoleXml(/iam::(\d{12}):role\//.exec(String(body.RoleArn))?.[1] ?? ''))
    .on('GetCallerIdentity', () => CALLER_XML)
    .on('ListAccounts', (body) =>
      body.NextToken
        ? { Accounts: [{ Id: '222222222222', Status: 'ACTIVE' }] }
        : { Accounts: [{ Id: '111111111111', Status: 'ACTIVE' }, { Id: '333333333333', Status: 'SUSPENDED' }], NextToken: 'page-2' },
    )
    .on('ListRegions', (_body, call) => ({ Regions: (ENABLED_REGIONS[accountOf(call)] ?? []).map((RegionName) => ({ RegionName, RegionOptStatus: 'ENABLED' })) }))
    .on('ListTaskDefinitionFamilies', () => ({ families: [] }))
    .on('ListClusters', (_body, call) => ({ clusterArns: [clusterArn(accountOf(call), signingRegion(call) ?? '')] }))
    // Container Insights is on in us-east-1 only: ECS.12 fails everywhere else.
    .on('DescribeClusters', (_body, call) => {
      const [account, region] = [accountOf(call), signingRegion(call) ?? ''];
      const value = region === 'us-east-1' ? 'enabled' : 'disabled';
      return { clusters: [{ clusterArn: clusterArn(account, region), clusterName: clusterName(account, region), settings: [{ name: 'containerInsights', value }], tags: [{ key: 'team', value: 'platform' }] }], failures: [] };
    })
    .on('ListServices', () => ({ serviceArns: [] }))
    .on('DescribeCapacityProviders', () => ({ capacityProviders: [] }));
});

afterEach(async () => {
  restoreEnvironment();
  await aws.stop();
});

/** `account region` of every ECS ListClusters call: the pairs actually scanned. */
function scannedPairs(): string[] {
  return aws
    .callsOf('ListClusters')
    .map((call) => `${accountOf(call)} ${signingRegion(call)}`)
    .sort();
}

describe('scan --live across accounts and Regions', () => {
  test('--role-name with --accounts and --regions: each pair scanned with its account’s session, the role assumed once per account', async () => {
    const { report, code, stderr } = await scanJson(['--live', '--role-name', 'audit', '--accounts', '111111111111,222222222222', '--regions', 'us-east-1,eu-west-1']);

    expect(code).toBe(1);
    expect(aws.callsOf('AssumeRole').map((call) => call.body.RoleArn).sort()).toEqual(['arn:aws:iam::111111111111:role/audit', 'arn:aws:iam::222222222222:role/audit']);
    expect(scannedPairs()).toEqual(['111111111111 eu-west-1', '111111111111 us-east-1', '222222222222 eu-west-1', '222222222222 us-east-1']);
    const ecs12 = report.findings.filter((finding) => finding.controlId === 'ECS.12');
    expect(ecs12.map((finding) => [finding.resource.name, finding.resource.account, finding.resource.region, finding.outcome])).toEqual([
      [clusterName('111111111111', 'us-east-1'), '111111111111', 'us-east-1', 'COMPLIANT'],
      [clusterName('111111111111', 'eu-west-1'), '111111111111', 'eu-west-1', 'NON_COMPLIANT'],
      [clusterName('222222222222', 'us-east-1'), '222222222222', 'us-east-1', 'COMPLIANT'],
      [clusterName('222222222222', 'eu-west-1'), '222222222222', 'eu-west-1', 'NON_COMPLIANT'],
    ]);
    expect(stderr).toContain('Scanned 4 of 4 account/Region pairs.');
  });

  test('--organization --all-regions: every ACTIVE account (all pages), each in the Regions enabled for it', async () => {
    const { report, code } = await scanJson(['--live', '--role-name', 'audit', '--organization', '--all-regions']);

    expect(code).toBe(1);
    expect(aws.callsOf('ListAccounts')).toHaveLength(2);
    expect(aws.callsOf('ListAccounts').every((call) => signingAccessKey(call) === ENVIRONMENT_KEY)).toBe(true);
    expect(aws.callsOf('ListRegions').map((call) => [accountOf(call), call.body.RegionOptStatusContains])).toEqual(
      expect.arrayContaining([
        ['111111111111', ['ENABLED', 'ENABLED_BY_DEFAULT']],
        ['222222222222', ['ENABLED', 'ENABLED_BY_DEFAULT']],
      ]),
    );
    expect(scannedPairs()).toEqual(['111111111111 eu-west-1', '111111111111 us-east-1', '222222222222 ap-southeast-2']);
    expect(report.summary.resources).toBe(3);
  });

  test('without a role, --regions scans the caller’s own account (named by STS) in each Region', async () => {
    const { report } = await scanJson(['--live', '--regions', 'us-east-1,eu-west-1']);

    expect(aws.callsOf('AssumeRole')).toEqual([]);
    expect(scannedPairs()).toEqual([`${OWN_ACCOUNT} eu-west-1`, `${OWN_ACCOUNT} us-east-1`]);
    expect(new Set(report.findings.map((finding) => finding.resource.account))).toEqual(new Set([OWN_ACCOUNT]));
  });

  test('an account whose role cannot be assumed is reported; the others are, and the exit code says partial (2)', async () => {
    aws.on('AssumeRole', (body) =>
      String(body.RoleArn).includes('222222222222') ? { status: 403, code: 'AccessDenied', message: 'not authorized to perform: sts:AssumeRole' } : assumeRoleXml('111111111111'),
    );

    const run = await runCli(['scan', '--live', '--format', 'json', '--role-name', 'audit', '--accounts', '111111111111,222222222222', '--regions', 'us-east-1,eu-west-1']);

    expect(run.code).toBe(2);
    const report = JSON.parse(run.stdout);
    expect(report.exitCode).toBe(2);
    expect(new Set(report.findings.map((finding: { resource: { account: string } }) => finding.resource.account))).toEqual(new Set(['111111111111']));
    expect(run.stderr).toContain('Scanned 2 of 4 account/Region pairs.');
    expect(run.stderr).toContain('ecs-config-rules: could not read 2 inputs (the report covers the rest; exit 2):');
    expect(run.stderr).toMatch(/ {2}account 222222222222 us-east-1: AccessDenied: not authorized to perform: sts:AssumeRole/);
    expect(run.stderr).toMatch(/ {2}account 222222222222 eu-west-1: AccessDenied/);
    // The report lists the pairs too, as inputs that could not be read.
    expect(report.errors).toEqual([
      { reason: 'account 222222222222 us-east-1: AccessDenied: not authorized to perform: sts:AssumeRole' },
      { reason: 'account 222222222222 eu-west-1: AccessDenied: not authorized to perform: sts:AssumeRole' },
    ]);
    // One failed assumption per account, not one per Region (the SDK's own retries aside).
    expect(aws.callsOf('AssumeRole').filter((call) => String(call.body.RoleArn).includes('222222222222')).length).toBeLessThanOrEqual(3);
  });

  test('one Region failing is partial too; --exit-zero does not hide it', async () => {
    aws.on('ListTaskDefinitionFamilies', (_body, call) => (signingRegion(call) === 'eu-west-1' ? { status: 400, code: 'AccessDeniedException', message: 'SCP denies eu-west-1' } : { families: [] }));

    const run = await runCli(['scan', '--live', '--regions', 'us-east-1,eu-west-1', '--exit-zero']);

    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`${OWN_ACCOUNT} eu-west-1: AccessDeniedException: SCP denies eu-west-1`);
  });

  test('nothing readable at all: no report, exit 2', async () => {
    aws.on('AssumeRole', () => ({ status: 403, code: 'AccessDenied', message: 'denied' }));

    const run = await runCli(['scan', '--live', '--role-name', 'audit', '--accounts', '111111111111', '--regions', 'us-east-1']);

    expect(run).toMatchObject({ code: 2, stdout: '' });
    expect(run.stderr).toContain('no account and Region could be scanned');
  });

  test('the table groups resources by account and Region, with a heading for each', async () => {
    const run = await runCli(['scan', '--live', '--role-name', 'audit', '--accounts', '111111111111,222222222222', '--regions', 'us-east-1,eu-west-1']);

    const headings = run.stdout.split('\n').filter((line) => line.startsWith('Account '));
    expect(headings).toEqual(['Account 111111111111 · us-east-1', 'Account 111111111111 · eu-west-1', 'Account 222222222222 · us-east-1', 'Account 222222222222 · eu-west-1']);
  });

  test('a progress bar on a terminal, counting every pair’s calls', async () => {
    const run = await runCli(['scan', '--live', '--format', 'json', '--regions', 'us-east-1,eu-west-1'], { stderrTTY: true });
    expect(run.stderr).toContain('Scanning ECS');
    expect(JSON.parse(run.stdout).summary.resources).toBe(2);
  });

  test.each([
    [['--accounts', '111111111111'], '--accounts and --organization need --role-name'],
    [['--role-name', 'audit'], '--role-name goes with --accounts or --organization'],
    [['--role-name', 'audit', '--accounts', '1234'], '--accounts takes 12-digit account ids, got "1234"'],
    [['--all-regions', '--regions', 'us-east-1'], '--all-regions and --regions/--region exclude each other'],
  ])('usage error %j', async (args, message) => {
    const run = await runCli(['scan', '--live', ...args]);
    expect(run).toMatchObject({ code: 2, stdout: '' });
    expect(run.stderr).toContain(message);
    expect(aws.calls).toEqual([]);
  });

  test('the fleet options go with --live', async () => {
    const run = await runCli(['scan', 'examples/', '--regions', 'us-east-1']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('go with --live');
  });
});

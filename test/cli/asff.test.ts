/**
 * `--format asff` and `--import-to-security-hub` through the real AWS SDK against the loopback
 * endpoint: STS names the caller, and a small Security Hub keeps findings by product and Id as the
 * service does (BatchImportFindings creates or updates, GetFindings filters), so re-imports,
 * archiving, batches and FailedFindings are seen as Security Hub would see them.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import { CONTROLS } from '../../lambdas/controls';
import { AwsLoopback, signingRegion, useLoopbackEnvironment } from '../../dev-support/aws-loopback';
import { FIXTURES, REPOSITORY, runCli, writeTree } from './run-cli';

const ACCOUNT = '123456789012';
const TEMPLATE = readFileSync(join(FIXTURES, 'findings-formats', 'template.yaml'), 'utf8');
const validate = new Ajv({ allErrors: true }).compile(JSON.parse(readFileSync(join(FIXTURES, 'asff', 'asff-2018-10-08.schema.json'), 'utf8')));
const CALLER_XML = `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult><Arn>arn:aws:iam::${ACCOUNT}:user/ci</Arn><UserId>AIDAEXAMPLE</UserId><Account>${ACCOUNT}</Account></GetCallerIdentityResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></GetCallerIdentityResponse>`;

type Finding = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Security Hub's findings by ProductArn and Id: BatchImportFindings creates or replaces, GetFindings filters. */
class FakeSecurityHub {
  readonly findings = new Map<string, Finding>();
  /** Ids to list in FailedFindings, and how many more times. */
  readonly failing = new Map<string, number>();

  install(aws: AwsLoopback): void {
    aws.on('BatchImportFindings', (body) => this.batchImport(body.Findings as Finding[])).on('GetFindings', (body) => this.getFindings(body));
  }

  private batchImport(findings: Finding[]) {
    const failed = findings.filter((finding) => {
      const times = this.failing.get(finding.Id) ?? 0;
      if (times > 0) this.failing.set(finding.Id, times - 1);
      return times > 0;
    });
    for (const finding of findings) if (!failed.includes(finding)) this.findings.set(`${finding.ProductArn} ${finding.Id}`, finding);
    return { SuccessCount: findings.length - failed.length, FailedCount: failed.length, FailedFindings: failed.map((finding) => ({ Id: finding.Id, ErrorCode: 'InvalidInput', ErrorMessage: 'Finding rejected' })) };
  }

  private getFindings(body: Record<string, unknown>) {
    const filters = body.Filters as Record<string, { Value: string; Comparison: string }[]>;
    const matches = (finding: Finding) =>
      Object.entries(filters).every(([key, conditions]) => conditions.every(({ Value, Comparison }) => (Comparison === 'PREFIX' ? String(finding[key]).startsWith(Value) : finding[key] === Value)));
    // Security Hub adds fields of its own to what it returns; the importer must not send them back.
    const all = [...this.findings.values()].filter(matches).map((finding) => ({ ...finding, ProductFields: { ...finding.ProductFields, 'aws/securityhub/FindingId': `arn:${finding.Id}` } }));
    const start = Number(body.NextToken ?? 0);
    const page = all.slice(start, start + 100);
    return { Findings: page, ...(start + 100 < all.length && { NextToken: String(start + 100) }) };
  }

  active(): Finding[] {
    return [...this.findings.values()].filter((finding) => finding.RecordState === 'ACTIVE');
  }

  byControl(control: string): Finding {
    const found = [...this.findings.values()].find((finding) => finding.GeneratorId === `ecs-config-rules/${control}`);
    if (!found) throw new Error(`no ${control} finding`);
    return found;
  }
}

let aws: AwsLoopback;
let hub: FakeSecurityHub;
let restoreEnvironment: () => void;

beforeEach(async () => {
  aws = new AwsLoopback();
  restoreEnvironment = useLoopbackEnvironment(await aws.start());
  aws.on('GetCallerIdentity', () => CALLER_XML);
  hub = new FakeSecurityHub();
  hub.install(aws);
});

afterEach(async () => {
  restoreEnvironment();
  await aws.stop();
});

const scanAt = (argv: readonly string[], cwd: string, now: string) => runCli(['scan', ...argv], { cwd, now: new Date(now) });

describe('scan --format asff', () => {
  it('writes every finding as BatchImportFindings takes it, for the caller account default product', async () => {
    const tree = writeTree({ 'template.yaml': TEMPLATE });
    try {
      const run = await scanAt(['template.yaml', '--format', 'asff', '--region', 'eu-west-1'], tree.dir, '2026-03-01T12:00:00Z');
      expect(run.code).toBe(1);
      const { Findings } = JSON.parse(run.stdout) as { Findings: Finding[] };
      expect(Findings).toHaveLength(12);
      for (const finding of Findings) expect({ id: finding.Id, valid: validate(finding), errors: validate.errors }).toEqual({ id: finding.Id, valid: true, errors: null });
      const ecs4 = Findings.find((finding) => finding.GeneratorId === 'ecs-config-rules/ECS.4');
      expect(ecs4).toMatchObject({
        ProductArn: `arn:aws:securityhub:eu-west-1:${ACCOUNT}:product/${ACCOUNT}/default`,
        AwsAccountId: ACCOUNT,
        CreatedAt: '2026-03-01T12:00:00.000Z',
        Severity: { Label: 'HIGH' },
        Compliance: { Status: 'FAILED', SecurityControlId: 'ECS.4' },
        Workflow: { Status: 'NEW' },
        RecordState: 'ACTIVE',
        Resources: [{ Type: 'AwsEcsTaskDefinition', Id: 'template.yaml#WebTask', Region: 'eu-west-1', Partition: 'aws' }],
      });
      const statusOf = (control: string) => {
        const finding = Findings.find((candidate) => candidate.GeneratorId === `ecs-config-rules/${control}`) as Finding;
        return [finding.Compliance.Status, finding.Workflow.Status, finding.RecordState, finding.Severity.Label];
      };
      expect(statusOf('ECS.5')).toEqual(['FAILED', 'SUPPRESSED', 'ACTIVE', 'HIGH']);
      expect(statusOf('ECS.20')).toEqual(['WARNING', 'NEW', 'ACTIVE', 'MEDIUM']);
      expect(statusOf('ECS.3')).toEqual(['PASSED', 'RESOLVED', 'ACTIVE', 'INFORMATIONAL']);
      expect(statusOf('ECS.21')).toEqual(['NOT_AVAILABLE', 'RESOLVED', 'ARCHIVED', 'INFORMATIONAL']);
      expect(aws.callsOf('GetCallerIdentity')).toHaveLength(1);
    } finally {
      tree.remove();
    }
  });

  it('lists an input not read on standard error and as a HIGH WARNING finding, and exits 2', async () => {
    const tree = writeTree({ 'template.yaml': TEMPLATE, 'broken.json': '{ "family": ' });
    try {
      const run = await scanAt(['template.yaml', 'broken.json', '--format', 'asff'], tree.dir, '2026-03-01T12:00:00Z');
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/^ecs-config-rules: could not read 1 input \(the report covers the rest; exit 2\):\n {2}broken\.json:1: /);
      const { Findings } = JSON.parse(run.stdout) as { Findings: Finding[] };
      expect(Findings).toHaveLength(13);
      expect(Findings[12]).toMatchObject({ GeneratorId: 'ecs-config-rules/input', Title: expect.stringContaining('broken.json'), Compliance: { Status: 'WARNING' }, Severity: { Label: 'HIGH' } });
    } finally {
      tree.remove();
    }
  });

  it('is held to the schema: a Title over 256 characters or an unknown Compliance.Status is refused', async () => {
    const tree = writeTree({ 'template.yaml': TEMPLATE });
    try {
      const { Findings } = JSON.parse((await scanAt(['template.yaml', '--format', 'asff'], tree.dir, '2026-03-01T12:00:00Z')).stdout) as { Findings: Finding[] };
      expect(validate({ ...Findings[0], Title: 'x'.repeat(257) })).toBe(false);
      expect(validate({ ...Findings[0], Compliance: { Status: 'COMPLIANT' } })).toBe(false);
      expect(validate({ ...Findings[0], AwsAccountId: '1234' })).toBe(false);
    } finally {
      tree.remove();
    }
  });

  it("keeps every control's title and remediation within ASFF's Title (256) and Recommendation.Text (512) limits", () => {
    for (const control of CONTROLS) {
      expect(`${control.id} ${control.title}`.length).toBeLessThanOrEqual(256);
      expect(control.remediation.length).toBeLessThanOrEqual(512);
    }
  });

  it('cannot name an account without STS: the scan exits 2 and says why', async () => {
    aws.on('GetCallerIdentity', () => ({ status: 403, code: 'AccessDenied', message: 'not allowed' }));
    const tree = writeTree({ 'template.yaml': TEMPLATE });
    try {
      const run = await scanAt(['template.yaml', '--format', 'asff'], tree.dir, '2026-03-01T12:00:00Z');
      expect(run.code).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr).toContain('AccessDenied');
    } finally {
      tree.remove();
    }
  });
});

describe('scan --import-to-security-hub', () => {
  it('imports, then updates the same findings on a re-import (no duplicates), keeping CreatedAt', async () => {
    const tree = writeTree({ 'template.yaml': TEMPLATE });
    try {
      const first = await scanAt(['template.yaml', '--import-to-security-hub', '--format', 'json'], tree.dir, '2026-03-01T12:00:00Z');
      expect(first.code).toBe(1);
      expect(first.stderr).toContain('Security Hub us-east-1: 12 new findings, 0 updated, 0 archived');
      expect(hub.findings.size).toBe(12);
      const second = await scanAt(['template.yaml', '--import-to-security-hub', '--format', 'json'], tree.dir, '2026-03-02T12:00:00Z');
      expect(second.stderr).toContain('Security Hub us-east-1: 0 new findings, 12 updated, 0 archived');
      expect(hub.findings.size).toBe(12);
      expect(hub.byControl('ECS.4')).toMatchObject({ CreatedAt: '2026-03-01T12:00:00.000Z', UpdatedAt: '2026-03-02T12:00:00.000Z' });
      // The calls went to Security Hub's REST paths, signed for the caller's Region.
      expect(aws.callsOf('BatchImportFindings').every((call) => call.service === 'securityhub' && signingRegion(call) === 'us-east-1')).toBe(true);
    } finally {
      tree.remove();
    }
  });

  it('turns a fixed finding PASSED and archives the findings of a resource the file no longer has, leaving other files alone', async () => {
    const other = TEMPLATE.replace('ClusterName: main', 'ClusterName: other');
    const tree = writeTree({ 'template.yaml': TEMPLATE, 'other.yaml': other });
    try {
      await scanAt(['template.yaml', 'other.yaml', '--import-to-security-hub'], tree.dir, '2026-03-01T12:00:00Z');
      expect(hub.active()).toHaveLength(20); // 12 + 12, less the 4 not-applicable ones imported archived
      const fixed = TEMPLATE.replace('          Privileged: true\n', '').replace(/ {2}Cluster:\n[\s\S]*$/, '');
      const again = writeTree({ 'template.yaml': fixed });
      try {
        // The same file name, now without the cluster and with ECS.4 fixed; other.yaml is not scanned.
        const run = await scanAt(['template.yaml', '--import-to-security-hub'], again.dir, '2026-03-02T12:00:00Z');
        expect(run.stderr).toContain('0 new findings, 10 updated, 2 archived');
      } finally {
        again.remove();
      }
      const mainCluster = [...hub.findings.values()].filter((finding) => finding.Resources[0].Id === 'template.yaml#Cluster');
      expect(mainCluster.map((finding) => finding.RecordState)).toEqual(['ARCHIVED', 'ARCHIVED']);
      expect(mainCluster.every((finding) => !('aws/securityhub/FindingId' in finding.ProductFields))).toBe(true);
      expect(hub.byControl('ECS.4')).toMatchObject({ Compliance: { Status: 'PASSED' }, Severity: { Label: 'INFORMATIONAL' } });
      const otherFile = [...hub.findings.values()].filter((finding) => finding.ProductFields['ecs-config-rules/Source'] === 'other.yaml');
      expect(otherFile.filter((finding) => finding.RecordState === 'ACTIVE')).toHaveLength(10);
    } finally {
      tree.remove();
    }
  });

  it('archives nothing when an input could not be read, imports that input as a HIGH WARNING finding, and exits 2', async () => {
    const tree = writeTree({ 'template.yaml': TEMPLATE, 'broken.json': '{ "family": ' });
    try {
      await scanAt(['template.yaml', '--import-to-security-hub'], tree.dir, '2026-03-01T12:00:00Z');
      const run = await scanAt(['broken.json', '--import-to-security-hub'], tree.dir, '2026-03-02T12:00:00Z');
      expect(run.code).toBe(2);
      expect(run.stderr).toContain('nothing archived: 1 input could not be read');
      expect(hub.active().filter((finding) => finding.GeneratorId !== 'ecs-config-rules/input')).toHaveLength(10);
      const unread = hub.active().find((finding) => finding.GeneratorId === 'ecs-config-rules/input') as Finding;
      expect(unread).toMatchObject({ Compliance: { Status: 'WARNING' }, Severity: { Label: 'HIGH' }, Resources: [{ Type: 'Other', Id: 'broken.json' }] });
      expect(validate(unread)).toBe(true);
    } finally {
      tree.remove();
    }
  });

  it('sends at most 100 findings a call and re-sends what FailedFindings lists', async () => {
    const resources = Object.fromEntries(Array.from({ length: 120 }, (_, index) => [`Cluster${index}`, { Type: 'AWS::ECS::Cluster', Properties: { ClusterName: `c${index}` } }]));
    const tree = writeTree({ 'clusters.json': { Resources: resources } });
    try {
      const first = await scanAt(['clusters.json', '--format', 'asff'], tree.dir, '2026-03-01T12:00:00Z');
      const [flaky] = (JSON.parse(first.stdout) as { Findings: Finding[] }).Findings;
      hub.failing.set(flaky.Id, 1);
      const run = await scanAt(['clusters.json', '--import-to-security-hub', '--exit-zero'], tree.dir, '2026-03-01T12:00:00Z');
      expect(run.code).toBe(0);
      const batches = aws.callsOf('BatchImportFindings').map((call) => (call.body.Findings as Finding[]).length);
      // The refused finding is sent again right after its batch.
      expect(batches).toEqual([100, 1, 100, 40]);
      expect(hub.findings.size).toBe(240);
    } finally {
      tree.remove();
    }
  });

  it('reports findings Security Hub keeps refusing, with its error code, and exits 2', async () => {
    const tree = writeTree({ 'template.yaml': TEMPLATE });
    try {
      const first = await scanAt(['template.yaml', '--format', 'asff'], tree.dir, '2026-03-01T12:00:00Z');
      const refused = (JSON.parse(first.stdout) as { Findings: Finding[] }).Findings[1];
      hub.failing.set(refused.Id, 99);
      const run = await scanAt(['template.yaml', '--import-to-security-hub', '--exit-zero'], tree.dir, '2026-03-01T12:00:00Z');
      expect(run.code).toBe(2);
      expect(run.stderr).toContain(`Security Hub did not accept 1 finding (exit 2):\n  us-east-1 ${refused.Id}: InvalidInput Finding rejected`);
      expect(aws.callsOf('BatchImportFindings').map((call) => (call.body.Findings as Finding[]).length)).toEqual([12, 1, 1]);
    } finally {
      tree.remove();
    }
  });

  it('with --live, archives the live findings of a cluster that is gone, in the Region scanned', async () => {
    let clusters = [{ clusterArn: `arn:aws:ecs:us-east-1:${ACCOUNT}:cluster/main`, clusterName: 'main', settings: [{ name: 'containerInsights', value: 'disabled' }], tags: [] }];
    aws
      .on('ListTaskDefinitionFamilies', () => ({ families: [] }))
      .on('ListClusters', () => ({ clusterArns: clusters.map((cluster) => cluster.clusterArn) }))
      .on('DescribeClusters', () => ({ clusters, failures: [] }))
      .on('ListServices', () => ({ serviceArns: [] }))
      .on('DescribeCapacityProviders', () => ({ capacityProviders: [] }));
    const tree = writeTree({});
    try {
      const first = await scanAt(['--live', '--import-to-security-hub'], tree.dir, '2026-03-01T12:00:00Z');
      expect(first.code).toBe(1);
      expect(hub.byControl('ECS.12')).toMatchObject({ Compliance: { Status: 'FAILED' }, Resources: [{ Id: clusters[0].clusterArn, Type: 'AwsEcsCluster' }], ProductFields: { 'ecs-config-rules/Source': 'live' } });
      clusters = [];
      const second = await scanAt(['--live', '--import-to-security-hub'], tree.dir, '2026-03-02T12:00:00Z');
      expect(second.stderr).toContain('Security Hub us-east-1: 0 new findings, 0 updated, 2 archived');
      expect(hub.active()).toEqual([]);
    } finally {
      tree.remove();
    }
  });

  it("does not send another account's findings (the default product takes only the caller's), and exits 2", async () => {
    // describe-clusters output from another account: its findings carry that account (from the ARN).
    const described = {
      clusters: [{ clusterArn: 'arn:aws:ecs:eu-west-1:210987654321:cluster/main', clusterName: 'main', settings: [{ name: 'containerInsights', value: 'enabled' }], tags: [{ key: 'team', value: 'platform' }] }],
      failures: [],
    };
    const tree = writeTree({ 'clusters.json': described, 'template.yaml': TEMPLATE });
    try {
      const run = await scanAt(['clusters.json', 'template.yaml', '--import-to-security-hub', '--exit-zero'], tree.dir, '2026-03-01T12:00:00Z');
      expect(run.code).toBe(2);
      expect(run.stderr).toContain("2 findings of account 210987654321 not imported: with the default product, BatchImportFindings takes only the calling account's (123456789012) findings");
      expect([...hub.findings.values()].every((finding) => finding.AwsAccountId === ACCOUNT)).toBe(true);
      expect(hub.findings.size).toBe(12);
    } finally {
      tree.remove();
    }
  });
});

it('loads the Security Hub client only when asked to (a CLI that scans files starts without it)', () => {
  const loaded = execFileSync(
    process.execPath,
    ['--import', 'tsx', '-e', "require('./cli/program'); console.log(Object.keys(require.cache).filter((path) => path.includes('client-securityhub') || path.includes('client-sts')).length)"],
    { cwd: REPOSITORY, encoding: 'utf8' },
  );
  expect(loaded.trim()).toBe('0');
});

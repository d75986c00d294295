/**
 * Each output format over the same scan (the short-forms template: failures, could-not-evaluate,
 * a suppression, an expired suppression, passes and not-applicable checks): each must be valid in
 * its own terms and carry the same findings.
 */
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { toBeValidSarifLog } from '@microsoft/jest-sarif';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { Log, Result } from 'sarif';
import { FIXTURES, REPOSITORY, runCli, writeTree } from './run-cli';

expect.extend({ toBeValidSarifLog });

const TEMPLATE = join(FIXTURES, 'short-forms.yaml');
const TEMPLATE_PATH = 'test/cli/fixtures/short-forms.yaml';

async function scan(format: string, ...extra: string[]) {
  return runCli(['scan', TEMPLATE, '--format', format, ...extra]);
}

describe('--format sarif', () => {
  let log: Log;
  let results: Result[];
  beforeAll(async () => {
    const run = await scan('sarif', '--include-passing');
    expect(run.code).toBe(1);
    log = JSON.parse(run.stdout);
    results = log.runs[0].results ?? [];
  });

  const resultFor = (ruleId: string, logicalId: string) => {
    const result = results.find((candidate) => candidate.ruleId === ruleId && candidate.locations?.[0].logicalLocations?.[0].name === logicalId);
    if (!result) throw new Error(`no ${ruleId} result for ${logicalId}`);
    return result;
  };

  test('validates against the SARIF 2.1.0 schema', () => {
    expect(log).toBeValidSarifLog();
    expect(log.version).toBe('2.1.0');
  });

  test('one rule per control, carrying id, title, severity and remediation help', () => {
    const rules = log.runs[0].tool.driver.rules ?? [];
    expect(rules.map((rule) => rule.id)).toEqual(['ECS.2', 'ECS.3', 'ECS.4', 'ECS.5', 'ECS.8', 'ECS.9', 'ECS.10', 'ECS.12', 'ECS.13', 'ECS.14', 'ECS.15', 'ECS.16', 'ECS.17', 'ECS.18', 'ECS.19', 'ECS.20', 'ECS.21']);
    expect(rules.find((rule) => rule.id === 'ECS.20')).toMatchObject({
      shortDescription: { text: 'ECS Task Definitions should configure non-root users in Linux container definitions' },
      help: { text: expect.stringContaining('non-root UID'), markdown: expect.stringContaining('**Fix:**') },
      helpUri: 'https://docs.aws.amazon.com/securityhub/latest/userguide/ecs-controls.html#ecs-20',
      properties: { severity: 'MEDIUM', 'security-severity': '5.5', tags: expect.arrayContaining(['security']) },
    });
  });

  test("a rule's description names the rule Security Hub runs: an AWS Config managed rule, or Security Hub's own", () => {
    const rules = log.runs[0].tool.driver.rules ?? [];
    const descriptionOf = (id: string) => rules.find((rule) => rule.id === id)?.fullDescription?.text;

    expect(descriptionOf('ECS.20')).toContain(' Security Hub runs it as the AWS Config managed rule ecs-task-definition-linux-user-non-root.');
    expect(descriptionOf('ECS.16')).toContain(' Security Hub runs it as the Security Hub CSPM custom rule ecs-taskset-assign-public-ip-disabled.');
    expect(rules.filter((rule) => rule.fullDescription?.text.includes('Security Hub CSPM custom rule')).map((rule) => rule.id)).toEqual(['ECS.2', 'ECS.13', 'ECS.14', 'ECS.15', 'ECS.16']);
  });

  test('a failure points at the file and line of its resource', () => {
    const result = resultFor('ECS.9', 'ParameterisedTaskDefinition');
    expect(result).toMatchObject({ kind: 'fail', level: 'error', message: { text: expect.stringContaining('A suppression expired on 2020-01-31') } });
    expect(result.locations?.[0].physicalLocation).toEqual({ artifactLocation: { uri: TEMPLATE_PATH, uriBaseId: '%SRCROOT%' }, region: { startLine: 63 } });
    expect(log.runs[0].originalUriBaseIds?.['%SRCROOT%'].uri).toBe(`file://${REPOSITORY}/`);
    expect(log.runs[0].tool.driver.rules?.[result.ruleIndex ?? -1].id).toBe('ECS.9');
  });

  test('could not evaluate is an error-level failure naming the property', () => {
    expect(resultFor('ECS.10', 'ImportedService')).toMatchObject({ kind: 'fail', level: 'error', message: { text: expect.stringContaining('Resources.ImportedService.Properties.TaskDefinition') } });
  });

  test('a suppressed finding is listed with its justification; passes and not-applicable checks carry their kind and level none', () => {
    expect(resultFor('ECS.5', 'ParameterisedTaskDefinition')).toMatchObject({
      kind: 'fail',
      suppressions: [{ kind: 'inSource', status: 'accepted', justification: expect.stringContaining('WEB-42 lands. (until 2099-12-31)') }],
    });
    expect(resultFor('ECS.10', 'WindowsService')).toMatchObject({ kind: 'pass', level: 'none' });
    expect(resultFor('ECS.20', 'WindowsTaskDefinition')).toMatchObject({ kind: 'notApplicable', level: 'none' });
    expect(results).toHaveLength(26);
  });

  test('by default only what needs attention is listed (code scanning takes at most 25,000 results a run)', async () => {
    const run = await scan('sarif');
    const listed: Log = JSON.parse(run.stdout);

    expect(listed).toBeValidSarifLog();
    expect(listed.runs[0].results?.map((result) => result.kind)).toEqual(['fail', 'fail', 'fail', 'fail']);
    expect(listed.runs[0].results?.filter((result) => result.suppressions)).toHaveLength(1);
  });

  test('below the severity threshold, a failure is a warning; a gate that cannot fail says so', async () => {
    const run = await scan('sarif', '--severity-threshold', 'critical', '--allow-empty-gate');
    const log = JSON.parse(run.stdout) as Log;
    const result = log.runs[0].results?.find((candidate) => candidate.ruleId === 'ECS.9' && candidate.kind === 'fail');
    expect(result).toMatchObject({ level: 'warning', locations: [{ logicalLocations: [{ name: 'ParameterisedTaskDefinition' }] }] });
    expect(run.code).toBe(0);
    expect(log).toBeValidSarifLog();
    expect(log.runs[0].invocations).toEqual([
      {
        executionSuccessful: true,
        exitCode: 0,
        toolExecutionNotifications: [{ level: 'warning', message: { text: 'This gate cannot fail: no selected control is CRITICAL or above (allowed explicitly).' } }],
      },
    ]);
  });
});

describe('--format junit', () => {
  test('is well-formed XML: a suite per resource, failures, errors and skips counted', async () => {
    const run = await scan('junit');

    expect(XMLValidator.validate(run.stdout)).toBe(true);
    const parsed = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(run.stdout);
    expect(parsed.testsuites).toMatchObject({ name: 'ecs-config-rules', tests: '26', failures: '1', errors: '2', skipped: '8' });
    const parameterised = parsed.testsuites.testsuite.find((suite: { name: string }) => suite.name.startsWith('parameterised'));
    const cases = Object.fromEntries(parameterised.testcase.map((testCase: { name: string }) => [testCase.name.split(' ')[0], testCase]));
    expect(cases['ECS.9'].failure).toMatchObject({ type: 'HIGH', message: expect.stringContaining('app (no logConfiguration)') });
    expect(cases['ECS.20'].error).toMatchObject({ type: 'NOT_EVALUATED', message: expect.stringContaining('(Ref: AppUser)') });
    expect(cases['ECS.5'].skipped.message).toContain('suppressed, accepted until 2099-12-31');
    expect(cases['ECS.3']).toEqual({ name: expect.any(String), classname: 'AWS::ECS::TaskDefinition.parameterised', file: 'test/cli/fixtures/short-forms.yaml', line: '63' });
  });

  test('a failure gives the reason and the fix once each', async () => {
    const parsed = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', textNodeName: 'text' }).parse((await scan('junit')).stdout);
    const failure = parsed.testsuites.testsuite.flatMap((suite: { testcase: unknown }) => [suite.testcase].flat()).find((testCase: any) => testCase.failure).failure;

    const [reason, fix, ...rest] = failure.text.split('\n');
    expect(rest.every((line: string) => line.startsWith('suppression expired on'))).toBe(true);
    expect(reason).toBe(failure.message);
    expect(fix).toMatch(/^Fix: /);
    expect(failure.text.split(fix.slice('Fix: '.length)).length).toBe(2);
  });

  test('escapes what XML cannot hold as is', async () => {
    const tree = writeTree({ 'task.json': { family: 'a<b>&"c"', containerDefinitions: [{ name: "it's <app> & co", image: 'x', privileged: true }], tags: [] } });
    try {
      const run = await runCli(['scan', join(tree.dir, 'task.json'), '--format', 'junit']);

      expect(XMLValidator.validate(run.stdout)).toBe(true);
      expect(run.stdout).toContain('it&apos;s &lt;app&gt; &amp; co');
    } finally {
      tree.remove();
    }
  });
});

describe('--format json', () => {
  test('findings as data, with the gate verdict', async () => {
    const run = await scan('json');
    const report = JSON.parse(run.stdout);

    expect(report).toMatchObject({
      tool: { name: 'ecs-config-rules' },
      severityThreshold: 'LOW',
      exitCode: 1,
      summary: { resources: 4, filesScanned: 1, failed: 1, notEvaluated: 2, suppressed: 1, passed: 15, notApplicable: 7, gating: 3 },
    });
    expect(report.findings.find((finding: { controlId: string; resource: { logicalId: string } }) => finding.controlId === 'ECS.5' && finding.resource.logicalId === 'ParameterisedTaskDefinition')).toEqual({
      controlId: 'ECS.5',
      title: 'ECS task definitions should configure containers to be limited to read-only access to root filesystems',
      severity: 'HIGH',
      resourceType: 'AWS::ECS::TaskDefinition',
      resource: { name: 'parameterised', file: TEMPLATE_PATH, line: 63, logicalId: 'ParameterisedTaskDefinition' },
      outcome: 'NON_COMPLIANT',
      status: 'suppressed',
      gating: false,
      reason: 'Task definition parameterised has containers with a writable root filesystem: app (unset).',
      remediation: expect.stringContaining('readonlyRootFilesystem: true'),
      suppression: { reason: expect.stringContaining('WEB-42'), expires: '2099-12-31', expired: false, origin: 'metadata', where: `${TEMPLATE_PATH}:68` },
    });
  });
});

describe('--format table (the default)', () => {
  test('grouped by resource, with reasons and fixes; plain text when not on a terminal', async () => {
    const run = await runCli(['scan', TEMPLATE]);

    expect(run.stdout).not.toMatch(/\u001b\[/);
    expect(run.stdout).toContain(`parameterised AWS::ECS::TaskDefinition · ${TEMPLATE_PATH}:63 ParameterisedTaskDefinition`);
    expect(run.stdout).toMatch(/✘ ECS\.9 +HIGH +Task definition parameterised has containers without logging: app \(no logConfiguration\)\.\n +Suppression expired on 2020-01-31/);
    expect(run.stdout).toMatch(/\? ECS\.20 +MEDIUM +ECS\.20 could not evaluate .*User: an unresolved intrinsic \(Ref: AppUser\)/);
    expect(run.stdout).toMatch(/Fix: Give these containers a logConfiguration/);
    expect(run.stdout).toContain('4 resources in 1 file: 1 failed, 2 not evaluated, 1 suppressed, 15 passed, 7 not applicable');
    expect(run.stdout).toContain('✘ 3 findings at or above LOW severity.');
  });

  test('colour on a terminal, none with NO_COLOR', async () => {
    const coloured = await runCli(['scan', TEMPLATE], { isTTY: true });
    const plain = await runCli(['scan', TEMPLATE], { isTTY: true, env: { NO_COLOR: '1' } });

    expect(coloured.stdout).toMatch(/\u001b\[31m✘ ECS\.9/);
    expect(plain.stdout).not.toMatch(/\u001b\[/);
  });
});

describe('--format matrix', () => {
  test('resources × controls per resource type, then the reasons', async () => {
    const run = await scan('matrix');

    expect(run.stdout).toMatch(/^Task definitions +ECS\.3 ECS\.4 ECS\.5 ECS\.8 ECS\.9 ECS\.15 ECS\.17 ECS\.18 ECS\.20 ECS\.21$/m);
    // ECS.4: `Privileged: !If [IsProd, false, !Ref AWS::NoValue]` is false in both outcomes.
    expect(run.stdout).toMatch(/^ {2}parameterised +✔ +✔ +⊘ +✔ +✘ +✔ +✔ +· +\? +·$/m);
    expect(run.stdout).toMatch(/^Services +ECS\.2 ECS\.10 ECS\.13$/m);
    expect(run.stdout).toMatch(/^ {2}imported +· +\? +✔$/m);
    expect(run.stdout).toMatch(/^ {2}WindowsTaskDefinition +✔ +✔ +· +✔ +✔ +✔ +✔ +· +· +✔$/m);
    expect(run.stdout).toMatch(/Reasons\n\nimported AWS::ECS::Service/);
  });

  test('rows with the same name say where each resource is', async () => {
    const template = (user: string) => ({ Resources: { TaskDefinition: { Type: 'AWS::ECS::TaskDefinition', Properties: { ContainerDefinitions: [{ Name: 'app', User: user }] } } } });
    const tree = writeTree({ 'api/template.json': template('1000'), 'worker/template.json': template('0') });
    try {
      const run = await runCli(['scan', tree.dir, '--format', 'matrix'], { cwd: tree.dir });

      expect(run.stdout).toMatch(/^ {2}TaskDefinition \(api\/template\.json:3\) /m);
      expect(run.stdout).toMatch(/^ {2}TaskDefinition \(worker\/template\.json:3\) /m);
    } finally {
      tree.remove();
    }
  });

  test('npm start (the README command) prints the matrix of the examples and exits 0', async () => {
    const start: string = JSON.parse(readFileSync(join(REPOSITORY, 'package.json'), 'utf8')).scripts.start;
    const argv = start.replace(/^tsx bin\/ecs-config-rules\.ts /, '').split(' ');

    const run = await runCli(argv);

    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Compliance matrix:');
    expect(run.stdout).toMatch(/^ {2}checkout-api:7 /m);
    expect(run.stdout).toContain('Task definition checkout-api:7 has containers running as root');
  });
});

describe('--output', () => {
  test('writes the report to a file and a summary to standard error', async () => {
    const tree = writeTree({});
    try {
      const run = await runCli(['scan', TEMPLATE, '--format', 'sarif', '--output', 'results.sarif'], { cwd: tree.dir });

      expect(run).toMatchObject({ code: 1, stdout: '' });
      expect(run.stderr).toContain('Report written to results.sarif');
      expect(JSON.parse(readFileSync(join(tree.dir, 'results.sarif'), 'utf8'))).toBeValidSarifLog();
    } finally {
      tree.remove();
    }
  });
});

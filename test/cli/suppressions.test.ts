/**
 * Suppressions: a reason is required; a suppressed finding is listed as suppressed (and no longer
 * fails the gate); an expired one fails again; template Metadata and a suppressions file work alike.
 */
import { join } from 'node:path';
import { findingOf, runCli, scanJson, writeTree } from './run-cli';

const privilegedTask = (name: string) => ({
  Type: 'AWS::ECS::TaskDefinition',
  Properties: {
    Family: name,
    RuntimePlatform: { OperatingSystemFamily: 'LINUX' },
    ContainerDefinitions: [{ Name: 'app', Image: 'app', User: '1000', ReadonlyRootFilesystem: true, Privileged: true, LogConfiguration: { LogDriver: 'awslogs' } }],
    Tags: [{ Key: 'team', Value: 'web' }],
  },
});

function templateWith(metadata?: unknown) {
  return { Resources: { LegacyTask: { ...privilegedTask('legacy'), ...(metadata !== undefined && { Metadata: metadata }) }, OtherTask: privilegedTask('other') } };
}

const ON_2026_06_01 = new Date('2026-06-01T12:00:00Z');

describe('in a template resource’s Metadata', () => {
  test('suppresses that control on that resource only, listed as suppressed, and the gate passes without it', async () => {
    const tree = writeTree({
      'template.json': templateWith({ 'ecs-config-rules': { suppressions: [{ id: 'ECS.4', reason: 'The agent needs the host’s devices.', expires: '2026-06-01' }] } }),
    });
    try {
      const { report, code } = await scanJson([join(tree.dir, 'template.json'), '--controls', 'ECS.4'], { now: ON_2026_06_01 });

      expect(findingOf(report, 'legacy', 'ECS.4')).toMatchObject({
        outcome: 'NON_COMPLIANT',
        status: 'suppressed',
        gating: false,
        suppression: { reason: 'The agent needs the host’s devices.', expires: '2026-06-01', expired: false, origin: 'metadata' },
      });
      expect(findingOf(report, 'other', 'ECS.4')).toMatchObject({ status: 'failed', gating: true });
      expect(code).toBe(1);
    } finally {
      tree.remove();
    }
  });

  test('the day after it expires, the finding fails again, saying the suppression expired', async () => {
    const tree = writeTree({ 'template.json': templateWith({ 'ecs-config-rules': { suppressions: [{ id: 'ecs-4', reason: 'Until the driver ships.', expires: '2026-05-31' }] } }) });
    try {
      const { report } = await scanJson([join(tree.dir, 'template.json'), '--controls', 'ECS.4'], { now: ON_2026_06_01 });

      expect(findingOf(report, 'legacy', 'ECS.4')).toMatchObject({ status: 'failed', gating: true, suppression: { expired: true, expires: '2026-05-31' } });
    } finally {
      tree.remove();
    }
  });

  test.each([
    [{ suppressions: [{ id: 'ECS.4' }] }, /template\.json:\d+: .*suppressions\[0\]: a suppression needs a reason/],
    [{ suppressions: [{ id: 'ECS.4', reason: '   ' }] }, /a suppression needs a reason/],
    [{ suppressions: [{ id: 'ECS.99', reason: 'x' }] }, /Unknown control "ECS\.99"/],
    [{ suppressions: [{ id: 'ECS.4', reason: 'x', expires: '2026-02-30' }] }, /"expires" must be a date written YYYY-MM-DD, got "2026-02-30"/],
    [{ suppressions: [{ id: 'ECS.4', reason: 'x', resource: 'Other' }] }, /unknown key resource/],
    [{ suppressions: 'ECS.4' }, /Metadata\.ecs-config-rules must be \{ suppressions: \[/],
  ])('a malformed suppression is an input error: %j', async (section, message) => {
    const tree = writeTree({ 'template.json': templateWith({ 'ecs-config-rules': section }) });
    try {
      const run = await runCli(['scan', join(tree.dir, 'template.json')]);

      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(message);
      expect(run.stdout).toMatch(message);
    } finally {
      tree.remove();
    }
  });
});

describe('in a suppressions file', () => {
  const tree = writeTree({
    'template.json': templateWith(),
    'suppressions.yml': [
      'suppressions:',
      '  - id: ECS.4',
      '    resource: Legacy*',
      '    reason: Retired with the 2027 migration.',
      '    expires: "2027-01-31"',
      '  - id: ECS.4',
      '    resource: "*"',
      '    file: elsewhere/*.json',
      '    reason: Only covers other files.',
    ].join('\n'),
    'no-reason.yml': 'suppressions:\n  - id: ECS.4\n    resource: LegacyTask\n',
    'no-resource.yml': '- id: ECS.4\n  reason: Which resource?\n',
  });
  afterAll(() => tree.remove());

  test('matches resources by logical id (wildcards) and files, and says where the entry is written', async () => {
    const { report } = await scanJson([join(tree.dir, 'template.json'), '--controls', 'ECS.4', '--suppressions', join(tree.dir, 'suppressions.yml')], { now: ON_2026_06_01 });

    expect(findingOf(report, 'legacy', 'ECS.4')).toMatchObject({ status: 'suppressed', suppression: { origin: 'file', where: expect.stringMatching(/suppressions\.yml:2$/) } });
    expect(findingOf(report, 'other', 'ECS.4')).toMatchObject({ status: 'failed' });
  });

  test('a suppressed finding is still in every report, in SARIF as an external suppression', async () => {
    const run = await runCli(['scan', join(tree.dir, 'template.json'), '--controls', 'ECS.4', '--suppressions', join(tree.dir, 'suppressions.yml'), '--format', 'sarif'], { now: ON_2026_06_01 });
    const results = JSON.parse(run.stdout).runs[0].results;

    expect(results).toHaveLength(2);
    expect(results[0].suppressions).toEqual([{ kind: 'external', status: 'accepted', justification: 'Retired with the 2027 migration. (until 2027-01-31)' }]);
  });

  test.each([
    ['no-reason.yml', /no-reason\.yml:2: suppressions\[0\]: a suppression needs a reason/],
    ['no-resource.yml', /no-resource\.yml:1: suppressions\[0\]: a file suppression needs "resource"/],
    ['missing.yml', /missing\.yml: cannot read \(ENOENT\)/],
  ])('%s is an input error', async (file, message) => {
    const run = await runCli(['scan', join(tree.dir, 'template.json'), '--suppressions', join(tree.dir, file)]);

    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
  });
});

/**
 * `ecs-config-rules fix` end to end (the real CLI): the printed definition is scanned again by
 * `scan`, compared field by field with its input, and fixed a second time.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import type { RegisterTaskDefinitionRequest, TaskDefinition } from '@aws-sdk/client-ecs';
import { pointerOf } from '../../scan/fix/edits';
import { DESCRIBE_ONLY_FIELDS } from '../../scan/fix/fix';
import { REPOSITORY, runCli, scanJson, writeTree } from '../cli/run-cli';

const EXAMPLES = join(REPOSITORY, 'examples', 'task-definitions');
const KEY_ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:reports-agent-key-AbCdEf';
/** Enough answers for every example to need no more input. */
const ANSWERS = ['--writable', 'none', '--secret-arn', `AWS_ACCESS_KEY_ID=${KEY_ARN}`];

/** The fields each control's fix may change: anything else that differs is a bug. */
const FIELDS_BY_CONTROL: Record<string, readonly string[]> = {
  'ECS.3': ['pidMode'],
  'ECS.4': ['privileged'],
  'ECS.5': ['readonlyRootFilesystem', 'mountPoints', 'volumes'],
  'ECS.8': ['environment', 'secrets'],
  'ECS.9': ['logConfiguration'],
  'ECS.15': ['tags'],
  'ECS.17': ['networkMode'],
  'ECS.18': ['transitEncryption'],
  'ECS.20': ['user'],
  'ECS.21': ['user'],
};

/** Every leaf of a JSON value by its path: `containerDefinitions.0.user` → value. */
function leaves(value: unknown, path: string[] = [], into = new Map<string, unknown>()): Map<string, unknown> {
  if (typeof value === 'object' && value !== null && Object.keys(value).length > 0) {
    for (const [key, child] of Object.entries(value)) leaves(child, [...path, key], into);
  } else {
    into.set(path.join('.'), value);
  }
  return into;
}

/** Paths whose value differs between `before` and `after` (present in one only, or different). */
function changedPaths(before: unknown, after: unknown): string[] {
  const a = leaves(before);
  const b = leaves(after);
  return [...new Set([...a.keys(), ...b.keys()])].filter((path) => !isDeepStrictEqual(a.get(path), b.get(path)));
}

/** The task definition as register input, before the fix (describe-only fields and the describe envelope removed). */
function asRegisterInput(document: Record<string, unknown>): Record<string, unknown> {
  const taskDefinition = (document.taskDefinition ?? document) as Record<string, unknown>;
  const input = Object.fromEntries(Object.entries(taskDefinition).filter(([key]) => !(DESCRIBE_ONLY_FIELDS as readonly string[]).includes(key)));
  return document.taskDefinition ? { ...input, ...(document.tags !== undefined && { tags: document.tags }) } : input;
}

async function failingControls(file: string, cwd = REPOSITORY): Promise<string[]> {
  const { report } = await scanJson([file], { cwd });
  return report.findings.filter((finding) => finding.status === 'failed' || finding.status === 'notEvaluated').map((finding) => finding.controlId);
}

/** Fixes `input` (a JSON value), rescans the printed result with `scan`, and fixes it again. */
async function fixAndCheck(input: unknown, args: readonly string[] = ANSWERS) {
  const tree = writeTree({ 'input.json': input });
  try {
    const failedBefore = await failingControls('input.json', tree.dir);
    const run = await runCli(['fix', 'input.json', '--diff', ...args], { cwd: tree.dir });
    if (run.code === 2) throw new Error(`fix refused: ${run.stderr}`);
    const output = JSON.parse(run.stdout) as Record<string, unknown>;
    const again = writeTree({ 'fixed.json': output });
    try {
      const failedAfter = await failingControls('fixed.json', again.dir);
      const second = await runCli(['fix', 'fixed.json', ...args], { cwd: again.dir });
      return { run, output, failedBefore, failedAfter, second };
    } finally {
      again.remove();
    }
  } finally {
    tree.remove();
  }
}

function expectOnlyFieldsOf(controls: readonly string[], before: unknown, after: unknown): void {
  const allowed = controls.flatMap((id) => FIELDS_BY_CONTROL[id]);
  const stray = changedPaths(before, after).filter((path) => !path.split('.').some((segment) => allowed.includes(segment)));
  expect(stray).toEqual([]);
}

describe('fix over every example task definition', () => {
  const files = readdirSync(EXAMPLES).filter((name) => name.endsWith('.json'));

  test.each(files)('%s: the output passes every control, only the failing fields changed, describe-only fields dropped, a second fix changes nothing', async (file) => {
    const input = JSON.parse(readFileSync(join(EXAMPLES, file), 'utf8')) as Record<string, unknown>;
    const { run, output, failedBefore, failedAfter, second } = await fixAndCheck(input);
    expect(run.code).toBe(0);
    expect(failedAfter).toEqual([]);
    for (const field of DESCRIBE_ONLY_FIELDS) expect(output).not.toHaveProperty(field);
    expectOnlyFieldsOf(failedBefore, asRegisterInput(input), output);
    expect(second.code).toBe(0);
    expect(JSON.parse(second.stdout)).toEqual(output);
    expect(second.stderr).toContain('Fixed: no change needed');
  });

  test('checkout-api without answers: printed, passing, with the decisions it could not make listed, exit 1', async () => {
    const run = await runCli(['fix', 'examples/task-definitions/checkout-api.json']);
    expect(run.code).toBe(1);
    const output = JSON.parse(run.stdout);
    expect(output.containerDefinitions.map((container: { user: string }) => container.user)).toEqual(['1000:1000', '1000:1000']);
    expect(run.stderr).toMatch(/Needs your input before registering:\n {2}- checkout-api \(ECS\.5\): .*--writable checkout-api=/);
    expect(run.stderr).toMatch(/- log-sidecar \(ECS\.5\): .*--writable log-sidecar=/);
    expect(run.stderr).toMatch(/Check before deploying:[\s\S]*runs as 1000:1000 \(a default\)/);
  });

  test('--writable adds a task-storage volume mounted read-write at each path, per container', async () => {
    const run = await runCli(['fix', 'examples/task-definitions/checkout-api.json', '--writable', 'checkout-api=/tmp,/var/cache', '--writable', 'log-sidecar=none']);
    expect(run.code).toBe(0);
    const output = JSON.parse(run.stdout);
    expect(output.volumes).toEqual([{ name: 'checkout-api-tmp' }, { name: 'checkout-api-var-cache' }]);
    expect(output.containerDefinitions[0].mountPoints).toEqual([
      { sourceVolume: 'checkout-api-tmp', containerPath: '/tmp', readOnly: false },
      { sourceVolume: 'checkout-api-var-cache', containerPath: '/var/cache', readOnly: false },
    ]);
    expect(output.containerDefinitions[1].mountPoints).toEqual([]);
  });

  test('--diff lists the changes per container', async () => {
    const run = await runCli(['fix', 'examples/task-definitions/checkout-api.json', '--diff', '--writable', 'none', '--user', 'checkout-api=101', '--user', '2000']);
    expect(run.stderr).toContain(
      [
        '  container checkout-api',
        '    + readonlyRootFilesystem: true  (ECS.5)',
        '    + user: "101"  (ECS.20/21)',
        '  container log-sidecar',
        '    ~ readonlyRootFilesystem: false → true  (ECS.5)',
        '    + logConfiguration: {"logDriver":"awslogs","options":{"awslogs-group":"/ecs/checkout-api","awslogs-region":"us-east-1","awslogs-stream-prefix":"log-sidecar"}}  (ECS.9)',
        '    ~ user: "0" → "2000"  (ECS.20/21)',
        '  task definition',
        '    - taskDefinitionArn, revision, status, requiresAttributes, compatibilities, registeredAt, registeredBy  (describe-only: register-task-definition rejects them)',
      ].join('\n'),
    );
  });
});

test('describe output without tags (no --include TAGS): the untagged registration is listed as needing input', async () => {
  const input = JSON.parse(readFileSync(join(EXAMPLES, 'media-transcoder-efs.json'), 'utf8'));
  delete input.tags;
  const tree = writeTree({ 'untagged.json': input });
  try {
    const run = await runCli(['fix', 'untagged.json', '--controls', 'ECS.18'], { cwd: tree.dir });
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout)).not.toHaveProperty('tags');
    expect(run.stderr).toMatch(/Needs your input before registering:\n {2}- task definition media-transcoder \(register\): the input has no tags .*--include TAGS/);
  } finally {
    tree.remove();
  }
});

test('JSON Pointer paths escape ~ and / (RFC 6901)', () => {
  expect(pointerOf(['Resources', 'a/b~c', 0, '-'])).toBe('/Resources/a~1b~0c/0/-');
});

describe('environment secrets (ECS.8)', () => {
  test('a flagged variable moves to secrets with a placeholder the user must fill: listed, exit 1, and the leaked value must be rotated', async () => {
    const run = await runCli(['fix', 'examples/task-definitions/reports-agent.register-input.json']);
    expect(run.code).toBe(1);
    const [agent] = JSON.parse(run.stdout).containerDefinitions;
    expect(agent.environment).toEqual([{ name: 'UPLOAD_BUCKET', value: 'reports-123456789012' }]);
    expect(agent.secrets).toEqual([{ name: 'AWS_ACCESS_KEY_ID', valueFrom: expect.stringMatching(/^<fill in: .*AWS_ACCESS_KEY_ID>$/) }]);
    expect(run.stderr).toMatch(/Needs your input before registering:\n {2}- agent \(ECS\.8\): AWS_ACCESS_KEY_ID .*--secret-arn AWS_ACCESS_KEY_ID=ARN/);
    expect(run.stderr).toMatch(/ROTATE AWS_ACCESS_KEY_ID/);
  });

  test('--secret-arn fills it; a custom secretKeys parameter decides which variables move', async () => {
    const run = await runCli([
      'fix',
      'examples/task-definitions/reports-agent.register-input.json',
      '-p',
      'ECS.8.secretKeys=AWS_ACCESS_KEY_ID,UPLOAD_BUCKET',
      '--secret-arn',
      `AWS_ACCESS_KEY_ID=${KEY_ARN}`,
      '--secret-arn',
      'UPLOAD_BUCKET=arn:aws:ssm:us-east-1:123456789012:parameter/bucket',
    ]);
    expect(run.code).toBe(0);
    const [agent] = JSON.parse(run.stdout).containerDefinitions;
    expect(agent.environment).toEqual([]);
    expect(agent.secrets).toEqual([
      { name: 'UPLOAD_BUCKET', valueFrom: 'arn:aws:ssm:us-east-1:123456789012:parameter/bucket' },
      { name: 'AWS_ACCESS_KEY_ID', valueFrom: KEY_ARN },
    ]);
  });
});

/** A register input that passes every task definition control; each row below breaks one. */
function passing(container: Record<string, unknown> = {}, task: Record<string, unknown> = {}) {
  return {
    family: 'web',
    executionRoleArn: 'arn:aws:iam::123456789012:role/ecsTaskExecutionRole',
    networkMode: 'awsvpc',
    containerDefinitions: [{ name: 'app', image: 'app:1', user: '1000', readonlyRootFilesystem: true, logConfiguration: { logDriver: 'awslogs' }, ...container }],
    tags: [{ key: 'team', value: 'web' }],
    ...task,
  };
}

const FAILING: readonly [string, unknown, readonly string[]][] = [
  ['ECS.3', passing({}, { pidMode: 'host' }), []],
  ['ECS.4', passing({ privileged: true }), []],
  ['ECS.5', passing({ readonlyRootFilesystem: false }), ['--writable', '/tmp']],
  ['ECS.8', passing({ environment: [{ name: 'AWS_SECRET_ACCESS_KEY', value: 'x' }] }), ['--secret-arn', `AWS_SECRET_ACCESS_KEY=${KEY_ARN}`]],
  ['ECS.9', passing({ logConfiguration: undefined }), ['--log-region', 'eu-west-1']],
  ['ECS.15', passing({}, { tags: [] }), ['--tag', 'team=web']],
  ['ECS.17', passing({}, { networkMode: 'host' }), []],
  ['ECS.18', passing({ mountPoints: [{ sourceVolume: 'data', containerPath: '/data' }] }, { volumes: [{ name: 'data', efsVolumeConfiguration: { fileSystemId: 'fs-1' } }] }), []],
  ['ECS.20', passing({ user: 'root' }), []],
  ['ECS.21', passing({ user: 'containeradministrator' }, { runtimePlatform: { operatingSystemFamily: 'WINDOWS_SERVER_2022_CORE' } }), []],
];

describe("fix over each task definition control's failing case", () => {
  test.each(FAILING)('%s: fixed with only its own fields changed, exit 0 once answered', async (controlId, input, answers) => {
    const { run, output, failedBefore, failedAfter, second } = await fixAndCheck(input, answers);
    expect(failedBefore).toEqual([controlId]);
    expect(run.code).toBe(0);
    expect(failedAfter).toEqual([]);
    expectOnlyFieldsOf([controlId], input, output);
    expect(JSON.parse(second.stdout)).toEqual(output);
  });

  test('without the answer it needs, the tag fix refuses: the result would still fail, and it says what to give', async () => {
    const tree = writeTree({ 'web.json': passing({}, { tags: [] }) });
    try {
      const run = await runCli(['fix', 'web.json'], { cwd: tree.dir });
      expect(run.code).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr).toMatch(/not printed: the fixed task definition would still fail:\n {2}- web\.json ECS\.15/);
      expect(run.stderr).toMatch(/--tag KEY=VALUE/);
    } finally {
      tree.remove();
    }
  });

  test('--controls limits what is fixed and checked', async () => {
    const tree = writeTree({ 'web.json': passing({ user: 'root', privileged: true }) });
    try {
      const run = await runCli(['fix', 'web.json', '--controls', 'ECS.4'], { cwd: tree.dir });
      expect(run.code).toBe(0);
      const [app] = JSON.parse(run.stdout).containerDefinitions;
      expect(app).not.toHaveProperty('privileged');
      expect(app.user).toBe('root');
    } finally {
      tree.remove();
    }
  });
});

describe('CloudFormation templates: a JSON Patch, never a rewritten file', () => {
  const template = {
    Parameters: { AppUser: { Type: 'String' } },
    Resources: {
      Web: {
        Type: 'AWS::ECS::TaskDefinition',
        Properties: {
          Family: 'web',
          ExecutionRoleArn: 'arn:aws:iam::123456789012:role/exec',
          Tags: [{ Key: 'team', Value: 'web' }],
          Volumes: [{ Name: 'data', EFSVolumeConfiguration: { FilesystemId: 'fs-1' } }],
          ContainerDefinitions: [
            { Name: 'app', Image: 'app:1', User: 'root', ReadonlyRootFilesystem: 'false', Environment: [{ Name: 'AWS_ACCESS_KEY_ID', Value: 'AKIAIOSFODNN7EXAMPLE' }] },
          ],
        },
      },
    },
  };

  test('the patch, applied, passes; the template file is untouched', async () => {
    const tree = writeTree({ 'template.json': template });
    try {
      const run = await runCli(['fix', 'template.json', '--writable', 'none', '--secret-arn', `AWS_ACCESS_KEY_ID=${KEY_ARN}`], { cwd: tree.dir });
      expect(run.code).toBe(0);
      expect(JSON.parse(readFileSync(join(tree.dir, 'template.json'), 'utf8'))).toEqual(template);
      const patch = JSON.parse(run.stdout) as { op: string; path: string; value?: unknown }[];
      expect(patch).toEqual(
        expect.arrayContaining([
          { op: 'replace', path: '/Resources/Web/Properties/ContainerDefinitions/0/User', value: '1000:1000' },
          { op: 'replace', path: '/Resources/Web/Properties/ContainerDefinitions/0/ReadonlyRootFilesystem', value: true },
          { op: 'remove', path: '/Resources/Web/Properties/ContainerDefinitions/0/Environment/0' },
          { op: 'add', path: '/Resources/Web/Properties/ContainerDefinitions/0/Secrets', value: [{ Name: 'AWS_ACCESS_KEY_ID', ValueFrom: KEY_ARN }] },
          { op: 'add', path: '/Resources/Web/Properties/Volumes/0/EFSVolumeConfiguration/TransitEncryption', value: 'ENABLED' },
          {
            op: 'add',
            path: '/Resources/Web/Properties/ContainerDefinitions/0/LogConfiguration',
            value: { LogDriver: 'awslogs', Options: { 'awslogs-group': '/ecs/web', 'awslogs-region': { Ref: 'AWS::Region' }, 'awslogs-stream-prefix': 'app' } },
          },
        ]),
      );
      const patched = applyJsonPatch(template, patch);
      const check = writeTree({ 'patched.json': patched });
      try {
        expect(await failingControls('patched.json', check.dir)).toEqual([]);
      } finally {
        check.remove();
      }
    } finally {
      tree.remove();
    }
  });

  test('a value set at deploy time is not guessed: the result would still not be evaluated, so nothing is printed', async () => {
    const withParameter = structuredClone(template) as { Resources: { Web: { Properties: { ContainerDefinitions: Record<string, unknown>[] } } } };
    withParameter.Resources.Web.Properties.ContainerDefinitions[0].User = { Ref: 'AppUser' };
    const tree = writeTree({ 'template.json': withParameter });
    try {
      const run = await runCli(['fix', 'template.json', '--writable', 'none', '--secret-arn', `AWS_ACCESS_KEY_ID=${KEY_ARN}`], { cwd: tree.dir });
      expect(run.code).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr).toMatch(/- template\.json:\d+ Web ECS\.20: .*AppUser/);
    } finally {
      tree.remove();
    }
  });

  test('resources other than task definitions are listed as not fixed', async () => {
    const run = await runCli(['fix', 'examples/cloudformation/storefront.yaml']);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual([]);
    expect(run.stderr).toMatch(/Not fixed by `fix`[\s\S]*storefront-ec2-spot ECS\.19/);
  });
});

/** RFC 6902 add/replace/remove, written here so the test does not trust the code it checks. */
function applyJsonPatch(document: unknown, patch: readonly { op: string; path: string; value?: unknown }[]): unknown {
  const result = structuredClone(document) as Record<string, unknown>;
  for (const { op, path, value } of patch) {
    const segments = path.slice(1).split('/').map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'));
    const last = segments.pop() as string;
    const parent = segments.reduce<Record<string, unknown>>((node, segment) => node[segment] as Record<string, unknown>, result);
    if (Array.isArray(parent)) {
      if (op === 'remove') parent.splice(Number(last), 1);
      else if (last === '-') parent.push(value);
      else if (op === 'add') parent.splice(Number(last), 0, value);
      else parent[Number(last)] = value;
    } else if (op === 'remove') {
      delete parent[last];
    } else {
      parent[last] = value;
    }
  }
  return result;
}

describe('inputs fix does not rewrite', () => {
  test('describe-services output is refused with where to look instead', async () => {
    const run = await runCli(['fix', 'test/fixtures/ecs-api/describe-services.json']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/fix rewrites task definitions; this is describe-services output.*docs\/fix\.md/);
  });

  test('an AWS Config item is refused, pointing at describe-task-definition output', async () => {
    const run = await runCli(['fix', 'test/fixtures/config-item/checkout-api.json']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/fix does not rewrite AWS Config records.*describe-task-definition --include TAGS/);
  });
});

// The describe-only list is exactly what the SDK's TaskDefinition has and RegisterTaskDefinition lacks:
// a new field in either type fails `tsc` here.
type DescribeOnly = Exclude<keyof TaskDefinition, keyof RegisterTaskDefinitionRequest>;
type Listed = (typeof DESCRIBE_ONLY_FIELDS)[number];
const listedIsExact: [DescribeOnly] extends [Listed] ? ([Listed] extends [DescribeOnly] ? true : false) : false = true;
test('the describe-only field list matches the SDK types', () => expect(listedIsExact).toBe(true));

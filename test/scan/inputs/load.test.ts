/**
 * Loading a directory (scan/inputs/load.ts) where some inputs cannot be read: an alias bomb, nesting
 * past the limit and bytes that are not UTF-8 each become an unread input naming the file and line,
 * the rest is read, and a template read with its YAML aliases expanded carries a notice.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TaskDefinition } from '../../../lambdas/core/model';
import { loadInputs } from '../../../scan/inputs/load';

const ALIASED_TEMPLATE = [
  'Resources:',
  '  Web:',
  '    Type: AWS::ECS::TaskDefinition',
  '    Properties:',
  '      ContainerDefinitions:',
  '        - &app',
  '          Name: app',
  '          Image: app:1',
  '          User: "0"',
  '        - <<: *app',
  '          Name: sidecar',
  '',
].join('\n');

const BILLION_LAUGHS = [
  'l0: &l0 [{name: app, image: app:1}, {name: app, image: app:1}, {name: app, image: app:1}, {name: app, image: app:1}]',
  ...Array.from({ length: 9 }, (_, level) => `l${level + 1}: &l${level + 1} [*l${level}, *l${level}, *l${level}, *l${level}, *l${level}, *l${level}, *l${level}, *l${level}]`),
  'family: bomb',
  'containerDefinitions: *l9',
  '',
].join('\n');

/** `user "\xFF0"`, decided COMPLIANT when the byte was replaced. */
const BEFORE_BAD_BYTE = '{"family": "bytes", "containerDefinitions": [{"name": "app", "image": "app:1", "user": "';

const deepTemplate = (levels: number) =>
  `{"Resources": {"Deep": {"Type": "AWS::ECS::TaskDefinition", "Properties": {"ContainerDefinitions": [{"Name": "app", "Image": "app:1", "User":\n${'['.repeat(levels)}${']'.repeat(levels)}}]}}}}`;

describe('a directory with unreadable inputs beside readable ones', () => {
  let directory: string;
  beforeAll(() => {
    directory = mkdtempSync(join(tmpdir(), 'load-'));
    writeFileSync(join(directory, 'aliased.yaml'), ALIASED_TEMPLATE);
    writeFileSync(join(directory, 'bomb.yaml'), BILLION_LAUGHS);
    writeFileSync(join(directory, 'deep.json'), deepTemplate(5000));
    writeFileSync(join(directory, 'not-utf8.json'), Buffer.concat([Buffer.from(BEFORE_BAD_BYTE), Buffer.from([0xff]), Buffer.from('0"}]}')]));
    writeFileSync(join(directory, 'readable.json'), JSON.stringify({ family: 'fine', containerDefinitions: [{ name: 'app', image: 'app:1', user: '1000' }] }));
  });
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  const load = () => loadInputs(['.'], { cwd: directory, readStdin: () => '', partial: true });

  test('each unreadable file is listed with its line and why, and none of it becomes a resource', () => {
    const { unread, targets } = load();

    expect([...unread].sort((a, b) => (a.file ?? '').localeCompare(b.file ?? ''))).toEqual([
      { file: 'bomb.yaml', line: 6, reason: expect.stringMatching(/^aliases expand it to more than 100,000 nodes/) },
      { file: 'deep.json', line: 2, reason: 'nested deeper than 100 levels: no real template or document nests that deep, so it is not read' },
      { file: 'not-utf8.json', line: 1, reason: expect.stringMatching(`^not valid UTF-8: byte 0xFF at byte offset ${BEFORE_BAD_BYTE.length} `) },
    ]);
    expect(targets.map((target) => target.name).sort()).toEqual(['Web', 'fine']);
  });

  test('the template with an alias and a merge key is read as `aws cloudformation package` expands it, with a notice at the first of them', () => {
    const { targets, notices } = load();

    const web = targets.find((target) => target.name === 'Web')?.resource as TaskDefinition;
    expect(web.containers.map((container) => [container.name, container.user])).toEqual([
      ['app', '0'],
      ['sidecar', '0'],
    ]);
    expect(notices).toEqual([
      {
        file: 'aliased.yaml',
        line: 10,
        message:
          'a merge key (YAML anchors and merge keys), read expanded: CloudFormation itself refuses templates with YAML aliases and has no merge keys, so deploy it through `aws cloudformation package` or `sam deploy`, which expand them, or expand them in the file',
      },
    ]);
  });

  test('without `partial`, loading throws one error naming every unreadable file', () => {
    expect(() => loadInputs(['.'], { cwd: directory, readStdin: () => '' })).toThrow(/3 files could not be read:\n {2}bomb\.yaml:6: .*\n {2}deep\.json:2: .*\n {2}not-utf8\.json:1: /);
  });
});

test('a deep template that is readable below the limit is read', () => {
  const directory = mkdtempSync(join(tmpdir(), 'load-'));
  try {
    // The template, Resources, Deep, Properties, ContainerDefinitions, the container, and 94 lists: 100 in all.
    writeFileSync(join(directory, 'deep.json'), deepTemplate(94));

    const { unread, targets } = loadInputs(['deep.json'], { cwd: directory, readStdin: () => '', partial: true });

    expect(unread).toEqual([]);
    expect(targets.map((target) => target.name)).toEqual(['Deep']);
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
});

describe('a template read on its own that holds nested stacks', () => {
  const TEMPLATE = [
    'Resources:',
    '  Cluster:',
    '    Type: AWS::ECS::Cluster',
    '    Properties:',
    '      ClusterSettings: [{ Name: containerInsights, Value: enabled }]',
    '  Workers:',
    '    Type: AWS::CloudFormation::Stack',
    '    Properties:',
    '      TemplateURL: https://example-bucket.s3.amazonaws.com/workers.yaml',
    '  Api:',
    '    Type: AWS::Serverless::Application',
    '    Properties:',
    '      Location: ./api/template.yaml',
    '',
  ].join('\n');

  test('says, at each nested stack, that its resources were not checked', () => {
    const directory = mkdtempSync(join(tmpdir(), 'load-'));
    try {
      writeFileSync(join(directory, 'parent.yaml'), TEMPLATE);

      const { targets, notices, unread } = loadInputs(['parent.yaml'], { cwd: directory, readStdin: () => '', partial: true });

      expect(targets.map((target) => target.name)).toEqual(['Cluster']);
      expect(unread).toEqual([]);
      expect(notices).toEqual([
        { file: 'parent.yaml', line: 6, message: expect.stringMatching(/^Workers is a nested stack \(AWS::CloudFormation::Stack\): the resources of the template its TemplateURL names are not in this file and were not checked; scan that template too/) },
        { file: 'parent.yaml', line: 10, message: expect.stringMatching(/^Api is a nested stack \(AWS::Serverless::Application\): the resources of the template its Location names/) },
      ]);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});

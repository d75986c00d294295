/**
 * Nothing found is skipped in silence: through the programmatic scan (`loadInputs` with `partial`),
 * what cannot be read is listed beside what can, naming the file, line and why, and the CLI exits 2.
 * Symbolic links in a directory, cloud assembly paths, nested assemblies and nested stacks.
 */
import { mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { loadInputs } from '../../../lib/scan-api';
import { runCli, writeTree } from '../../cli/run-cli';

/** A task definition ECS.4 fails: a privileged container. */
const privilegedTemplate = (logicalId = 'Task') => ({ Resources: { [logicalId]: { Type: 'AWS::ECS::TaskDefinition', Properties: { ContainerDefinitions: [{ Name: 'app', Image: 'nginx', Privileged: true }] } } } });
const nestedStack = (extra: Record<string, unknown>) => ({ Type: 'AWS::CloudFormation::Stack', ...extra });
const stackArtifact = (templateFile: string) => ({ type: 'aws:cloudformation:stack', properties: { templateFile } });
const manifest = (artifacts: Record<string, unknown>) => ({ version: '55.0.0', artifacts });

let tree: ReturnType<typeof writeTree>;
afterEach(() => tree.remove());

function load(...paths: string[]) {
  const loaded = loadInputs(paths, { cwd: tree.dir, readStdin: () => '', partial: true });
  return { ...loaded, names: loaded.targets.map((target) => [target.location.file, target.location.stack, target.location.logicalId]) };
}

async function scanExit(path: string) {
  const run = await runCli(['scan', '--format', 'json', '--controls', 'ECS.4', path], { cwd: tree.dir });
  return { code: run.code, errors: (JSON.parse(run.stdout) as { errors: unknown[] }).errors };
}

describe('symbolic links in a scanned directory', () => {
  test('a link to a file inside the directory is read, once', async () => {
    tree = writeTree({ 'infra/real/task.json': privilegedTemplate() });
    symlinkSync(join('real', 'task.json'), join(tree.dir, 'infra', 'alias.json'));

    const { names, unread } = load('infra');

    expect(names).toEqual([['infra/alias.json', undefined, 'Task']]);
    expect(unread).toEqual([]);
  });

  test('a directory whose only file links outside it: the link is listed as not read, and the scan exits 2', async () => {
    tree = writeTree({ 'shared/task.json': privilegedTemplate() });
    mkdirSync(join(tree.dir, 'infra'));
    symlinkSync(join('..', 'shared', 'task.json'), join(tree.dir, 'infra', 'task.json'));

    expect(load('infra')).toMatchObject({ targets: [], unread: [{ file: 'infra/task.json', reason: expect.stringMatching(/^a symbolic link to .*shared\/task\.json, outside the scanned directory infra: not followed$/) }] });
    expect(await scanExit('infra')).toEqual({ code: 2, errors: [expect.objectContaining({ file: 'infra/task.json' })] });
  });

  test('a link to a directory that contains it is a loop, listed, not followed; files around it are read', () => {
    tree = writeTree({ 'infra/app/task.json': privilegedTemplate() });
    symlinkSync('..', join(tree.dir, 'infra', 'app', 'up'));

    const { names, unread } = load('infra');

    expect(names).toEqual([['infra/app/task.json', undefined, 'Task']]);
    expect(unread).toEqual([{ file: 'infra/app/up', reason: expect.stringMatching(/^a symbolic link to .*infra, a directory that contains it \(a loop\): not followed$/) }]);
  });

  test('a link to nothing, named like a file the walk reads, is listed; other names are not the walk’s business', () => {
    tree = writeTree({ 'infra/README.md': 'docs' });
    symlinkSync('gone.json', join(tree.dir, 'infra', 'task.json'));
    symlinkSync('gone.md', join(tree.dir, 'infra', 'notes.md'));

    expect(load('infra').unread).toEqual([{ file: 'infra/task.json', reason: 'a symbolic link to nothing readable (ENOENT)' }]);
  });
});

describe('a cloud assembly', () => {
  test('a stack whose templateFile leaves the assembly is listed as not read, naming the manifest', async () => {
    tree = writeTree({ 'outside.template.json': privilegedTemplate(), 'cdk.out/manifest.json': manifest({ Web: stackArtifact('../outside.template.json'), Api: { type: 'aws:cloudformation:stack', properties: {} } }) });

    expect(load('cdk.out')).toMatchObject({
      targets: [],
      unread: [
        { file: 'cdk.out/manifest.json', reason: 'stack Web: its templateFile ../outside.template.json is outside the assembly, so it was not read' },
        { file: 'cdk.out/manifest.json', reason: 'stack Api has no properties.templateFile, so its template was not read' },
      ],
    });
    expect((await scanExit('cdk.out')).code).toBe(2);
  });

  test('a manifest.json that cannot be parsed is listed once; the directory’s other files are read', () => {
    tree = writeTree({ 'infra/manifest.json': '{ "version": ', 'infra/task.json': privilegedTemplate() });

    const { names, unread } = load('infra');

    expect(names).toEqual([['infra/task.json', undefined, 'Task']]);
    expect(unread).toEqual([{ file: 'infra/manifest.json', line: 1, reason: expect.stringMatching(/^not valid JSON/) }]);
  });

  test('a nested assembly that is the assembly itself is listed once, not followed into a stack overflow', () => {
    tree = writeTree({ 'cdk.out/Web.template.json': privilegedTemplate(), 'cdk.out/manifest.json': manifest({ Web: stackArtifact('Web.template.json'), Self: { type: 'cdk:cloud-assembly', properties: { directoryName: '.' } } }) });

    const { names, unread } = load('cdk.out');

    expect(names).toEqual([['cdk.out/Web.template.json', 'Web', 'Task']]);
    expect(unread).toEqual([{ file: 'cdk.out/manifest.json', reason: 'nested assembly Self: . is this assembly or one that lists it, so it was not read again' }]);
  });

  test('nested stacks at any depth, through aws:asset:path or the asset manifest’s object key', () => {
    tree = writeTree({
      'cdk.out/manifest.json': manifest({ 'Web.assets': { type: 'cdk:asset-manifest', properties: { file: 'Web.assets.json' } }, Web: stackArtifact('Web.template.json') }),
      'cdk.out/Web.assets.json': { version: '55.0.0', files: { abc123: { source: { path: 'Inner.nested.template.json', packaging: 'file' }, destinations: { current: { bucketName: 'assets', objectKey: 'abc123.json' } } } } },
      'cdk.out/Web.template.json': { Resources: { Outer: nestedStack({ Metadata: { 'aws:asset:path': 'Outer.nested.template.json' }, Properties: { TemplateURL: 'https://s3.amazonaws.com/assets/def456.json' } }) } },
      'cdk.out/Outer.nested.template.json': { Resources: { Inner: nestedStack({ Properties: { TemplateURL: { 'Fn::Join': ['', ['https://s3.', { Ref: 'AWS::URLSuffix' }, '/assets/abc123.json']] } } }) } },
      'cdk.out/Inner.nested.template.json': privilegedTemplate(),
    });

    const { names, unread } = load('cdk.out');

    // Without recorded template files, a nested stack is named by its parent and its logical id.
    expect(names).toEqual([['cdk.out/Inner.nested.template.json', 'Web/Outer/Inner', 'Task']]);
    expect(unread).toEqual([]);
  });

  test('a nested stack whose template is only in S3 is listed as not read, naming the template and line', async () => {
    tree = writeTree({
      'cdk.out/manifest.json': manifest({ Web: stackArtifact('Web.template.json') }),
      'cdk.out/Web.template.json': JSON.stringify({ Resources: { ...privilegedTemplate().Resources, Remote: nestedStack({ Properties: { TemplateURL: 'https://s3.amazonaws.com/elsewhere/remote.json' } }) } }, null, 2),
    });

    const { names, unread } = load('cdk.out');

    expect(names).toEqual([['cdk.out/Web.template.json', 'Web', 'Task']]);
    expect(unread).toEqual([
      { file: 'cdk.out/Web.template.json', line: 15, reason: 'nested stack Remote: its TemplateURL is no template of the cloud assembly (no aws:asset:path metadata, no file asset with its object key), so its resources were not read' },
    ]);
    expect((await scanExit('cdk.out')).code).toBe(2);
  });

  test.each([
    ['itself', 'Web.template.json', 'its template cdk.out/Web.template.json is this template or one that nests it, so it was not read again'],
    ['a file outside the assembly', '../elsewhere.json', 'its template ../elsewhere.json is outside the assembly, so it was not read'],
  ])('a nested stack whose template is %s is listed, not followed', (_, assetPath, reason) => {
    tree = writeTree({
      'elsewhere.json': privilegedTemplate(),
      'cdk.out/manifest.json': manifest({ Web: stackArtifact('Web.template.json') }),
      'cdk.out/Web.template.json': { Resources: { Loop: nestedStack({ Metadata: { 'aws:asset:path': assetPath }, Properties: { TemplateURL: 'https://s3.amazonaws.com/a/b.json' } }) } },
    });

    expect(load('cdk.out')).toMatchObject({ targets: [], unread: [{ file: 'cdk.out/Web.template.json', line: 3, reason: `nested stack Loop: ${reason}` }] });
  });
});

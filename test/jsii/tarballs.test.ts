/**
 * The tarballs the jsii kernel check loads (dev-support/jsii-tarballs.ts): the published tarballs of
 * the jsii packages a manifest depends on, dependencies first, and a package tarball's own name and version.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { packInstalled, packJsiiDependencies, tarballPackage } from '../../dev-support/jsii-tarballs';
import { REPOSITORY } from '../cli/run-cli';

const work = mkdtempSync(join(tmpdir(), 'jsii-tarballs-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const installedVersion = (name: string, from = REPOSITORY) => require(require.resolve(`${name}/package.json`, { paths: [from] })).version;

test("a package's jsii dependencies are packed transitively, once each, each after what it loads, non-jsii packages left out", () => {
  const manifest = { name: 'consumer', version: '1.0.0', dependencies: { yaml: '*' }, peerDependencies: { 'aws-cdk-lib': '*', constructs: '*' } };

  const packed = packJsiiDependencies(manifest, REPOSITORY, work);

  const cdk = join(REPOSITORY, 'node_modules', 'aws-cdk-lib');
  expect(packed.map(({ name, version }) => `${name}@${version}`)).toEqual([
    `@aws-cdk/asset-awscli-v1@${installedVersion('@aws-cdk/asset-awscli-v1', cdk)}`,
    `@aws-cdk/asset-node-proxy-agent-v6@${installedVersion('@aws-cdk/asset-node-proxy-agent-v6', cdk)}`,
    `@aws-cdk/cloud-assembly-schema@${installedVersion('@aws-cdk/cloud-assembly-schema', cdk)}`,
    `constructs@${installedVersion('constructs')}`,
    `aws-cdk-lib@${installedVersion('aws-cdk-lib')}`,
  ]);
  // Each is the published tarball, which names itself.
  expect(packed.map(({ tarball }) => tarballPackage(tarball).load.name)).toEqual(packed.map(({ name }) => name));
});

test('a dependency not installed is named with its dependent', () => {
  const manifest = { name: 'consumer', version: '1.0.0', dependencies: { 'no-such-package-installed': '*' } };

  expect(() => packJsiiDependencies(manifest, work, work)).toThrow(/^no-such-package-installed \(a dependency of consumer\) is not installed in a node_modules folder above /);
});

test("a tarball's name and version come from its package.json; a file that is no tarball is named", () => {
  const constructs = packInstalled('constructs', work, REPOSITORY);
  const notTarball = join(work, 'notes.tgz');
  writeFileSync(notTarball, 'not gzip');

  expect(tarballPackage(constructs.tarball)).toMatchObject({ load: { name: 'constructs', version: installedVersion('constructs'), tarball: constructs.tarball }, manifest: { jsii: expect.anything() } });
  expect(basename(constructs.tarball)).toBe(`constructs-${installedVersion('constructs')}.tgz`);
  expect(() => tarballPackage(notTarball)).toThrow(`${notTarball}: not an npm package tarball (no readable package/package.json)`);
});

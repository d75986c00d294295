/**
 * The npm tarballs a jsii kernel loads. A runtime installs each jsii package from its published
 * tarball (a Python wheel of a jsii library embeds it) and loads the package's jsii dependencies
 * first (the wheel depends on theirs), so the kernel is given exactly what npm publishes, in that order.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { LoadRequest } from './jsii-kernel';

export interface Manifest {
  readonly name: string;
  readonly version: string;
  /** Present on a jsii module (its compiler settings). */
  readonly jsii?: unknown;
  readonly dependencies?: Readonly<Record<string, string>>;
  readonly peerDependencies?: Readonly<Record<string, string>>;
}

/**
 * `npm pack`s the published tarballs of `packages` (name and version) into `destination`, in one npm
 * run (npm takes them from its cache, where installing the project put them).
 */
export function packPublished(packages: readonly Pick<Manifest, 'name' | 'version'>[], destination: string): LoadRequest[] {
  if (packages.length === 0) return []; // `npm pack` with no spec would pack the current folder
  const specs = packages.map(({ name, version }) => `${name}@${version}`);
  const output = execFileSync('npm', ['pack', ...specs, '--pack-destination', destination, '--prefer-offline', '--json', '--loglevel=error'], { encoding: 'utf8' });
  const packed = JSON.parse(output) as { name: string; version: string; filename: string }[];
  return packages.map(({ name, version }) => {
    const tarball = packed.find((entry) => entry.name === name && entry.version === version);
    if (!tarball) throw new Error(`npm pack ${specs.join(' ')} wrote no tarball of ${name}@${version}: ${output}`);
    return { name, version, tarball: join(destination, tarball.filename) };
  });
}

/** The published tarball of the version of `name` installed where `resolveFrom` resolves it. */
export function packInstalled(name: string, destination: string, resolveFrom = process.cwd()): LoadRequest {
  const [packed] = packPublished([installedManifest(name, resolveFrom).manifest], destination);
  return packed;
}

/**
 * The published tarballs of the jsii packages `manifest` depends on (dependencies and peers that
 * carry a `jsii` field), transitively, each once, dependencies first: the order to `load` them in.
 * Each is the version installed where its dependent resolves it, as Node.js would.
 */
export function packJsiiDependencies(manifest: Manifest, resolveFrom: string, destination: string): LoadRequest[] {
  const ordered = new Map<string, Manifest>();
  const visit = (dependent: Manifest, directory: string): void => {
    for (const name of Object.keys({ ...dependent.dependencies, ...dependent.peerDependencies })) {
      if (ordered.has(name)) continue;
      const installed = installedManifest(name, directory, dependent.name);
      if (installed.manifest.jsii === undefined) continue;
      visit(installed.manifest, installed.directory);
      ordered.set(name, installed.manifest);
    }
  };
  visit(manifest, resolveFrom);
  return packPublished([...ordered.values()], destination);
}

/** The manifest of a package tarball (its `package/package.json`), with the tarball's path. */
export function tarballPackage(tarball: string): { readonly load: LoadRequest; readonly manifest: Manifest } {
  let manifest: Partial<Manifest>;
  try {
    manifest = JSON.parse(execFileSync('tar', ['-xzOf', tarball, 'package/package.json'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }));
  } catch (error) {
    throw new Error(`${tarball}: not an npm package tarball (no readable package/package.json): ${(error as Error).message}`);
  }
  if (typeof manifest.name !== 'string' || typeof manifest.version !== 'string') throw new Error(`${tarball}: package/package.json has no string "name" and "version"`);
  return { load: { name: manifest.name, version: manifest.version, tarball }, manifest: manifest as Manifest };
}

/**
 * Finds `name` in the node_modules folders from `directory` up, as Node.js resolves a package (read
 * directly: a package's `exports` may not expose its package.json).
 */
function installedManifest(name: string, directory: string, dependent?: string): { readonly manifest: Manifest; readonly directory: string } {
  for (let folder = directory; ; folder = dirname(folder)) {
    const candidate = join(folder, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return { manifest: JSON.parse(readFileSync(join(candidate, 'package.json'), 'utf8')), directory: candidate };
    if (dirname(folder) === folder) throw new Error(`${name}${dependent ? ` (a dependency of ${dependent})` : ''} is not installed in a node_modules folder above ${directory}`);
  }
}

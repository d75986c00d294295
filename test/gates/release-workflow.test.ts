/**
 * .github/workflows/release.yml publishes only a tag that names package.json's version, whose
 * CHANGELOG section exists: its check step, run here as the workflow runs it, passes the right tag
 * and refuses the others, naming why.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import { REPOSITORY, writeTree } from '../cli/run-cli';

const run = promisify(execFile);
const workflow = parse(readFileSync(join(REPOSITORY, '.github', 'workflows', 'release.yml'), 'utf8'));
const steps: Array<{ name?: string; run?: string; uses?: string }> = workflow.jobs.publish.steps;
const check = steps.find((step) => step.name?.startsWith('The tag, package.json and the CHANGELOG'))!;
const { version } = JSON.parse(readFileSync(join(REPOSITORY, 'package.json'), 'utf8'));

async function checkStep(cwd: string, tag: string): Promise<{ code: number; stdout: string }> {
  try {
    const { stdout } = await run('bash', ['-e', '-c', check.run!], { cwd, env: { ...process.env, TAG: tag } });
    return { code: 0, stdout };
  } catch (error) {
    const failed = error as { code: number; stdout: string };
    return { code: failed.code, stdout: failed.stdout };
  }
}

test('runs on version tags only, and publishes with provenance after the CI run', () => {
  expect(workflow.on).toEqual({ push: { tags: ['v*.*.*'] } });
  expect(workflow.permissions).toEqual({ contents: 'read', 'id-token': 'write' });
  const runs = steps.map((step) => step.run).filter(Boolean);
  expect(runs.indexOf('.ci/run')).toBeLessThan(runs.indexOf('npm publish --provenance --access public'));
});

test("the repository's own tag passes the check", async () => {
  expect(await checkStep(REPOSITORY, `v${version}`)).toEqual({ code: 0, stdout: '' });
});

test('a tag for another version is refused, naming both', async () => {
  const { code, stdout } = await checkStep(REPOSITORY, 'v0.1.0');
  expect(code).toBe(1);
  expect(stdout).toContain(`::error::tag v0.1.0 does not name package.json's version ${version}`);
});

test('a version without its CHANGELOG section is refused', async () => {
  const tree = writeTree({ 'package.json': JSON.stringify({ version: '9.9.9' }), 'CHANGELOG.md': '# Changelog\n\n## [Unreleased]\n\n## [0.2.0]\n' });
  try {
    const { code, stdout } = await checkStep(tree.dir, 'v9.9.9');
    expect(code).toBe(1);
    expect(stdout).toContain("::error::CHANGELOG.md has no '## [9.9.9]' section");
  } finally {
    tree.remove();
  }
});

/**
 * Every action that action.yml and the repository's workflows use is pinned by a full commit SHA,
 * with the tag it was read from in a comment: a tag can be moved to other code, a commit cannot
 * (https://docs.github.com/en/actions/reference/security/secure-use#using-third-party-actions).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPOSITORY } from '../cli/run-cli';

const WORKFLOWS = join(REPOSITORY, '.github', 'workflows');
const files = ['action.yml', ...(existsSync(WORKFLOWS) ? readdirSync(WORKFLOWS).map((name) => join('.github', 'workflows', name)) : [])];

/** `uses:` lines of steps (not comments): `file:line: text`. */
function usesLines(file: string): string[] {
  return readFileSync(join(REPOSITORY, file), 'utf8')
    .split('\n')
    .map((line, index) => ({ line, number: index + 1 }))
    .filter(({ line }) => /^\s*(-\s*)?uses:/.test(line))
    .map(({ line, number }) => `${file}:${number}: ${line.trim()}`);
}

const PINNED = /uses: [\w.-]+\/[\w./-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$/;

test('action.yml uses actions, so this test checks something', () => {
  expect(usesLines('action.yml').length).toBeGreaterThan(0);
});

test.each(files)('%s: every action is pinned by commit with its tag in a comment', (file) => {
  expect(usesLines(file).filter((line) => !PINNED.test(line))).toEqual([]);
});

test('the pattern refuses a tag, a short SHA and a pin without its tag', () => {
  for (const unpinned of ['uses: actions/setup-node@v4', 'uses: actions/setup-node@49933ea # v4.4.0', 'uses: actions/setup-node@49933ea5288caeca8642d1e84afbd3f7d6820020']) {
    expect(unpinned).not.toMatch(PINNED);
  }
});

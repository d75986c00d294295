/**
 * The lock file must install with any current npm: an entry without a version (once hand-added for an
 * older registry state) makes `npm ci` fail with "Invalid Version:" for every newcomer.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

interface LockEntry { version?: string; link?: boolean }

const lock = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package-lock.json'), 'utf8')) as {
  lockfileVersion: number;
  packages: Record<string, LockEntry>;
};

describe('package-lock.json', () => {
  it('is a lockfileVersion 3 lock written by npm 7 or later', () => {
    expect(lock.lockfileVersion).toBe(3);
  });

  it('gives every installed package a version', () => {
    const withoutVersion = Object.entries(lock.packages)
      .filter(([path, entry]) => path !== '' && !entry.link && typeof entry.version !== 'string')
      .map(([path]) => path);
    expect(withoutVersion).toEqual([]);
  });
});

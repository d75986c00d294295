import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONTROLS } from '../lambdas/controls';
import { controlsTable, END_MARKER, GENERATED_DOCUMENTS, START_MARKER, withTable } from '../scripts/controls-table';

const REPOSITORY = join(__dirname, '..');

test.each(GENERATED_DOCUMENTS.map((document) => [document.path.slice(REPOSITORY.length + 1), document] as const))(
  "%s's controls table matches the registry (run `npm run docs` to regenerate)",
  (_name, { path, toRoot }) => {
    const text = readFileSync(path, 'utf8');
    expect(text).toBe(withTable(text, toRoot));
  },
);

test('the table has one row per registry control, with its title, backing rule and parameter defaults, linked from where it stands', () => {
  const rows = controlsTable('../').split('\n').filter((line) => line.startsWith('| ['));
  expect(rows).toHaveLength(CONTROLS.length);
  const ecs8 = rows.find((row) => row.startsWith('| [ECS.8](../lambdas/controls/ecs-8.ts) |'));
  expect(ecs8).toContain('Secrets should not be passed as container environment variables');
  expect(ecs8).toContain('| `ecs-no-environment-secrets` (AWS Config managed rule) |');
  expect(rows.find((row) => row.startsWith('| [ECS.16]'))).toContain('| `ecs-taskset-assign-public-ip-disabled` (Security Hub CSPM custom rule) |');
  expect(ecs8).toContain('`secretKeys`=`AWS_ACCESS_KEY_ID,AWS_SECRET_ACCESS_KEY,ECS_ENGINE_AUTH_DATA`');
  expect(controlsTable()).toMatch(new RegExp(`^${CONTROLS.length} controls, in Security Hub order:`));
});

test('the table says why a retired Security Hub control is absent', () => {
  expect(controlsTable()).toContain('\n\nECS.1 is not here: Security Hub retired ECS.1 in March 2026; ECS.4, ECS.17, ECS.20 and ECS.21 check what it checked.');
});

/** README.md, CONTRIBUTING.md and docs/*.md without their generated blocks: the text people write. */
function handWrittenDocs(): [string, string][] {
  const files = ['README.md', 'CONTRIBUTING.md', ...readdirSync(join(REPOSITORY, 'docs')).map((name) => `docs/${name}`)].filter((name) => name.endsWith('.md'));
  return files.map((name) => {
    const text = readFileSync(join(REPOSITORY, name), 'utf8');
    const start = text.indexOf(START_MARKER);
    return [name, start < 0 ? text : text.slice(0, start) + text.slice(text.indexOf(END_MARKER))];
  });
}

test('no document types the number of controls: the generated table states it', () => {
  const count = new RegExp(`\\b(all ${CONTROLS.length}|${CONTROLS.length} (rules|controls|functions|rule functions|Lambda functions))\\b`, 'i');
  expect(handWrittenDocs().filter(([, text]) => count.test(text)).map(([name, text]) => `${name}: ${count.exec(text)?.[0]}`)).toEqual([]);
});

test("no document calls one of Security Hub's own rules an AWS Config managed rule", () => {
  const securityHubRules = CONTROLS.filter((control) => control.backingRule.kind === 'security-hub-custom').map((control) => control.backingRule.name);
  const misnamed = handWrittenDocs().flatMap(([name, text]) =>
    text
      .split('\n')
      .filter((line) => /managed rule/i.test(line) && securityHubRules.some((rule) => line.includes(rule)))
      .map((line) => `${name}: ${line}`),
  );
  expect(securityHubRules).toEqual(['ecs-service-assign-public-ip-disabled', 'tagged-ecs-service', 'tagged-ecs-cluster', 'tagged-ecs-taskdefinition', 'ecs-taskset-assign-public-ip-disabled']);
  expect(misnamed).toEqual([]);
});

test('the README stays a front door: at most 250 lines, the two commands first', () => {
  const readme = readFileSync(join(REPOSITORY, 'README.md'), 'utf8');
  expect(readme.split('\n').length).toBeLessThanOrEqual(250);
  expect(readme.split('```')[1]).toMatch(/^sh\nnpm ci && npm start .*\nnpm test /);
});

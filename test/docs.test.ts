import { readFileSync } from 'node:fs';
import { CONTROLS } from '../lambdas/controls';
import { controlsTable, README_PATH, readmeWithTable } from '../scripts/controls-table';

test('the README controls table matches the registry (run `npm run docs` to regenerate)', () => {
  const readme = readFileSync(README_PATH, 'utf8');
  expect(readme).toBe(readmeWithTable(readme));
});

test('the table has one row per registry control, with its title and parameter defaults', () => {
  const rows = controlsTable().split('\n').slice(2);
  expect(rows).toHaveLength(CONTROLS.length);
  expect(rows.find((row) => row.includes('[ECS.8]'))).toContain('`secretKeys`=`AWS_ACCESS_KEY_ID,AWS_SECRET_ACCESS_KEY,ECS_ENGINE_AUTH_DATA`');
});

/**
 * Every file under examples/ through the adapters, against the verdict table in examples/README.md:
 * the table is the data, so the docs and the examples cannot drift apart.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseText } from '../../scan/inputs/parse';
import { resourcesFromTemplate } from '../../lambdas/adapters/cloudformation';
import { resourcesFromEcsApiDocument } from '../../lambdas/adapters/ecs-api';
import { isJsonObject } from '../../lambdas/adapters/reader';
import { CONTROLS } from '../../lambdas/controls';
import { Outcome } from '../../lambdas/core/control';
import { Resource } from '../../lambdas/core/model';

const EXAMPLES = join(__dirname, '..', '..', 'examples');

function inputFiles(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) return inputFiles(path);
    return /\.(json|ya?ml)$/.test(entry.name) ? [relative(EXAMPLES, path)] : [];
  });
}

/** YAML short forms are turned into long form by the CLI's parser, as `scan` reads them. */
function resourcesIn(file: string): Resource[] {
  const { value } = parseText(readFileSync(join(EXAMPLES, file), 'utf8'), file);
  if (isJsonObject(value) && isJsonObject(value.Resources)) return resourcesFromTemplate(value).map(({ resource }) => resource);
  return resourcesFromEcsApiDocument(value).map(({ resource }) => resource);
}

/** `| \`file\` | \`resource\` | ECS.5, ECS.9 | ECS.18 |` rows of the README's "Expected verdicts". */
function expectedVerdicts(): Map<string, { failing: string[]; notApplicable: string[] }> {
  const controlIds = (cell: string) => (cell.trim() === '—' ? [] : cell.split(',').map((id) => id.trim()));
  const rows = readFileSync(join(EXAMPLES, 'README.md'), 'utf8').matchAll(/^\| `([^`]+)` \| `([^`]+)` \| ([^|]+) \| ([^|]+) \|$/gm);
  return new Map([...rows].map(([, file, resource, failing, notApplicable]) => [`${file} ${resource}`, { failing: controlIds(failing), notApplicable: controlIds(notApplicable) }]));
}

const actual = new Map<string, Resource>(inputFiles(EXAMPLES).flatMap((file) => resourcesIn(file).map((resource) => [`${file} ${resource.displayName}`, resource] as const)));
const expected = expectedVerdicts();

describe('examples/', () => {
  it('has a README row for every resource, and a resource for every README row', () => {
    expect(expected.size).toBeGreaterThanOrEqual(15);
    expect([...actual.keys()].sort()).toEqual([...expected.keys()].sort());
  });

  it.each([...expected.entries()])('%s', (key, { failing, notApplicable }) => {
    const resource = actual.get(key);
    if (!resource) throw new Error(`examples/ has no ${key}`);
    const verdictOf = (id: string): Outcome => (failing.includes(id) ? 'NON_COMPLIANT' : notApplicable.includes(id) ? 'NOT_APPLICABLE' : 'COMPLIANT');
    const controls = CONTROLS.filter((control) => control.resourceType === resource.kind);

    expect(Object.fromEntries(controls.map((control) => [control.id, control.evaluate(resource).compliance]))).toEqual(
      Object.fromEntries(controls.map((control) => [control.id, verdictOf(control.id)])),
    );
  });
});

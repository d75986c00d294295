/**
 * Each rule's function is bundled from `lambdas/handlers/<slug>.ts`; that entry must exist for every
 * registry control, and bind that control and no other, or a rule would evaluate the wrong control.
 */
import * as fs from 'fs';
import * as path from 'path';
import { CONTROLS } from '../../lambdas/controls';

const HANDLERS_DIR = path.join(__dirname, '..', '..', 'lambdas', 'handlers');

test('lambdas/handlers holds exactly one entry per registry control', () => {
  const entries = fs.readdirSync(HANDLERS_DIR).sort();
  expect(entries).toEqual(CONTROLS.map((control) => `${control.slug}.ts`).sort());
});

describe.each(CONTROLS.map((control) => [control.id, control] as const))('%s', (_id, control) => {
  const source = () => fs.readFileSync(path.join(HANDLERS_DIR, `${control.slug}.ts`), 'utf8');

  test('its entry imports its own control module and no other', () => {
    // The registry (`../controls`) counts too: importing it would bundle every control.
    const controlImports = [...source().matchAll(/from '\.\.\/controls(?:\/([^']+))?'/g)].map((match) => match[1] ?? 'index');
    expect(controlImports).toEqual([control.slug]);
  });

  test('its entry exports `handler` built from the control the registry holds', async () => {
    const bound = /^export const handler = createRuleHandler\((\w+)\);$/m.exec(source())?.[1];
    expect(bound).toBeDefined();
    const controlModule = await import(`../../lambdas/controls/${control.slug}`);
    expect(controlModule[bound!]).toBe(control);
  });
});

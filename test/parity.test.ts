/**
 * Adapter-level parity: one task definition as a Config event item, a GetResourceConfigHistory item,
 * an ECS describe-task-definition response, a CloudFormation resource and a Terraform plan's resource
 * gets the same verdict from every control. Annotations agree too, except that a template has no
 * revision (`checkout-api` where the registered shapes say `checkout-api:7`) and a Terraform resource
 * is named by its address.
 */
import { resourcesFromTemplate } from '../lambdas/adapters/cloudformation';
import { configurationItemFromEvent, configurationItemFromHistory, resourceFromConfigurationItem } from '../lambdas/adapters/config-item';
import { taskDefinitionFromEcsApi } from '../lambdas/adapters/ecs-api';
import { resourcesFromTerraform } from '../lambdas/adapters/terraform';
import { CONTROLS } from '../lambdas/controls';
import { Outcome, Verdict } from '../lambdas/core/control';
import { Resource } from '../lambdas/core/model';
import { loadFixture } from './fixtures/load';

const template = loadFixture('cloudformation', 'parity');
const terraformPlan = loadFixture('terraform', 'parity-plan');

function fromTerraform(address: string): Resource {
  const found = resourcesFromTerraform(terraformPlan).find((candidate) => candidate.address === address);
  if (!found?.resource) throw new Error(`parity plan has no ${address}`);
  return found.resource;
}

function fromTemplate(logicalId: string): Resource {
  const found = resourcesFromTemplate(template).find((candidate) => candidate.logicalId === logicalId);
  if (!found) throw new Error(`parity template has no ${logicalId}`);
  return found.resource;
}

/** The same task definition in each source shape. */
function shapesOf(variant: string, logicalId: string, address: string): Record<string, Resource> {
  const history = loadFixture('config-history', variant) as { configurationItems: unknown[] };
  return {
    'Config event item': resourceFromConfigurationItem(configurationItemFromEvent(loadFixture('config-item', variant))),
    'Config history item': resourceFromConfigurationItem(configurationItemFromHistory(history.configurationItems[0])),
    'ECS API response': taskDefinitionFromEcsApi(loadFixture('ecs-api', `describe-task-definition-${variant}`)),
    'CloudFormation resource': fromTemplate(logicalId),
    'Terraform plan resource': fromTerraform(address),
  };
}

/**
 * A template declares no revision: compare annotations with `family:N` read as `family`. A Terraform
 * resource is named by its address, read as its family; the longer name can push the end of an
 * annotation past the 256 characters AWS Config allows, so a cut annotation is compared up to the cut.
 */
function withoutRevision(verdict: Verdict, address: string, family: string): Verdict {
  const annotation = verdict.annotation.replace(/\b(checkout-api|windows-iis):\d+\b/g, '$1');
  if (!annotation.includes(address)) return { ...verdict, annotation };
  const named = annotation.split(address).join(family);
  return { ...verdict, annotation: named.endsWith('…') ? expect.stringMatching(new RegExp(`^${escapeRegExp(named.slice(0, -1))}`)) : named };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

const NA = 'NOT_APPLICABLE';
const PASS = 'COMPLIANT';
const FAIL = 'NON_COMPLIANT';

/** What each task definition gets, so parity cannot hold by everything being undecided. */
const VARIANTS: { name: string; variant: string; logicalId: string; address: string; family: string; expected: Record<string, Outcome> }[] = [
  {
    name: 'checkout-api, unhardened (the samples’ pattern)',
    variant: 'checkout-api',
    logicalId: 'CheckoutApi',
    address: 'aws_ecs_task_definition.checkout_api',
    family: 'checkout-api',
    expected: { 'ECS.3': PASS, 'ECS.4': PASS, 'ECS.5': FAIL, 'ECS.8': PASS, 'ECS.9': FAIL, 'ECS.15': FAIL, 'ECS.17': PASS, 'ECS.18': NA, 'ECS.20': FAIL, 'ECS.21': FAIL },
  },
  {
    name: 'checkout-api, hardened',
    variant: 'checkout-api-hardened',
    logicalId: 'CheckoutApiHardened',
    address: 'module.hardened.aws_ecs_task_definition.checkout_api',
    family: 'checkout-api',
    expected: { 'ECS.3': PASS, 'ECS.4': PASS, 'ECS.5': PASS, 'ECS.8': PASS, 'ECS.9': PASS, 'ECS.15': PASS, 'ECS.17': PASS, 'ECS.18': PASS, 'ECS.20': PASS, 'ECS.21': NA },
  },
  {
    name: 'windows-iis',
    variant: 'windows-iis',
    logicalId: 'WindowsIis',
    address: 'aws_ecs_task_definition.windows_iis',
    family: 'windows-iis',
    expected: { 'ECS.3': PASS, 'ECS.4': PASS, 'ECS.5': NA, 'ECS.8': PASS, 'ECS.9': PASS, 'ECS.15': FAIL, 'ECS.17': PASS, 'ECS.18': NA, 'ECS.20': NA, 'ECS.21': FAIL },
  },
];

describe.each(VARIANTS)('$name', ({ variant, logicalId, address, family, expected }) => {
  const shapes = shapesOf(variant, logicalId, address);

  it.each(CONTROLS.map((control) => [control.id, control] as const))('%s: the same verdict from every shape', (id, control) => {
    const verdicts = Object.fromEntries(Object.entries(shapes).map(([shape, resource]) => [shape, withoutRevision(control.evaluate(resource), address, family)]));
    const reference = verdicts['Config event item'];

    expect(reference.compliance).toBe(expected[id] ?? NA);
    expect(verdicts).toEqual(Object.fromEntries(Object.keys(shapes).map((shape) => [shape, reference])));
  });
});

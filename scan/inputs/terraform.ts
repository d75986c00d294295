/**
 * Terraform/OpenTofu documents → scan targets: `terraform show -json` output (a plan or a state) and
 * a bare container definitions file. The adapter (lambdas/adapters/terraform.ts) does the reading;
 * this places each resource: the file, the line of its entry, and its address as the logical id, so
 * reports (and SARIF's logical location) name `module.api.aws_ecs_service.web`.
 */
import { basename, extname } from 'node:path';
import { MalformedTerraformError, resourcesFromTerraform, taskDefinitionFromContainerDefinitions, TerraformResource } from '../../lambdas/adapters/terraform';
import { ScanTarget } from '../target';
import { InputError, ParsedText } from './parse';

/** Every ECS resource of a plan or state; a deleted one is a target every control finds not applicable. */
export function terraformTargets(parsed: ParsedText, file: string | undefined): ScanTarget[] {
  let resources: TerraformResource[];
  try {
    resources = resourcesFromTerraform(parsed.value);
  } catch (error) {
    if (error instanceof MalformedTerraformError) throw new InputError(error.message, file, undefined, { cause: error });
    throw error;
  }
  return resources.map(({ address, resourceType, documentPath, resource, notApplicable }) => {
    const line = parsed.lineOf(documentPath);
    return {
      resourceType,
      name: address,
      resource,
      ...(notApplicable !== undefined && { notApplicable }),
      location: { ...(file !== undefined && { file }), ...(line !== undefined && { line }), logicalId: address },
      suppressions: [],
    };
  });
}

/** A container definitions file (`file("containers.json")`): one task definition named after the file. */
export function containerDefinitionsTargets(parsed: ParsedText, file: string | undefined): ScanTarget[] {
  const name = file === undefined || file === '-' ? 'container-definitions' : basename(file, extname(file));
  const resource = taskDefinitionFromContainerDefinitions(parsed.value as unknown[], name);
  return [{ resourceType: 'AWS::ECS::TaskDefinition', name, resource, location: { ...(file !== undefined && { file }), line: 1 }, suppressions: [] }];
}

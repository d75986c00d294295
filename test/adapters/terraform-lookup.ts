/** One resource of a `terraform show -json` document, by address, for the Terraform adapter's tests. */
import { resourcesFromTerraform, TerraformResource } from '../../lambdas/adapters/terraform';
import { Resource } from '../../lambdas/core/model';

export function found(document: unknown, address: string): TerraformResource {
  const resource = resourcesFromTerraform(document).find((candidate) => candidate.address === address);
  if (!resource) throw new Error(`no ${address}`);
  return resource;
}

/** The model of an evaluated resource (a deleted one has none). */
export function modelOf(document: unknown, address: string): Resource {
  const { resource } = found(document, address);
  if (!resource) throw new Error(`${address} is not evaluated`);
  return resource;
}

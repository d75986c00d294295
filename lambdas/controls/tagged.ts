import { compliant, ControlDefinition, nonCompliant } from '../core/control';
import { Cluster, ResourceType, Service, Tags, TaskDefinition } from '../core/model';
import { ParameterSpec, stringListParameter } from '../core/parameters';

const TAG_PARAMETERS = {
  requiredTagKeys: stringListParameter({
    default: '',
    description: 'Comma-separated tag keys the resource must carry (case-sensitive, up to 6).',
    maxItems: 6,
  }),
};

type TagControl<T extends ResourceType> = ControlDefinition<T, typeof TAG_PARAMETERS>;

/** Tag keys a person chose: AWS system tags (`aws:` prefix) do not count. */
function userTagKeys(tags: Tags): string[] {
  return Object.keys(tags).filter((key) => !key.startsWith('aws:'));
}

/**
 * The shared body of ECS.13, ECS.14 and ECS.15 (Security Hub's tagging controls): at least one
 * user tag, and every key of `requiredTagKeys`.
 */
export function taggedControl<T extends 'AWS::ECS::Service' | 'AWS::ECS::Cluster' | 'AWS::ECS::TaskDefinition'>(
  metadata: Pick<TagControl<T>, 'id' | 'title' | 'resourceType' | 'backingRule'> & { noun: string },
): TagControl<T> {
  const { noun, ...rest } = metadata;
  return {
    ...rest,
    severity: 'LOW',
    remediation: `Tag the ${noun} with the keys your tagging policy requires.`,
    parameters: TAG_PARAMETERS satisfies Record<string, ParameterSpec<unknown>>,
    evaluate(taggable, { requiredTagKeys }) {
      // TypeScript cannot narrow ResourceOf<T> for a generic T; T is limited to these three.
      const resource = taggable as Service | Cluster | TaskDefinition;
      const keys = userTagKeys(resource.tags);
      const missing = requiredTagKeys.filter((key) => !(key in resource.tags));
      if (missing.length > 0) {
        return nonCompliant(`The ${noun} ${resource.displayName} is missing required tag keys: ${missing.join(', ')}. ${this.remediation}`);
      }
      if (keys.length === 0) {
        return nonCompliant(`The ${noun} ${resource.displayName} has no tags other than aws: system tags. ${this.remediation}`);
      }
      return compliant(`The ${noun} ${resource.displayName} is tagged (${keys.join(', ')}).`);
    },
  };
}

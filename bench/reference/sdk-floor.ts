/**
 * The SDK floor: the least a rule can cost. It loads the same SDK clients, configured the same way
 * (lambdas/runtime/aws-clients.ts), and makes the same two calls as a task definition rule
 * (ListTaskDefinitions, then PutEvaluations), evaluating nothing. Bundled like the rules, the
 * difference between a rule and this is the rule's own code: parsing, evaluation, logs and metrics.
 */
import { PutEvaluationsCommand } from '@aws-sdk/client-config-service';
import { ListTaskDefinitionsCommand } from '@aws-sdk/client-ecs';
import { createAwsClients } from '../../lambdas/runtime/aws-clients';

const clients = createAwsClients({ callsEcs: true });

export const handler = async (event: { invokingEvent: string; resultToken: string }): Promise<void> => {
  const item = JSON.parse(event.invokingEvent).configurationItem;
  await clients.ecs?.send(new ListTaskDefinitionsCommand({ familyPrefix: item.configuration.Family, status: 'ACTIVE', sort: 'ASC', maxResults: 100 }));
  await clients.config.send(
    new PutEvaluationsCommand({
      ResultToken: event.resultToken,
      Evaluations: [{ ComplianceResourceType: item.resourceType, ComplianceResourceId: item.resourceId, ComplianceType: 'NOT_APPLICABLE', OrderingTimestamp: new Date(item.configurationItemCaptureTime) }],
    }),
  );
};

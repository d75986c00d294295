/**
 * The starting point: a handler that only imports the AWS SDK's Config client and reports
 * the event's resource with PutEvaluations. Bundled three ways, it measures the SDK decision: bundled
 * as CommonJS (NodejsFunction's default format), bundled as tree-shaken ESM, or left external so the
 * Lambda runtime's copy loads.
 */
import { ConfigServiceClient, PutEvaluationsCommand } from '@aws-sdk/client-config-service';

const client = new ConfigServiceClient({});

export const handler = async (event: { invokingEvent: string; resultToken: string }): Promise<void> => {
  const item = JSON.parse(event.invokingEvent).configurationItem;
  await client.send(
    new PutEvaluationsCommand({
      ResultToken: event.resultToken,
      Evaluations: [
        {
          ComplianceResourceType: item.resourceType,
          ComplianceResourceId: item.resourceId,
          ComplianceType: 'NOT_APPLICABLE',
          OrderingTimestamp: new Date(item.configurationItemCaptureTime),
        },
      ],
    }),
  );
};

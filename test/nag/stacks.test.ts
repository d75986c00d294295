/**
 * cdk-nag's AwsSolutions and Serverless packs on every stack the app synthesizes, in every mode it
 * deploys: zero unacknowledged findings, and every acknowledgement says why.
 */
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { runNag } from './nag';

const ORGANIZATION = { deployment: 'organization', targetOus: 'r-ab12', organizationId: 'o-a1b2c3d4e5' };

const CONFIGURATIONS: Record<string, Record<string, unknown>> = {
  'account mode (the default)': {},
  'account mode, periodic': { maximumExecutionFrequency: 'TwentyFour_Hours' },
  'account mode, proactive hook': { proactive: 'fail' },
  'account mode, automatic remediation': { remediation: 'automatic' },
  'organization mode': ORGANIZATION,
  'organization mode, periodic': { ...ORGANIZATION, maximumExecutionFrequency: 'Six_Hours' },
  'organization mode, conformance-pack rollout': { ...ORGANIZATION, rollout: 'conformance-pack' },
  'organization mode, several Regions': { ...ORGANIZATION, regions: 'us-east-1,eu-west-1' },
};

describe.each(Object.entries(CONFIGURATIONS))('%s', (_name, context) => {
  const run = runNag(context);

  test('nothing unacknowledged on any stack', () => {
    expect(run.stacks.length).toBeGreaterThan(0);
    expect(run.findings).toEqual([]);
  });

  test('every acknowledgement names a pack rule and gives a reason of its own', () => {
    expect(run.acknowledgements.length).toBeGreaterThan(0);
    for (const acknowledgement of run.acknowledgements) {
      expect(acknowledgement.id).toMatch(/^(AwsSolutions|Serverless)-/);
      expect(acknowledgement.reason.length).toBeGreaterThanOrEqual(60);
    }
  });
});

test('in organization mode the packs also check every Region stack, the code bucket stack and the member template, as an ordinary stack', () => {
  // The StackSet's copy (inside the central stack) is no stack artifact, so the packs never see it.
  expect(runNag({ ...ORGANIZATION, regions: 'us-east-1,eu-west-1' }).stacks).toEqual([
    'EcsConfigRules',
    'EcsConfigRules/ControlRules/Organization/MemberTemplate',
    'EcsConfigRules-eu-west-1',
    'EcsConfigRules-CodeBucket',
    'MemberTemplate',
  ]);
});

test('the harness sees findings: a queue without encryption or a TLS-only policy is flagged by both packs', () => {
  const run = runNag({}, (stack) => new sqs.Queue(stack, 'Careless', { encryption: sqs.QueueEncryption.UNENCRYPTED }));

  expect(run.findings).toEqual(
    expect.arrayContaining(['AwsSolutions-SQS2 EcsConfigRules/Careless/Resource', 'AwsSolutions-SQS4 EcsConfigRules/Careless/Resource', 'Serverless-SQSRedrivePolicy EcsConfigRules/Careless/Resource']),
  );
});

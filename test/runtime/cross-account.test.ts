/**
 * Organization mode through the real SDK: an event from a member account makes the central function
 * assume the member role (STS over the wire) and report with the member's credentials.
 */
import { ecs12 } from '../../lambdas/controls/ecs-12';
import { createRuleHandler } from '../../lambdas/runtime/rule-handler';
import { AwsLoopback, signingAccessKey, useLoopbackEnvironment } from '../../dev-support/aws-loopback';
import { changeEventFor, clusterItem } from '../../dev-support/events';

const CENTRAL_FUNCTION = { invokedFunctionArn: 'arn:aws:lambda:us-east-1:111111111111:function:ecs-12' };
const MEMBER = '123456789012';

const assumeRoleReply = (accessKeyId: string, expiration: Date) => `<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <AssumeRoleResult>
    <Credentials><AccessKeyId>${accessKeyId}</AccessKeyId><SecretAccessKey>member-secret</SecretAccessKey><SessionToken>member-token</SessionToken><Expiration>${expiration.toISOString()}</Expiration></Credentials>
    <AssumedRoleUser><Arn>arn:aws:sts::${MEMBER}:assumed-role/EcsConfigRulesMember/s</Arn><AssumedRoleId>AROAEXAMPLE:s</AssumedRoleId></AssumedRoleUser>
  </AssumeRoleResult>
  <ResponseMetadata><RequestId>loopback</RequestId></ResponseMetadata>
</AssumeRoleResponse>`;

const memberEvent = (parameters: Record<string, string> = { ExecutionRoleName: 'EcsConfigRulesMember' }) =>
  changeEventFor(clusterItem({ ClusterSettings: [{ Name: 'containerInsights', Value: 'enabled' }] }), { ruleParameters: JSON.stringify(parameters) });

let aws: AwsLoopback;
let restoreEnvironment: () => void;

beforeEach(async () => {
  aws = new AwsLoopback();
  restoreEnvironment = useLoopbackEnvironment(await aws.start());
  aws.on('PutEvaluations', () => ({ FailedEvaluations: [] }));
  jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
});

afterEach(async () => {
  jest.restoreAllMocks();
  restoreEnvironment();
  await aws.stop();
});

test('assumes the named role in the event account and signs PutEvaluations with its credentials', async () => {
  aws.on('AssumeRole', () => assumeRoleReply('ASIAMEMBERACCOUNTKEY', new Date(Date.now() + 3600_000)));

  await createRuleHandler(ecs12)(memberEvent(), CENTRAL_FUNCTION);

  const [assumeRole] = aws.callsOf('AssumeRole');
  expect(assumeRole.body.RoleArn).toBe(`arn:aws:iam::${MEMBER}:role/EcsConfigRulesMember`);
  expect(signingAccessKey(assumeRole)).toBe('AKIDLOOPBACKTEST0000');
  const [put] = aws.callsOf('PutEvaluations');
  expect(signingAccessKey(put)).toBe('ASIAMEMBERACCOUNTKEY');
  expect(put.headers['x-amz-security-token']).toBe('member-token');
  expect((put.body.Evaluations as unknown[])[0]).toEqual(expect.objectContaining({ ComplianceType: 'COMPLIANT' }));
});

test('reuses the member credentials while they are valid, and refreshes them before they expire', async () => {
  let issued = 0;
  aws.on('AssumeRole', () => assumeRoleReply(`ASIAMEMBERKEY${issued++}`, new Date(Date.now() + (issued === 1 ? 3600_000 : 60_000))));
  const handler = createRuleHandler(ecs12);

  await handler(memberEvent(), CENTRAL_FUNCTION);
  await handler(memberEvent(), CENTRAL_FUNCTION);
  expect(aws.callsOf('AssumeRole')).toHaveLength(1);

  jest.spyOn(Date, 'now').mockReturnValue(Date.now() + 3600_000 - 60_000);
  await handler(memberEvent(), CENTRAL_FUNCTION);
  expect(aws.callsOf('AssumeRole')).toHaveLength(2);
  expect(aws.callsOf('PutEvaluations').map(signingAccessKey)).toEqual(['ASIAMEMBERKEY0', 'ASIAMEMBERKEY0', 'ASIAMEMBERKEY1']);
});

test('an STS failure yields no evaluation and a thrown error naming the role', async () => {
  aws.on('AssumeRole', () => ({ status: 403, code: 'AccessDenied', message: 'not authorized to perform sts:AssumeRole' }));

  await expect(createRuleHandler(ecs12)(memberEvent(), CENTRAL_FUNCTION)).rejects.toThrow(
    `could not assume arn:aws:iam::${MEMBER}:role/EcsConfigRulesMember to evaluate in that account: not authorized`,
  );
  expect(aws.callsOf('PutEvaluations')).toHaveLength(0);
});

test('an event from the function own account uses its own credentials', async () => {
  await createRuleHandler(ecs12)(memberEvent(), { invokedFunctionArn: `arn:aws:lambda:us-east-1:${MEMBER}:function:ecs-12` });

  expect(aws.callsOf('AssumeRole')).toHaveLength(0);
  expect(signingAccessKey(aws.callsOf('PutEvaluations')[0])).toBe('AKIDLOOPBACKTEST0000');
});

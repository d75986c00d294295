/**
 * The assertions the integ cases share: a Config rule's verdict about one resource, polled until it is
 * there (Config evaluates after it records the change, minutes later), through
 * `GetComplianceDetailsByConfigRule`
 * (https://docs.aws.amazon.com/config/latest/APIReference/API_GetComplianceDetailsByConfigRule.html).
 */
import { Duration } from 'aws-cdk-lib';
import { ExpectedResult, IApiCall, IDeployAssert, Match } from '@aws-cdk/integ-tests-alpha';

/**
 * How long a verdict may take: Config invokes a change-triggered rule only after it has recorded the
 * change, and publishes no delay for that; 20 minutes is this project's allowance (not an AWS figure,
 * to be replaced by the measured time after the first run, docs/integ.md). A verdict that takes
 * longer fails the run: integ-tests' waiter ends with a failed assertion and the deploy rolls back.
 */
export const VERDICT_TIMEOUT = Duration.minutes(20);
export const POLL_INTERVAL = Duration.seconds(30);

/**
 * A custom resource's response is at most 4,096 bytes
 * (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/crpg-ref-responses.html), and
 * integ-tests returns the whole API response in it: a page of five results stays well inside. The
 * sandbox account holds only the run's ECS resources (docs/integ.md), so five is enough.
 */
const RESULTS_PER_PAGE = 5;

export type ComplianceType = 'COMPLIANT' | 'NON_COMPLIANT' | 'NOT_APPLICABLE';

export interface Verdict {
  readonly ruleName: string;
  readonly compliance: ComplianceType;
  readonly resourceType: string;
  /** A regular expression the resource's Config id matches (the resource's name, or `family:revision`). */
  readonly resourceIdPattern: string;
}

/** Waits until the rule has recorded `compliance` for the resource. */
export function expectVerdict(assertions: IDeployAssert, verdict: Verdict): IApiCall {
  return assertions
    .awsApiCall('ConfigService', 'getComplianceDetailsByConfigRule', {
      ConfigRuleName: verdict.ruleName,
      ComplianceTypes: [verdict.compliance],
      Limit: RESULTS_PER_PAGE,
    })
    .expect(
      ExpectedResult.objectLike({
        EvaluationResults: Match.arrayWith([
          Match.objectLike({
            ComplianceType: verdict.compliance,
            EvaluationResultIdentifier: Match.objectLike({
              EvaluationResultQualifier: Match.objectLike({
                ConfigRuleName: verdict.ruleName,
                ResourceType: verdict.resourceType,
                ResourceId: Match.stringLikeRegexp(verdict.resourceIdPattern),
              }),
            }),
          }),
        ]),
      }),
    )
    .waitForAssertions({ totalTimeout: VERDICT_TIMEOUT, interval: POLL_INTERVAL });
}

/** Runs the calls one after the other (integ-tests runs unchained calls in any order). */
export function inOrder(calls: readonly IApiCall[]): void {
  calls.reduce((previous, next) => previous.next(next));
}

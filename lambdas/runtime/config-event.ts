/** The AWS Config custom-rule event, as Lambda receives it (being written by the lead). */
export interface ConfigRuleEvent {
  readonly invokingEvent: string;
  readonly ruleParameters?: string;
  readonly resultToken: string;
  readonly eventLeftScope?: boolean;
  readonly executionRoleArn?: string;
  readonly configRuleName?: string;
  readonly accountId?: string;
}

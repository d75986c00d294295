/** The AWS Config custom-rule event, as Lambda receives it (being written by the lead). */
export type { ConfigEvent as ConfigRuleEvent } from 'aws-lambda';

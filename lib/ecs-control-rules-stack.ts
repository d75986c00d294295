import { Stack, StackProps } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { EcsControlRules, EcsControlRulesProps } from './ecs-control-rules';

export interface EcsControlRulesStackProps extends StackProps, EcsControlRulesProps {}

/** A stack holding the rule fleet: `EcsControlRules` with the given props. */
export class EcsControlRulesStack extends Stack {
  public readonly controlRules: EcsControlRules;

  constructor(scope: Construct, id: string, props: EcsControlRulesStackProps = {}) {
    super(scope, id, props);
    this.controlRules = new EcsControlRules(this, 'ControlRules', props);
  }
}

import { Stack, StackProps } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { EcsControlRules, EcsControlRulesProps } from './ecs-control-rules';

export interface EcsControlRulesStackProps extends StackProps, EcsControlRulesProps {
  /**
   * The ARN of an existing customer-managed key to use as `encryptionKey` (the CDK app's `kmsKeyArn`
   * context). Its policy must already allow CloudWatch Logs and the rule functions (docs/reliability.md).
   *
   * @default - no customer-managed key unless `encryptionKey` is given
   */
  readonly encryptionKeyArn?: string;
}

/** A stack holding the rule fleet: `EcsControlRules` with the given props. */
export class EcsControlRulesStack extends Stack {
  public readonly controlRules: EcsControlRules;

  constructor(scope: Construct, id: string, props: EcsControlRulesStackProps = {}) {
    super(scope, id, props);
    if (props.encryptionKey && props.encryptionKeyArn) throw new Error('Give `encryptionKey` or `encryptionKeyArn`, not both.');
    const encryptionKey = props.encryptionKeyArn ? kms.Key.fromKeyArn(this, 'EncryptionKey', props.encryptionKeyArn) : props.encryptionKey;
    this.controlRules = new EcsControlRules(this, 'ControlRules', { ...props, encryptionKey });
  }
}

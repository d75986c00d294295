/** The Lambda edge: Config event → configuration item → verdict → PutEvaluations. (Being written by the lead.) */
import type { ConfigRuleEvent } from './config-event';
import { Control } from '../core/control';

export function createRuleHandler(control: Control): (event: ConfigRuleEvent) => Promise<void> {
  return async () => {
    throw new Error(`${control.id}: handler not implemented yet`);
  };
}

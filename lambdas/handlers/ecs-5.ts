import { ecs5 } from '../controls/ecs-5';
import { createRuleHandler } from '../runtime/rule-handler';

export const handler = createRuleHandler(ecs5);

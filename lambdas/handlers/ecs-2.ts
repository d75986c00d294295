import { ecs2 } from '../controls/ecs-2';
import { createRuleHandler } from '../runtime/rule-handler';

export const handler = createRuleHandler(ecs2);

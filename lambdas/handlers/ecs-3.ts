import { ecs3 } from '../controls/ecs-3';
import { createRuleHandler } from '../runtime/rule-handler';

export const handler = createRuleHandler(ecs3);

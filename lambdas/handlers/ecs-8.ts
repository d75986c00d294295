import { ecs8 } from '../controls/ecs-8';
import { createRuleHandler } from '../runtime/rule-handler';

export const handler = createRuleHandler(ecs8);

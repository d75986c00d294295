import { ecs20 } from '../controls/ecs-20';
import { createRuleHandler } from '../runtime/rule-handler';

export const handler = createRuleHandler(ecs20);

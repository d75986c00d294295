import { ecs15 } from '../controls/ecs-15';
import { createRuleHandler } from '../runtime/rule-handler';

export const handler = createRuleHandler(ecs15);

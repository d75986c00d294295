import { ecs9 } from '../controls/ecs-9';
import { createRuleHandler } from '../runtime/rule-handler';

export const handler = createRuleHandler(ecs9);

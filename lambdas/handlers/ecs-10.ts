import { ecs10 } from '../controls/ecs-10';
import { createRuleHandler } from '../runtime/rule-handler';

export const handler = createRuleHandler(ecs10);

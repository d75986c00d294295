import { ecs18 } from '../controls/ecs-18';
import { createRuleHandler } from '../runtime/rule-handler';

export const handler = createRuleHandler(ecs18);

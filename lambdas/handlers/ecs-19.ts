import { ecs19 } from '../controls/ecs-19';
import { createRuleHandler } from '../runtime/rule-handler';

export const handler = createRuleHandler(ecs19);

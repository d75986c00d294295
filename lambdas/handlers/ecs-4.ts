import { ecs4 } from '../controls/ecs-4';
import { createRuleHandler } from '../runtime/rule-handler';

export const handler = createRuleHandler(ecs4);

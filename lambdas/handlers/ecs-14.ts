import { ecs14 } from '../controls/ecs-14';
import { createRuleHandler } from '../runtime/rule-handler';

export const handler = createRuleHandler(ecs14);

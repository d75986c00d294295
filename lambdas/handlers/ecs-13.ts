import { ecs13 } from '../controls/ecs-13';
import { createRuleHandler } from '../runtime/rule-handler';

export const handler = createRuleHandler(ecs13);

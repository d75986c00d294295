import { ecs21 } from '../controls/ecs-21';
import { createRuleHandler } from '../runtime/rule-handler';

export const handler = createRuleHandler(ecs21);

import { ecs16 } from '../controls/ecs-16';
import { createRuleHandler } from '../runtime/rule-handler';

export const handler = createRuleHandler(ecs16);

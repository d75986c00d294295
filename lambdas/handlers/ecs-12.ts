import { ecs12 } from '../controls/ecs-12';
import { createRuleHandler } from '../runtime/rule-handler';

export const handler = createRuleHandler(ecs12);

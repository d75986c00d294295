import { ecs17 } from '../controls/ecs-17';
import { createRuleHandler } from '../runtime/rule-handler';

export const handler = createRuleHandler(ecs17);

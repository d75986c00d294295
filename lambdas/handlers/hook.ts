import { createHookHandler } from '../hook/hook-handler';

/** The CloudFormation Lambda hook's entry (lib/proactive-hook.ts deploys it). */
export const handler = createHookHandler();

import { createHookHandler } from './hook-handler';

/** The CloudFormation Lambda hook's entry, bundled on its own (lib/proactive-hook.ts deploys it). */
export const handler = createHookHandler();

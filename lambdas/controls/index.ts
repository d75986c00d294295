/**
 * The registry: every control, in Security Hub order. The CDK rules, the CLI and the README's
 * controls table are all derived from this list.
 */
import { Control } from '../core/control';
import { ecs2 } from './ecs-2';
import { ecs3 } from './ecs-3';
import { ecs4 } from './ecs-4';
import { ecs5 } from './ecs-5';
import { ecs8 } from './ecs-8';
import { ecs9 } from './ecs-9';
import { ecs10 } from './ecs-10';
import { ecs12 } from './ecs-12';
import { ecs13 } from './ecs-13';
import { ecs14 } from './ecs-14';
import { ecs15 } from './ecs-15';
import { ecs16 } from './ecs-16';
import { ecs17 } from './ecs-17';
import { ecs18 } from './ecs-18';
import { ecs19 } from './ecs-19';
import { ecs20 } from './ecs-20';
import { ecs21 } from './ecs-21';

export const CONTROLS: readonly Control[] = [
  ecs2, ecs3, ecs4, ecs5, ecs8, ecs9, ecs10, ecs12, ecs13, ecs14, ecs15, ecs16, ecs17, ecs18, ecs19, ecs20, ecs21,
];

const BY_ID = new Map(CONTROLS.map((control) => [control.id, control]));

/**
 * Security Hub ECS controls that are not here because Security Hub retired them, and why: someone who
 * asks for one is told, not only that it is unknown
 * (https://docs.aws.amazon.com/securityhub/latest/userguide/ecs-controls.html#ecs-1).
 */
export const RETIRED_CONTROLS: ReadonlyMap<string, string> = new Map([
  ['ECS.1', 'Security Hub retired ECS.1 in March 2026; ECS.4, ECS.17, ECS.20 and ECS.21 check what it checked'],
]);

/**
 * Looks a control up by id (`ECS.20`, case-insensitive, `ecs-20` accepted); throws naming the known
 * ids, and for a retired control why it is absent.
 */
export function controlById(id: string): Control {
  const normalized = id.trim().toUpperCase().replace('-', '.');
  const control = BY_ID.get(normalized);
  if (!control) {
    const retired = RETIRED_CONTROLS.get(normalized);
    const why = retired ? ` (${retired})` : '';
    throw new Error(`Unknown control "${id}"${why}. Known controls: ${CONTROLS.map((known) => known.id).join(', ')}`);
  }
  return control;
}

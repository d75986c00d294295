import { ecs12 } from '../../lambdas/controls/ecs-12';
import { cluster, describeControl, unreadable } from './builders';

describeControl(ecs12, [
  { case: 'containerInsights enabled', resource: cluster({ settings: [{ name: 'containerInsights', value: 'enabled' }] }), expected: 'COMPLIANT', mentions: ['enabled'] },
  { case: 'containerInsights enhanced (decision)', resource: cluster({ settings: [{ name: 'containerInsights', value: 'enhanced' }] }), expected: 'COMPLIANT', mentions: ['enhanced'] },
  { case: 'containerInsights disabled', resource: cluster({ settings: [{ name: 'containerInsights', value: 'disabled' }] }), expected: 'NON_COMPLIANT', mentions: ['payments', 'containerInsights is disabled', 'enabled'] },
  { case: 'containerInsights without a value', resource: cluster({ settings: [{ name: 'containerInsights', value: undefined }] }), expected: 'NON_COMPLIANT', mentions: ['containerInsights is unset'] },
  { case: 'no settings', resource: cluster({ settings: [] }), expected: 'NON_COMPLIANT', mentions: ['no containerInsights setting'] },
  { case: 'the setting name is case-sensitive', resource: cluster({ settings: [{ name: 'ContainerInsights', value: 'enabled' }] }), expected: 'NON_COMPLIANT' },
  { case: 'unreadable settings', resource: cluster({ settings: unreadable('settings') }), expected: 'NOT_EVALUATED', mentions: ['ECS.12 could not evaluate settings'] },
]);

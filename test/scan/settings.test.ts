/**
 * The one settings parser behind the construct, the plugin, the CDK app's context and the CLI: the
 * same checks whatever the interface, each message naming the setting as the user wrote it.
 */
import { checkGateCanFail, commaSeparated, gateCannotFail, parametersFromFlags, parseParameters, selectControls, SETTING, severityThreshold } from '../../scan/settings';
import { writeTree } from '../cli/run-cli';

describe.each([
  ['a prop', SETTING.prop('controls'), '`controls`'],
  ['a context key', SETTING.context('controls'), 'Context `controls`'],
  ['a flag', SETTING.flag('--controls'), '--controls'],
])('controls set through %s', (_interface, name, shown) => {
  test('are chosen in registry order, either id form accepted', () => {
    expect(selectControls(['ecs-20', 'ECS.4'], name).map((control) => control.id)).toEqual(['ECS.4', 'ECS.20']);
  });

  test.each([
    [['ECS.99'], `${shown}: Unknown control "ECS.99"`],
    [[], `${shown} must name at least one control (omit it for all).`],
    [['ECS.4', 'ecs-4'], `${shown} lists ECS.4 more than once.`],
  ])('%j is an error naming the setting', (ids, message) => {
    expect(() => selectControls(ids, name)).toThrow(message);
  });
});

test('no controls named means every control', () => {
  expect(selectControls(undefined, SETTING.prop('controls')).length).toBeGreaterThan(1);
});

describe('parameters', () => {
  const name = SETTING.prop('parameters');

  test('come out by normalized control id', () => {
    expect(parseParameters({ 'ecs-8': { secretKeys: 'A,B' } }, name)).toEqual({ 'ECS.8': { secretKeys: 'A,B' } });
  });

  test.each([
    [['ECS.8'], /^`parameters` must be a JSON object of parameter objects by control id/],
    [{ 'ECS.8': 'secretKeys=A' }, /^`parameters` must be a JSON object of parameter objects by control id/],
    [{ 'ECS.1': {} }, /^`parameters`: Unknown control "ECS.1"/],
    [{ 'ECS.8': {}, 'ecs-8': {} }, /^`parameters` lists ECS.8 more than once\.$/],
    [{ 'ECS.8': { detectCredentialValues: false } }, /^`parameters`: ECS.8.detectCredentialValues: parameter values are strings, as AWS Config passes them; quote false$/],
    [{ 'ECS.8': { secretkeys: 'A' } }, /^`parameters`: ECS.8 has no parameter "secretkeys"/],
    [{ 'ECS.10': { latestLinuxVersion: 'newest' } }, /^`parameters`: ECS.10 parameter "latestLinuxVersion" must be a version/],
  ])('%j is an error naming the setting', (overrides, message) => {
    expect(() => parseParameters(overrides, name)).toThrow(message);
  });

  test('flags: a file, then --parameter pairs, the later winning', () => {
    const tree = writeTree({ 'parameters.json': { 'ECS.8': { secretKeys: 'FROM_FILE', detectCredentialValues: 'false' } } });
    try {
      expect(parametersFromFlags(['ecs-8.secretKeys=FROM_FLAG'], 'parameters.json', tree.dir)).toEqual({
        'ECS.8': { secretKeys: 'FROM_FLAG', detectCredentialValues: 'false' },
      });
    } finally {
      tree.remove();
    }
  });
});

test('a severity threshold in any case; LOW when none is given', () => {
  expect(severityThreshold('high', SETTING.flag('--severity-threshold'))).toBe('HIGH');
  expect(severityThreshold(undefined, SETTING.prop('severityThreshold'))).toBe('LOW');
  expect(() => severityThreshold('severe', SETTING.prop('severityThreshold'))).toThrow('`severityThreshold` must be one of LOW, MEDIUM, HIGH, CRITICAL, got "severe".');
});

test('lists are comma-separated, blanks dropped', () => {
  expect(commaSeparated(' ECS.4, ,ECS.20 ')).toEqual(['ECS.4', 'ECS.20']);
});

describe('a gate that cannot fail', () => {
  const names = { threshold: SETTING.prop('severityThreshold'), allowEmptyGate: SETTING.prop('allowEmptyGate') };
  const all = selectControls(undefined, SETTING.prop('controls'));

  test('is one whose threshold no selected control reaches', () => {
    expect(gateCannotFail({ controls: all, threshold: 'CRITICAL' })).toBe(true);
    expect(gateCannotFail({ controls: all, threshold: 'HIGH' })).toBe(false);
    expect(gateCannotFail({ controls: selectControls(['ECS.15'], SETTING.prop('controls')), threshold: 'MEDIUM' })).toBe(true);
    expect(gateCannotFail({ controls: [], threshold: 'LOW' })).toBe(true);
  });

  test('is refused, naming the settings as the interface spells them', () => {
    expect(() => checkGateCanFail({ controls: all, threshold: 'CRITICAL' }, names, undefined)).toThrow(
      '`severityThreshold` CRITICAL can fail nothing: no control is CRITICAL or above, the most severe being HIGH; lower the threshold. Set `allowEmptyGate` to run a gate that cannot fail.',
    );
    expect(() => checkGateCanFail({ controls: selectControls(['ECS.15'], SETTING.prop('controls')), threshold: 'MEDIUM' }, { ...names, controls: SETTING.prop('controls') }, false)).toThrow(
      '`severityThreshold` MEDIUM can fail nothing: none of the controls selected by `controls` (ECS.15) is MEDIUM or above, the most severe being LOW;',
    );
    expect(() => checkGateCanFail({ controls: [], threshold: 'LOW' }, { ...names, controls: SETTING.prop('controls') }, false)).toThrow('no control is selected (`controls`): the gate can fail nothing.');
  });

  test('runs when allowed, and a gate that can fail needs no allowing', () => {
    expect(() => checkGateCanFail({ controls: all, threshold: 'CRITICAL' }, names, true)).not.toThrow();
    expect(() => checkGateCanFail({ controls: all, threshold: 'HIGH' }, names, false)).not.toThrow();
  });
});

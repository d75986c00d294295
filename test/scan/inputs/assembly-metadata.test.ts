/** A stack's assembly metadata: construct paths by logical id, creation-stack frames, acknowledgements by closest ancestor. */
import { StackMetadata } from '../../../scan/inputs/assembly-metadata';

const metadataWith = (byPath: Record<string, Array<{ type: string; data?: unknown; trace?: string[] }>>) => StackMetadata.of(byPath, '/app', 'cdk.out/Web.metadata.json', 'Web.template.json');

test.each([
  ['new Stack (/app/bin/app.ts:12:5)', { file: 'bin/app.ts', line: 12 }],
  ['<anonymous> (/app/lib/web.ts:7:12)', { file: 'lib/web.ts', line: 7 }],
  ['    at /app/bin/app.ts:3:1', { file: 'bin/app.ts', line: 3 }],
  ['Object.<anonymous> (file:///app/bin/app.mjs:9:1)', { file: 'bin/app.mjs', line: 9 }],
])('the creation frame %s is %j', (frame, expected) => {
  const metadata = metadataWith({ '/Web/Task/Resource': [{ type: 'aws:cdk:creationStack', data: ['...new FargateTaskDefinition in aws-cdk-lib...', frame] }] });
  expect(metadata.sourceOf('Web/Task/Resource')).toEqual(expected);
});

test('frames in node_modules and summaries are not the app\'s code', () => {
  const metadata = metadataWith({ '/Web/Task/Resource': [{ type: 'aws:cdk:creationStack', data: ['new X (/app/node_modules/some-construct/lib/index.js:4:2)', '(no user code in 10 frames, use --stack-trace-limit to capture more)'] }] });
  expect(metadata.sourceOf('Web/Task/Resource')).toBeUndefined();
});

test('the logical id names its construct path', () => {
  expect(metadataWith({ '/Web/Task/Resource': [{ type: 'aws:cdk:logicalId', data: 'Task79114B6B' }] }).constructPathOf('Task79114B6B')).toBe('Web/Task/Resource');
});

test('the closest acknowledgement of each control applies; other namespaces and unknown rules do not', () => {
  const metadata = metadataWith({
    '/Web': [{ type: 'aws:cdk:acknowledged-rules', data: { 'ecs-config-rules::ECS.4': 'stack-wide', 'ecs-config-rules::ECS.5': 'stack-wide' } }],
    '/Web/Task': [{ type: 'aws:cdk:acknowledged-rules', data: { 'ecs-config-rules::ECS.4': 'this task', 'AwsSolutions::ECS4': 'nag', 'ecs-config-rules::ECS.99': 'unknown' }, trace: ['    at <anonymous> (/app/bin/app.ts:20:3)'] }],
  });

  expect(metadata.acknowledgementsFor('Web/Task/Resource')).toEqual([
    { controlId: 'ECS.4', reason: 'this task', origin: 'acknowledgement', where: 'bin/app.ts:20 (acknowledged on Web/Task)' },
    { controlId: 'ECS.5', reason: 'stack-wide', origin: 'acknowledgement', where: 'cdk.out/Web.metadata.json (acknowledged on Web)' },
  ]);
  expect(metadata.acknowledgementsFor('Other/Task/Resource')).toEqual([]);
});

describe('nested stacks: a logical id is looked up among the resources of the template read', () => {
  // The CDK derives logical ids from the path within the (nested) stack: both tasks are Task79114B6B.
  const byPath = {
    '/Web': [{ type: 'aws:cdk:templateFile', data: 'Web.template.json' }],
    '/Web/Task/Resource': [{ type: 'aws:cdk:logicalId', data: 'Task79114B6B' }],
    '/Web/Inner': [{ type: 'aws:cdk:templateFile', data: 'WebInner0A1B2C3D.nested.template.json' }],
    '/Web/Inner/Task/Resource': [{ type: 'aws:cdk:logicalId', data: 'Task79114B6B' }],
  };

  test('the stack’s template and the nested one each find their own construct', () => {
    const stack = metadataWith(byPath);
    const nested = stack.forNestedTemplate('WebInner0A1B2C3D.nested.template.json');

    expect([stack.stackPath, stack.constructPathOf('Task79114B6B')]).toEqual(['Web', 'Web/Task/Resource']);
    expect([nested.stackPath, nested.constructPathOf('Task79114B6B')]).toEqual(['Web/Inner', 'Web/Inner/Task/Resource']);
  });

  test('without recorded template files (an older CDK) a nested template’s logical ids are not guessed', () => {
    const { '/Web/Task/Resource': own, '/Web/Inner/Task/Resource': inner } = byPath;
    const stack = metadataWith({ '/Web/Task/Resource': own, '/Web/Inner/Task/Resource': inner });

    expect(stack.forNestedTemplate('WebInner0A1B2C3D.nested.template.json').constructPathOf('Task79114B6B')).toBeUndefined();
    expect(stack.forNestedTemplate('WebInner0A1B2C3D.nested.template.json').stackPath).toBeUndefined();
  });
});

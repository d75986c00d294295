/**
 * Proof that another language can use the package (issue #24): the packed package driven through the
 * jsii kernel only, as a Python, Java, .NET or Go app drives it, offline. The kernel loads the
 * published tarballs of the package's jsii dependencies (aws-cdk-lib and what it loads) and the
 * package's own tarball, then:
 *   a. App, Stack, EcsControlRules with `ruleNamePrefix` and `parameters` (a map of maps) set through
 *      the kernel, `synth()`: one Config rule per control of the tarball's registry, each named with
 *      the prefix, the parameter carried into its rule;
 *   b. an App gated by EcsControlChecks (`Validations.of(app).addPlugins`): the synth of a task
 *      definition with a privileged container fails, its report naming ECS.4 and nothing else; the same
 *      task definition unprivileged synthesizes.
 *
 * Usage: tsx scripts/jsii-kernel-check.ts <ecs-config-rules-x.y.z.tgz>   (exit 0 proven, 1 failed, 2 usage)
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { execFileSync } from 'node:child_process';
import { JsiiKernel, ObjRef } from '../dev-support/jsii-kernel';
import { packJsiiDependencies, tarballPackage } from '../dev-support/jsii-tarballs';

const REPOSITORY = resolve(__dirname, '..');
const RULE_NAME_PREFIX = 'kernel-';
/** A parameter override set through the kernel, as a wire map of maps (Python passes a `dict` of `dict`s so). */
const PARAMETER = { control: 'ECS.8', name: 'detectCredentialValues', value: 'false' };

interface Template {
  readonly Resources?: Record<string, { readonly Type: string; readonly Properties?: Record<string, any> }>;
}

const started = Date.now();
const step = (message: string) => console.log(`jsii-kernel-check [${((Date.now() - started) / 1000).toFixed(1)} s] ${message}`);

class CheckFailed extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CheckFailed';
  }
}

function mustHold(condition: boolean, message: string): void {
  if (!condition) throw new CheckFailed(message);
}

/** Runs `work`, naming `what` in its failure. */
async function during<T>(what: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw new CheckFailed(`${what}: ${(error as Error).message}`);
  }
}

const wireMap = (entries: Record<string, unknown>) => ({ '$jsii.map': entries });

/** The controls the construct deploys by default (every one of the registry), from the tarball's own dist. */
function registryOf(tarball: string, work: string): readonly { readonly id: string; readonly slug: string }[] {
  const folder = join(work, 'registry');
  mkdirSync(folder);
  execFileSync('tar', ['-xzf', tarball, '-C', folder, 'package/dist/lambdas']);
  return require(join(folder, 'package/dist/lambdas/controls/index.js')).CONTROLS;
}

/** `App.synth()`, then the stack's template through the assembly's `getStackByName`. */
async function synthesizedTemplate(kernel: JsiiKernel, app: ObjRef, stackName: string): Promise<Template> {
  const assembly = (await kernel.invoke(app, 'synth')) as ObjRef;
  const stack = (await kernel.invoke(assembly, 'getStackByName', [stackName])) as ObjRef;
  return (await kernel.get(stack, 'template')) as Template;
}

async function checkRules(kernel: JsiiKernel, controls: readonly { readonly id: string; readonly slug: string }[], work: string): Promise<void> {
  const app = await kernel.create('aws-cdk-lib.App', [{ outdir: join(work, 'rules.out') }]);
  const stack = await kernel.create('aws-cdk-lib.Stack', [app, 'KernelRules']);
  const parameters = wireMap({ [PARAMETER.control]: wireMap({ [PARAMETER.name]: PARAMETER.value }) });
  await kernel.create('ecs-config-rules.EcsControlRules', [stack, 'Rules', { ruleNamePrefix: RULE_NAME_PREFIX, parameters }]);
  const template = await synthesizedTemplate(kernel, app, 'KernelRules');
  const rules = Object.values(template.Resources ?? {}).filter((resource) => resource.Type === 'AWS::Config::ConfigRule');
  const names = rules.map((rule) => rule.Properties?.ConfigRuleName).sort();
  const expected = controls.map((control) => `${RULE_NAME_PREFIX}${control.slug}`).sort();
  mustHold(JSON.stringify(names) === JSON.stringify(expected), `expected the ${expected.length} Config rules ${expected.join(', ')}; the template has ${rules.length}: ${names.join(', ')}`);
  const overridden = rules.find((rule) => rule.Properties?.ConfigRuleName === `${RULE_NAME_PREFIX}ecs-8`)?.Properties?.InputParameters?.[PARAMETER.name];
  mustHold(overridden === PARAMETER.value, `the ${PARAMETER.control} rule's ${PARAMETER.name} is ${JSON.stringify(overridden)}, not the ${JSON.stringify(PARAMETER.value)} set through the kernel`);
  step(`a. EcsControlRules synthesized ${rules.length} AWS::Config::ConfigRule (one per control of the tarball's registry), named ${RULE_NAME_PREFIX}…, ${PARAMETER.control} ${PARAMETER.name}=${PARAMETER.value}`);
}

/** A task definition every control passes, but for `privileged` (ECS.4) when asked. */
function taskDefinitionProps(privileged: boolean) {
  return {
    family: 'kernel-check',
    requiresCompatibilities: ['FARGATE'],
    networkMode: 'awsvpc',
    cpu: '256',
    memory: '512',
    tags: [{ key: 'team', value: 'platform' }],
    containerDefinitions: [
      {
        name: 'app',
        image: 'public.ecr.aws/docker/library/busybox:stable',
        essential: true,
        user: '1000:1000',
        privileged,
        readonlyRootFilesystem: true,
        logConfiguration: { logDriver: 'awslogs', options: { 'awslogs-group': '/ecs/kernel-check', 'awslogs-region': 'us-east-1', 'awslogs-stream-prefix': 'app' } },
      },
    ],
  };
}

interface ValidationReport {
  readonly pluginReports: readonly { readonly pluginName: string; readonly violations: readonly { readonly ruleName: string }[] }[];
}

/**
 * An app gated by EcsControlChecks, added as the CDK documents it today (`Validations.of(app).addPlugins`:
 * `AppProps.policyValidationBeta1` is deprecated and warns), with one task definition. Resolves with
 * the synth's error, if any, and the rules the plugin's report names (the CDK writes it to
 * `validation-report.json` when a plugin reports a violation).
 */
async function gatedSynth(kernel: JsiiKernel, privileged: boolean, work: string): Promise<{ readonly error?: Error; readonly ruleNames: readonly string[] }> {
  const outdir = join(work, privileged ? 'privileged.out' : 'hardened.out');
  const app = await kernel.create('aws-cdk-lib.App', [{ outdir }]);
  const validations = (await kernel.sinvoke('aws-cdk-lib.Validations', 'of', [app])) as ObjRef;
  await kernel.invoke(validations, 'addPlugins', [await kernel.create('ecs-config-rules.EcsControlChecks', [{}])]);
  const stack = await kernel.create('aws-cdk-lib.Stack', [app, 'Workload']);
  await kernel.create('aws-cdk-lib.aws_ecs.CfnTaskDefinition', [stack, 'Task', taskDefinitionProps(privileged)]);
  const error = await kernel.invoke(app, 'synth').then(() => undefined, (thrown: Error) => thrown);
  const reportFile = join(outdir, 'validation-report.json');
  const report: ValidationReport = existsSync(reportFile) ? JSON.parse(readFileSync(reportFile, 'utf8')) : { pluginReports: [] };
  const ruleNames = report.pluginReports.filter((plugin) => plugin.pluginName === 'ecs-config-rules').flatMap((plugin) => plugin.violations.map((violation) => violation.ruleName));
  return { error, ruleNames };
}

async function checkPlugin(kernel: JsiiKernel, work: string): Promise<void> {
  const printedBefore = kernel.programStderr.length;
  const privileged = await gatedSynth(kernel, true, work);
  const printed = kernel.programStderr.slice(printedBefore);
  mustHold(privileged.error !== undefined, `the synth of a privileged container passed EcsControlChecks; the app printed:\n${printed}`);
  mustHold(JSON.stringify(privileged.ruleNames) === '["ECS.4"]', `the failed synth's validation report names ${JSON.stringify(privileged.ruleNames)}, not ["ECS.4"]: ${privileged.error!.message}\n${printed}`);
  mustHold(printed.includes('ECS containers should run as non-privileged') && printed.includes('ECS.4'), `the failed synth printed no ECS.4 report: ${printed}`);
  step(`b. EcsControlChecks failed the synth of a privileged container, its report naming ECS.4 only (${privileged.error!.message.split('.')[0]})`);
  const hardened = await gatedSynth(kernel, false, work);
  mustHold(hardened.error === undefined && hardened.ruleNames.length === 0, `the synth of the same task definition unprivileged failed: ${hardened.error?.message} ${JSON.stringify(hardened.ruleNames)}\n${kernel.programStderr.slice(printedBefore)}`);
  step('b. EcsControlChecks let the same task definition, unprivileged, synthesize');
}

async function check(tarball: string, work: string): Promise<void> {
  const project = tarballPackage(tarball);
  const controls = registryOf(tarball, work);
  const dependencies = packJsiiDependencies(project.manifest, REPOSITORY, work);
  step(`packed ${dependencies.map(({ name, version }) => `${name}@${version}`).join(', ')}`);
  // The kernel installs each tarball in its own temporary folder, removed when it exits; its package
  // cache (~/.cache/aws/jsii/package-cache by default) is off, so a run writes nothing outside it.
  await JsiiKernel.using(
    async (kernel) => {
      for (const load of [...dependencies, project.load]) await during(`loading ${load.name}@${load.version}`, () => kernel.load(load));
      step(`${kernel.runtime} loaded them and ${project.load.name}@${project.load.version}`);
      await during('a. EcsControlRules', () => checkRules(kernel, controls, work));
      await during('b. EcsControlChecks', () => checkPlugin(kernel, work));
    },
    { env: { JSII_RUNTIME_PACKAGE_CACHE: process.env.JSII_RUNTIME_PACKAGE_CACHE ?? 'disabled' } },
  );
}

async function main(argv: readonly string[]): Promise<number> {
  const [tarball] = argv;
  if (argv.length !== 1 || !existsSync(tarball)) {
    console.error(`usage: tsx scripts/jsii-kernel-check.ts <package tarball>${tarball && !existsSync(tarball) ? ` (no file ${tarball})` : ''}`);
    return 2;
  }
  const work = mkdtempSync(join(tmpdir(), 'jsii-kernel-check-'));
  try {
    await check(resolve(tarball), work);
    step('passed');
    return 0;
  } catch (error) {
    console.error(`jsii-kernel-check FAILED: ${(error as Error).message}`);
    return 1;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

main(process.argv.slice(2)).then((code) => (process.exitCode = code));

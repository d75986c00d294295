/**
 * The hardening of one task definition: for every selected control it fails, the edits that make it
 * pass, what a person must still decide (needs input) and what they should check before deploying.
 *
 * Which container, variable or volume to change is decided by the control itself, evaluated on a
 * view of the task definition holding only that container (variable, volume): no control logic is
 * repeated here, and a parameter such as ECS.8's `secretKeys` is honoured as the rule honours it.
 * Only NON_COMPLIANT parts are changed: a value the scanner could not evaluate (a template
 * intrinsic) is left as written, and the final scan refuses the result.
 */
import { Control } from '../../lambdas/core/control';
import { ContainerDefinition, isWindows, TaskDefinition, Volume } from '../../lambdas/core/model';
import type { ControlParameters } from '../settings';
import { EditPath } from './edits';
import { Owner, Planner } from './planner';

export interface FixChoices {
  /** `user` by container name; `*` for every container not named. Default: `1000:1000` on Linux, `ContainerUser` on Windows. */
  readonly users: ReadonlyMap<string, string>;
  /** Writable paths by container name (`*` for every container); an empty list means none. */
  readonly writable: ReadonlyMap<string, readonly string[]>;
  /** Secrets Manager secret or SSM parameter ARN by environment variable name. */
  readonly secretArns: ReadonlyMap<string, string>;
  /** The awslogs group for containers without logs; default `/ecs/<family>`. */
  readonly logGroup?: string;
  /** The awslogs Region; default the task definition's (its ARN, or a template's `AWS::Region`). */
  readonly logRegion?: string;
  /** What replaces `networkMode: host`. */
  readonly networkMode: 'awsvpc' | 'bridge';
  /** Tags to add when a tag control fails. */
  readonly tags: ReadonlyMap<string, string>;
}

export const DEFAULT_LINUX_USER = '1000:1000';
/** The non-administrator account of Windows container base images (https://learn.microsoft.com/en-us/virtualization/windowscontainers/manage-containers/container-security). */
export const DEFAULT_WINDOWS_USER = 'ContainerUser';

/** One task definition inside the document being fixed. */
export interface TaskDefinitionSource {
  /** Where its properties sit in the document (`[]` for a register input, `Resources.X.Properties` in a template). */
  readonly at: EditPath;
  readonly model: TaskDefinition;
  /** The awslogs Region when the user gives none: a literal, `{ Ref: AWS::Region }`, or unknown. */
  readonly region: unknown;
}

interface FixContext {
  readonly planner: Planner;
  readonly source: TaskDefinitionSource;
  readonly choices: FixChoices;
  /** Whether any of the controls this fixer serves rejects `view` (NON_COMPLIANT). */
  readonly fails: (view: TaskDefinition) => boolean;
}

type Fixer = (context: FixContext) => void;

/** `value` under `name`, else under `*`. */
function forContainer<T>(map: ReadonlyMap<string, T>, name: string): T | undefined {
  return map.get(name) ?? map.get('*');
}

/** The task definition with only `containers`: what a control says about them alone. */
function withContainers(model: TaskDefinition, containers: readonly ContainerDefinition[]): TaskDefinition {
  return Object.create(model, { containers: { value: containers } }) as TaskDefinition;
}

function withVolumes(model: TaskDefinition, volumes: readonly Volume[]): TaskDefinition {
  return Object.create(model, { volumes: { value: volumes } }) as TaskDefinition;
}

/** The containers a control rejects, with their index in `containerDefinitions`. */
function failingContainers({ source, fails }: FixContext): { container: ContainerDefinition; index: number }[] {
  return source.model.containers.map((container, index) => ({ container, index })).filter(({ container }) => fails(withContainers(source.model, [container])));
}

function containerPath(context: FixContext, index: number): EditPath {
  return [...context.source.at, context.planner.field(context.source.at, 'containerDefinitions').key, index];
}

function subjectOf(source: TaskDefinitionSource): string {
  return `task definition ${source.model.family}`;
}

const fixUser: Fixer = (context) => {
  const windows = isWindows(context.source.model.operatingSystemFamily);
  for (const { container, index } of failingContainers(context)) {
    const chosen = forContainer(context.choices.users, container.name);
    const user = chosen ?? (windows ? DEFAULT_WINDOWS_USER : DEFAULT_LINUX_USER);
    context.planner.set(containerPath(context, index), 'user', user, { control: 'ECS.20/21', container: container.name });
    if (chosen === undefined) {
      context.planner.checks.push({
        control: windows ? 'ECS.21' : 'ECS.20',
        subject: container.name,
        message: windows
          ? `runs as ${user} (the non-administrator account of Windows base images): check the application needs no administrator rights, or choose with --user ${container.name}=NAME`
          : `runs as ${user} (a default): check the image's files are readable (and where it writes, writable) by that UID and that it listens on ports 1024 and above, or choose with --user ${container.name}=UID:GID`,
      });
    }
  }
};

const fixPrivileged: Fixer = (context) => {
  for (const { container, index } of failingContainers(context)) {
    context.planner.remove(containerPath(context, index), 'privileged', { control: 'ECS.4', container: container.name });
    context.planner.checks.push({
      control: 'ECS.4',
      subject: container.name,
      message: 'privileged removed: if it needs one kernel capability (NET_ADMIN, SYS_PTRACE…), add just that under linuxParameters.capabilities.add',
    });
  }
};

/** `/var/cache` → `var-cache`: volume names allow letters, digits, hyphens and underscores. */
function volumeSuffix(path: string): string {
  return path.replace(/^\/+|\/+$/g, '').replace(/[^A-Za-z0-9_-]+/g, '-') || 'root';
}

/** A task-storage volume (no host path, no EFS) mounted read-write at each path the container writes. */
function addWritablePaths(context: FixContext, index: number, name: string, paths: readonly string[]): void {
  const owner: Owner = { control: 'ECS.5', container: name };
  const { planner, source } = context;
  for (const path of paths) {
    if (planner.valuesIn(containerPath(context, index), 'mountPoints', 'containerPath').has(path)) continue;
    const taken = planner.valuesIn(source.at, 'volumes', 'name');
    let volume = `${name}-${volumeSuffix(path)}`.slice(0, 255);
    for (let suffix = 2; taken.has(volume); suffix++) volume = `${name}-${volumeSuffix(path)}-${suffix}`;
    const mount = planner.shaped({ sourceVolume: volume, containerPath: path, readOnly: false });
    if (!planner.append(source.at, 'volumes', planner.shaped({ name: volume }), owner) || !planner.append(containerPath(context, index), 'mountPoints', mount, owner)) {
      planner.needsInput.push({ control: 'ECS.5', subject: name, message: `volumes or mountPoints is not a plain list here: add a writable volume for ${path} by hand` });
    }
  }
}

const fixReadonlyRoot: Fixer = (context) => {
  for (const { container, index } of failingContainers(context)) {
    context.planner.set(containerPath(context, index), 'readonlyRootFilesystem', true, { control: 'ECS.5', container: container.name });
    const paths = forContainer(context.choices.writable, container.name);
    if (paths === undefined) {
      context.planner.needsInput.push({
        control: 'ECS.5',
        subject: container.name,
        message: `its root filesystem is now read-only and the paths it writes are unknown: name them with --writable ${container.name}=/tmp,/var/cache (or ${container.name}=none)`,
      });
    } else {
      addWritablePaths(context, index, container.name, paths);
    }
  }
};

const fixLogging: Fixer = (context) => {
  const { planner, source, choices } = context;
  const failing = failingContainers(context);
  if (failing.length === 0) return;
  const group = choices.logGroup ?? `/ecs/${source.model.family}`;
  const region = choices.logRegion ?? source.region;
  if (region === undefined) {
    planner.needsInput.push({ control: 'ECS.9', subject: subjectOf(source), message: 'the awslogs Region is unknown (the input has no ARN): give it with --log-region' });
  }
  for (const { container, index } of failing) {
    const options = { 'awslogs-group': group, 'awslogs-region': region ?? '<fill in: the Region of the task>', 'awslogs-stream-prefix': container.name };
    const path = containerPath(context, index);
    const owner = { control: 'ECS.9', container: container.name };
    const existing = planner.field(path, 'logConfiguration');
    if (existing.value === undefined) {
      planner.set(path, 'logConfiguration', planner.shaped({ logDriver: 'awslogs', options }), owner);
    } else {
      // A log configuration without a driver: the driver is added, its other settings kept.
      planner.set([...path, existing.key], 'logDriver', 'awslogs', owner);
      if (planner.field([...path, existing.key], 'options').value === undefined) planner.set([...path, existing.key], 'options', options, owner);
    }
  }
  planner.checks.push({
    control: 'ECS.9',
    subject: subjectOf(source),
    message: `logs go to the awslogs group ${group}: it must exist, and the task execution role must allow logs:CreateLogStream and logs:PutLogEvents on it`,
  });
};

/** An AWS access key id in the environment: the task role is the better fix than a secret. */
const CREDENTIAL_NAMES = new Set(['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN']);

const fixEnvironmentSecrets: Fixer = (context) => {
  const { planner, source, choices } = context;
  let moved = false;
  for (const { container, index } of failingContainers(context)) {
    const path = containerPath(context, index);
    const environmentKey = planner.field(path, 'environment').key;
    const owner = { control: 'ECS.8', container: container.name };
    // From the last variable back, so a removal does not shift the ones still to remove.
    const flagged = container.environment
      .map((variable, position) => ({ variable, position }))
      .filter(({ variable }) => context.fails(withContainers(source.model, [Object.create(container, { environment: { value: [variable] } }) as ContainerDefinition])))
      .reverse();
    for (const { variable, position } of flagged) {
      planner.removeItem([...path, environmentKey], position, owner);
      const arn = choices.secretArns.get(variable.name);
      if (!planner.valuesIn(path, 'secrets', 'name').has(variable.name)) {
        planner.append(path, 'secrets', planner.shaped({ name: variable.name, valueFrom: arn ?? `<fill in: ARN of the Secrets Manager secret or SSM parameter holding ${variable.name}>` }), owner);
        if (arn === undefined) planner.needsInput.push({ control: 'ECS.8', subject: container.name, message: `${variable.name} now comes from secrets: give its secret or parameter with --secret-arn ${variable.name}=ARN` });
      }
      planner.checks.push({
        control: 'ECS.8',
        subject: container.name,
        message: `ROTATE ${variable.name}: its value sits in this task definition's revisions for anyone allowed ecs:DescribeTaskDefinition, so moving it is not enough${CREDENTIAL_NAMES.has(variable.name) ? '; for AWS credentials, give the task a task role (taskRoleArn) instead of keys' : ''}`,
      });
      moved = true;
    }
  }
  if (moved && planner.field(source.at, 'executionRoleArn').value === undefined) {
    planner.needsInput.push({ control: 'ECS.8', subject: subjectOf(source), message: 'secrets are fetched with the task execution role: set executionRoleArn to a role allowed to read them' });
  }
};

const fixPidMode: Fixer = ({ planner, source }) => {
  planner.remove(source.at, 'pidMode', { control: 'ECS.3' });
  planner.checks.push({
    control: 'ECS.3',
    subject: subjectOf(source),
    message: "pidMode host removed: the containers no longer see the host's processes (a monitoring or security agent that needs them will not work); pidMode task shares one namespace between the task's containers if they need that",
  });
};

const fixNetworkMode: Fixer = ({ planner, source, choices }) => {
  planner.set(source.at, 'networkMode', choices.networkMode, { control: 'ECS.17' });
  planner.checks.push({
    control: 'ECS.17',
    subject: subjectOf(source),
    message:
      choices.networkMode === 'awsvpc'
        ? 'networkMode host → awsvpc: each task gets its own network interface; the service (or run-task) needs subnets and security groups (keep assignPublicIp DISABLED, ECS.2), and on EC2 the instance type limits tasks per instance'
        : 'networkMode host → bridge: ports are mapped through Docker; check portMappings (hostPort 0 for dynamic ports behind a load balancer)',
  });
};

const fixEfsTransit: Fixer = (context) => {
  const { planner, source, fails } = context;
  const volumesKey = planner.field(source.at, 'volumes').key;
  source.model.volumes.forEach((volume, index) => {
    if (!fails(withVolumes(source.model, [volume]))) return;
    const efs = planner.field([...source.at, volumesKey, index], 'efsVolumeConfiguration');
    planner.set([...source.at, volumesKey, index, efs.key], 'transitEncryption', 'ENABLED', { control: 'ECS.18', container: `volume ${volume.name}` });
    planner.checks.push({ control: 'ECS.18', subject: `volume ${volume.name}`, message: 'encrypts in transit now: Fargate needs platform version 1.4.0 or later, EC2 instances the EFS mount helper (amazon-efs-utils)' });
  });
};

const fixTags: Fixer = ({ planner, source, choices }) => {
  if (choices.tags.size === 0) {
    planner.needsInput.push({ control: 'ECS.15', subject: subjectOf(source), message: 'it needs tags (see the finding for which keys): add them with --tag KEY=VALUE' });
    return;
  }
  const keys = planner.valuesIn(source.at, 'tags', 'key');
  for (const [key, value] of choices.tags) {
    if (!keys.has(key)) planner.append(source.at, 'tags', planner.shaped({ key, value }), { control: 'ECS.15' });
  }
};

/** By control id; ECS.20 and ECS.21 share one fixer (a non-root, non-administrator user passes both). */
export const TASK_DEFINITION_FIXERS: Readonly<Record<string, Fixer>> = {
  'ECS.3': fixPidMode,
  'ECS.4': fixPrivileged,
  'ECS.5': fixReadonlyRoot,
  'ECS.8': fixEnvironmentSecrets,
  'ECS.9': fixLogging,
  'ECS.15': fixTags,
  'ECS.17': fixNetworkMode,
  'ECS.18': fixEfsTransit,
  'ECS.20': fixUser,
  'ECS.21': fixUser,
};

/** Plans the fixes for every control in `controls` that `source` fails; the edits land in `planner`. */
export function fixTaskDefinition(planner: Planner, source: TaskDefinitionSource, controls: readonly Control[], parameters: ControlParameters, choices: FixChoices): void {
  const failing = controls.filter((control) => control.resourceType === 'AWS::ECS::TaskDefinition' && control.evaluate(source.model, parameters[control.id]).compliance === 'NON_COMPLIANT');
  const byFixer = new Map<Fixer, Control[]>();
  for (const control of failing) {
    const fixer = TASK_DEFINITION_FIXERS[control.id];
    if (fixer === undefined) throw new Error(`fix: no fixer for ${control.id}`);
    byFixer.set(fixer, [...(byFixer.get(fixer) ?? []), control]);
  }
  for (const [fixer, served] of byFixer) {
    const fails = (view: TaskDefinition) => served.some((control) => control.evaluate(view, parameters[control.id]).compliance === 'NON_COMPLIANT');
    fixer({ planner, source, choices, fails });
  }
}

/**
 * Task definition configuration items for the evaluator benchmark, derived from the recorded
 * `checkout-api:7` item: as recorded (an unhardened app and a root sidecar), hardened, a Windows
 * task, and a large one (eight containers with environment variables, EFS volumes).
 */
import { taskDefinitionItem } from '../dev-support/events';

type Json = Record<string, any>;

function hardened(): Json {
  const item = taskDefinitionItem();
  item.configuration.NetworkMode = 'awsvpc';
  for (const container of item.configuration.ContainerDefinitions) {
    Object.assign(container, { User: '1000:1000', ReadonlyRootFilesystem: true, Privileged: false });
    container.LogConfiguration = { LogDriver: 'awslogs', Options: { 'awslogs-group': '/ecs/app', 'awslogs-region': 'us-east-1' }, SecretOptions: [] };
  }
  return item;
}

function windows(): Json {
  const item = hardened();
  item.configuration.RuntimePlatform = { OperatingSystemFamily: 'WINDOWS_SERVER_2022_CORE', CpuArchitecture: 'X86_64' };
  for (const container of item.configuration.ContainerDefinitions) delete container.User;
  return item;
}

function large(): Json {
  const item = hardened();
  const [template] = item.configuration.ContainerDefinitions;
  item.configuration.ContainerDefinitions = Array.from({ length: 8 }, (_, index) => ({
    ...template,
    Name: `worker-${index}`,
    Environment: Array.from({ length: 12 }, (__, variable) => ({ Name: `SETTING_${variable}`, Value: `value-${variable}` })),
  }));
  item.configuration.Volumes = Array.from({ length: 3 }, (_, index) => ({
    Name: `shared-${index}`,
    EfsVolumeConfiguration: { FilesystemId: `fs-0123456789abcdef${index}`, TransitEncryption: 'ENABLED' },
  }));
  return item;
}

export function taskDefinitionCorpus(): Json[] {
  return [taskDefinitionItem(), hardened(), windows(), large()];
}

/** Paths (and `-` for standard input) → scan targets. */
import { ScanTarget } from '../target';
import { discoverFiles, InputFile } from './discover';
import { TargetCollector } from './documents';
import { InputError, parseText, readInputText } from './parse';

export interface LoadedInputs {
  readonly targets: ScanTarget[];
  /** Files read and recognized. */
  readonly filesScanned: number;
  /** Files found by walking a directory that hold nothing the scanner reads (package.json…). */
  readonly filesSkipped: readonly string[];
}

export interface LoadOptions {
  readonly cwd: string;
  readonly readStdin: () => string;
}

export const STDIN = '-';

/**
 * What a walked file must mention to be worth parsing: an ECS resource type (templates, Config items,
 * Terraform's `aws_ecs_…`), a field every ECS API document of interest has, or a container's `image`
 * (a bare container definitions file). Checking the text first keeps a monorepo scan fast.
 */
const ECS_MARKER = /AWS::ECS::|aws_ecs_|containerDefinitions|serviceArn|clusterArn|taskSetArn|capacityProviderArn|"image"/;

export function loadInputs(paths: readonly string[], options: LoadOptions): LoadedInputs {
  if (paths.filter((path) => path === STDIN).length > 1) throw new InputError('standard input (-) can be named only once');
  const collector = new TargetCollector();
  const filesSkipped: string[] = [];
  let filesScanned = 0;
  for (const path of paths) {
    const files: InputFile[] = path === STDIN ? [{ path: STDIN, display: STDIN, explicit: true }] : discoverFiles([path], options.cwd);
    for (const file of files) {
      const text = file.path === STDIN ? options.readStdin() : readInputText(file.path, file.display);
      if (!file.explicit && !ECS_MARKER.test(text)) {
        filesSkipped.push(file.display);
        continue;
      }
      const source = { file: file.display, ...(file.stack !== undefined && { stack: file.stack, synthesized: true }) };
      const recognized = collector.addDocument(parseText(text, file.display), source);
      if (recognized) filesScanned++;
      else if (file.explicit) throw new InputError(UNRECOGNIZED, file.display);
      else filesSkipped.push(file.display);
    }
  }
  return { targets: collector.finish(), filesScanned, filesSkipped };
}

const UNRECOGNIZED =
  'not a CloudFormation template, an ECS task definition or describe-* output, an AWS Config configuration item, `terraform show -json` output or a container definitions list (see `ecs-config-rules scan --help`)';

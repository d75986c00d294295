/** Paths (and `-` for standard input) → scan targets. */
import { ScanTarget } from '../target';
import { discoverFiles, InputFile } from './discover';
import { TargetCollector } from './documents';
import { InputError, InputNotice, ParsedText, parseText, readInputText } from './parse';

/**
 * An input, or part of one, that could not be read: reported beside the findings of everything that
 * could, and the run exits 2. Never silence, never a pass.
 */
export interface UnreadInput {
  /** As reports name it (relative to the working directory); absent when no file is concerned. */
  readonly file?: string;
  /** 1-based line, when known. */
  readonly line?: number;
  /** What was wrong and what was therefore not read. */
  readonly reason: string;
}

// Declared beside InputError, so that the TargetCollector, which records notices, can name it too.
export type { InputNotice } from './parse';

export interface LoadedInputs {
  readonly targets: ScanTarget[];
  /** Files read and recognized. */
  readonly filesScanned: number;
  /** Files found by walking a directory that hold nothing the scanner reads (package.json…). */
  readonly filesSkipped: readonly string[];
  /** What could not be read (only with `partial`; otherwise loading throws instead). */
  readonly unread: readonly UnreadInput[];
  /** Notices about inputs that were read. */
  readonly notices: readonly InputNotice[];
}

export interface LoadOptions {
  readonly cwd: string;
  readonly readStdin: () => string;
  /**
   * Named files that hold no ECS resource are skipped, as in a directory walk, instead of being an
   * error: a pre-commit hook is handed every staged file its pattern matches (package.json too).
   */
  readonly skipUnrelated?: boolean;
  /**
   * Read everything readable and list the rest in `unread` (the CLI and the CDK plugin report both).
   * Without it, any unreadable input throws one InputError naming every such input: a caller that
   * does not look at `unread` can never mistake a partial scan for a whole one.
   */
  readonly partial?: boolean;
}

export const STDIN = '-';

/**
 * What a walked file must mention to be worth parsing: an ECS resource type (templates, Config
 * items, Terraform's `aws_ecs_…`) or a field an ECS API document of interest has. Checking the text
 * first keeps a monorepo scan fast. A file with an ECS resource type or ARN field that no reader
 * understands is reported, never skipped; a weaker hint (`serviceName`: Kubernetes has one too; a
 * container's `image`, as a bare container definitions file has) is skipped when not understood.
 */
const ECS_CONTENT = /AWS::ECS::|aws_ecs_|containerDefinitions|serviceArn|clusterArn|taskSetArn|capacityProviderArn/;
const ECS_HINT = /serviceName|clusterName|autoScalingGroupProvider|"taskDefinition"|taskDefinition:|"image"/;

export function loadInputs(paths: readonly string[], options: LoadOptions): LoadedInputs {
  if (paths.filter((path) => path === STDIN).length > 1) throw new InputError('standard input (-) can be named only once');
  const collector = new TargetCollector();
  const filesSkipped: string[] = [];
  const unreadable: InputError[] = [];
  let filesScanned = 0;
  for (const path of paths) {
    // Discovery lists what it cannot read (a link leaving a directory, a nested stack only in S3) beside the files it can.
    const { files: named, unread } = path === STDIN ? { files: [{ path: STDIN, display: STDIN, explicit: true }], unread: [] } : discoverFiles([path], options.cwd);
    unreadable.push(...unread);
    // Templates listed by a cloud assembly stay explicit: a stack is always read.
    const files = options.skipUnrelated ? named.map((file) => (file.stack === undefined ? { ...file, explicit: false } : file)) : named;
    for (const file of files) {
      try {
        const outcome = loadFile(file, collector, options);
        if (outcome === 'scanned') filesScanned++;
        else filesSkipped.push(file.display);
      } catch (error) {
        if (!(error instanceof InputError)) throw error;
        // Every unreadable file of the run is reported together, not just the first.
        unreadable.push(error);
      }
    }
  }
  if (!options.partial) throwUnreadable(unreadable);
  return { targets: collector.finish(), filesScanned, filesSkipped, unread: unreadable.map(unreadInputOf), notices: collector.notices };
}

function unreadInputOf(error: InputError): UnreadInput {
  return { ...(error.file !== undefined && { file: error.file }), ...(error.line !== undefined && { line: error.line }), reason: error.reason };
}

function throwUnreadable(unreadable: readonly InputError[]): void {
  if (unreadable.length === 1) throw unreadable[0];
  if (unreadable.length > 1) throw new InputError(`${unreadable.length} files could not be read:\n${unreadable.map((error) => `  ${error.message}`).join('\n')}`);
}

function loadFile(file: InputFile, collector: TargetCollector, options: LoadOptions): 'scanned' | 'skipped' {
  // A template discovery parsed is one a cloud assembly lists: explicit, so no content check applies.
  const document = file.parsed ? { parsed: file.parsed, ecsContent: true } : readDocument(file, options);
  if (document === 'skipped') return 'skipped';
  const source = { file: file.display, ...(file.stack !== undefined && { stack: file.stack, synthesized: true, stackMetadata: file.stackMetadata }) };
  if (collector.addDocument(document.parsed, source)) return 'scanned';
  if (file.explicit) throw new InputError(UNRECOGNIZED, file.display);
  if (document.ecsContent) throw new InputError(`mentions ECS but is ${UNRECOGNIZED}`, file.display);
  return 'skipped';
}

/** The file parsed, and whether it mentions an ECS resource; 'skipped' for a walked file that mentions nothing ECS. */
function readDocument(file: InputFile, options: LoadOptions): { parsed: ParsedText; ecsContent: boolean } | 'skipped' {
  const text = file.path === STDIN ? options.readStdin() : readInputText(file.path, file.display);
  const ecsContent = ECS_CONTENT.test(text);
  if (!file.explicit && !ecsContent && !ECS_HINT.test(text)) return 'skipped';
  return { parsed: parseText(text, file.display), ecsContent };
}

const UNRECOGNIZED =
  'not a CloudFormation template, an ECS task definition, create-* input or describe-* output, an AWS Config configuration item, `terraform show -json` output or a container definitions list (see `ecs-config-rules scan --help`)';

/**
 * `--format github`: for a GitHub Actions log, which needs no Advanced Security. The table, with
 * workflow commands stopped around it, then one annotation (`::error file=…,line=…::`) per finding
 * that needs attention, input not read and notice: GitHub shows them on the run, the pull request's
 * files and the checks page
 * (https://docs.github.com/en/actions/reference/workflows-and-actions/workflow-commands).
 *
 * The runner reads every log line as a possible command. A resource or file name in the table
 * (`::stop-commands::x`, `::add-mask::…`, `##[error]…`) would otherwise be one: the table is printed
 * between `::stop-commands::<token>` and `::<token>::`, the token random so the input cannot
 * guess it, and every value in an annotation is escaped as GitHub's toolkit escapes it.
 */
import { randomUUID } from 'node:crypto';
import { isAbsolute, relative, sep } from 'node:path';
import { Finding } from '../../scan/evaluate';
import { emptyGateWarning, needsAttention, ScanReport } from '../../scan/report';
import { fixPlace } from '../../scan/target';
import { printable } from '../../scan/printable';
import { Formatter } from './report';
import { formatTable } from './table';

type AnnotationLevel = 'error' | 'warning';

interface Annotation {
  readonly level: AnnotationLevel;
  readonly title: string;
  readonly message: string;
  readonly file?: string;
  readonly line?: number;
}

/** A command's message: `%`, CR and LF percent-encoded, as `escapeData` of @actions/core's command.ts does. */
export function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** A command's property value: `escapeData`, and `:` and `,`, which end a value (`escapeProperty` of @actions/core). */
export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/** `::error file=bin/app.ts,line=12,title=ECS.4 …::message`: values made printable first, then escaped. */
export function workflowCommand({ level, title, message, file, line }: Annotation): string {
  const properties = [file !== undefined && `file=${escapeProperty(printable(file))}`, line !== undefined && `line=${line}`, `title=${escapeProperty(printable(title))}`].filter(Boolean);
  return `::${level} ${properties.join(',')}::${escapeData(printable(message))}`;
}

/**
 * The file as GitHub places annotations: relative to the repository root, which is the working
 * directory of the action's steps. Standard input, or a file outside the working directory, gets an
 * annotation without a file (shown on the run, not on a file).
 */
function repositoryFile(file: string | undefined, cwd: string): string | undefined {
  if (file === undefined || file === '-') return undefined;
  const path = isAbsolute(file) ? relative(cwd, file) : file;
  if (path === '..' || path.startsWith(`..${sep}`) || isAbsolute(path)) return undefined;
  return path.split(sep).join('/');
}

function levelOf(finding: Finding): AnnotationLevel {
  return finding.gating ? 'error' : 'warning';
}

function findingAnnotation(finding: Finding, cwd: string): Annotation {
  const place = fixPlace(finding.target.location);
  const state = finding.status === 'notEvaluated' ? 'could not evaluate' : 'failed';
  return {
    level: levelOf(finding),
    title: `${finding.control.id} ${state} (${finding.control.severity}): ${finding.control.title}`,
    message: finding.annotation,
    file: repositoryFile(place.file, cwd),
    line: place.line,
  };
}

/**
 * Errors first (the gating findings and the inputs not read), since GitHub shows only the first 10
 * errors and 10 warnings of a step (https://github.com/orgs/community/discussions/68471); the
 * summary and the table list everything.
 */
export function annotationsOf(report: ScanReport): Annotation[] {
  const where = (item: { readonly file?: string; readonly line?: number }) => ({ file: repositoryFile(item.file, report.cwd), line: item.line });
  const findings = report.findings.filter((finding) => needsAttention(finding) && finding.status !== 'suppressed').map((finding) => findingAnnotation(finding, report.cwd));
  const warning = emptyGateWarning(report);
  const annotations: Annotation[] = [
    ...report.unread.map((item) => ({ level: 'error' as const, title: 'ecs-config-rules: not read, so not checked (no verdict)', message: item.reason, ...where(item) })),
    ...findings,
    ...report.notices.map((item) => ({ level: 'warning' as const, title: 'ecs-config-rules: notice', message: item.message, ...where(item) })),
    ...(warning === undefined ? [] : [{ level: 'warning' as const, title: 'ecs-config-rules: nothing could fail', message: `${warning}.` }]),
  ];
  return [...annotations.filter((annotation) => annotation.level === 'error'), ...annotations.filter((annotation) => annotation.level === 'warning')];
}

export const formatGithub: Formatter = (report, options) => {
  const token = randomUUID();
  const annotations = annotationsOf(report).map(workflowCommand);
  return [`::stop-commands::${token}`, formatTable(report, options).trimEnd(), `::${token}::`, ...annotations].join('\n') + '\n';
};

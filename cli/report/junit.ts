/**
 * `--format junit`: one test suite per resource, one test case per control. A failure is
 * `<failure>`, a control that could not decide is `<error>`, suppressed and not-applicable checks
 * are `<skipped>` with the reason, so CI test dashboards show them. Inputs that could not be read
 * come first, as one suite of `<error>` test cases (one per input); notices are its `<system-out>`.
 */
import { countStatuses, Finding, reasonOf } from '../../scan/evaluate';
import { whereIs } from '../../scan/target';
import { describeSuppression, findingsByTarget, inputPlace, ScanReport, TOOL } from '../../scan/report';
import { markup as xml } from './markup';
import { Formatter } from './report';

function outcomeElement(finding: Finding): string {
  const reason = xml(reasonOf(finding));
  switch (finding.status) {
    case 'failed': {
      const expired = finding.suppression?.expired ? `\n${xml(describeSuppression(finding) ?? '')}` : '';
      // The reason without the fix the annotation ends with: the fix is given once, on its own line.
      return `<failure message="${reason}" type="${finding.control.severity}">${reason}\nFix: ${xml(finding.control.remediation)}${expired}</failure>`;
    }
    case 'notEvaluated':
      return `<error message="${reason}" type="NOT_EVALUATED">${xml(finding.annotation)}</error>`;
    case 'suppressed':
      return `<skipped message="${xml(`suppressed, ${describeSuppression(finding)}`)}"/>`;
    case 'notApplicable':
      return `<skipped message="${xml(`not applicable: ${finding.annotation}`)}"/>`;
    case 'passed':
      return '';
  }
}

/**
 * `file` and `line` (the attributes GitLab and most JUnit readers link with): the app's source line
 * for a CDK resource whose creation the assembly recorded, else the file and line read.
 */
function fileAttributes(place: { readonly file?: string; readonly line?: number }): string {
  if (place.file === undefined || place.file === '-') return '';
  return ` file="${xml(place.file)}"${place.line === undefined ? '' : ` line="${place.line}"`}`;
}

function placeOf(finding: Finding): { readonly file?: string; readonly line?: number } {
  const { file, line, source } = finding.target.location;
  return source ?? { file, line };
}

function testCase(finding: Finding, className: string): string {
  const element = outcomeElement(finding);
  const open = `    <testcase name="${xml(`${finding.control.id} ${finding.control.title}`)}" classname="${xml(className)}"${fileAttributes(placeOf(finding))}`;
  return element === '' ? `${open}/>` : `${open}>\n      ${element}\n    </testcase>`;
}

const INPUTS_SUITE = `${TOOL.name} inputs`;

/** The suite of what could not be read (each an `<error>`) and of the notices; none when there are neither. */
function inputsSuite(report: ScanReport): string[] {
  if (report.unread.length === 0 && report.notices.length === 0) return [];
  const cases = report.unread.map((item) => {
    return `    <testcase name="${xml(`could not read ${inputPlace(item) ?? 'an input'}`)}" classname="${INPUTS_SUITE}"${fileAttributes(item)}>\n      <error message="${xml(item.reason)}" type="UNREAD_INPUT">${xml(item.reason)}</error>\n    </testcase>`;
  });
  const notices = report.notices.map((item) => {
    const place = inputPlace(item);
    return `notice: ${xml(place === undefined ? item.message : `${place}: ${item.message}`)}`;
  });
  return [
    `  <testsuite name="${INPUTS_SUITE}" tests="${cases.length}" failures="0" errors="${cases.length}" skipped="0">`,
    ...cases,
    ...(notices.length > 0 ? [`    <system-out>${notices.join('\n')}</system-out>`] : []),
    '  </testsuite>',
  ];
}

export const formatJunit: Formatter = (report) => {
  const suites = [...findingsByTarget(report)].map(([target, findings]) => {
    const counts = countStatuses(findings);
    const className = `${target.resourceType}.${target.name}`;
    return [
      `  <testsuite name="${xml(`${target.name} (${whereIs(target)})`)}" tests="${findings.length}" failures="${counts.failed}" errors="${counts.notEvaluated}" skipped="${counts.suppressed + counts.notApplicable}">`,
      ...findings.map((finding) => testCase(finding, className)),
      '  </testsuite>',
    ].join('\n');
  });
  const totals = countStatuses(report.findings);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${TOOL.name}" tests="${report.findings.length + report.unread.length}" failures="${totals.failed}" errors="${totals.notEvaluated + report.unread.length}" skipped="${totals.suppressed + totals.notApplicable}">`,
    ...inputsSuite(report),
    ...suites,
    '</testsuites>',
    '',
  ].join('\n');
};

/**
 * `--format junit`: one test suite per resource, one test case per control. A failure is
 * `<failure>`, a control that could not decide is `<error>`, suppressed and not-applicable checks
 * are `<skipped>` with the reason, so CI test dashboards show them.
 */
import { countStatuses, Finding, reasonOf } from '../../scan/evaluate';
import { whereIs } from '../../scan/target';
import { describeSuppression, findingsByTarget, TOOL } from '../../scan/report';
import { Formatter } from './report';

const XML_ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/** Escapes text and attribute values, dropping characters XML 1.0 cannot hold. */
function xml(text: string): string {
  return text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '').replace(/[&<>"']/g, (character) => XML_ESCAPES[character]);
}

function outcomeElement(finding: Finding): string {
  const reason = xml(reasonOf(finding));
  switch (finding.status) {
    case 'failed': {
      const expired = finding.suppression?.expired ? `\n${xml(describeSuppression(finding) ?? '')}` : '';
      return `<failure message="${reason}" type="${finding.control.severity}">${xml(finding.annotation)}\nFix: ${xml(finding.control.remediation)}${expired}</failure>`;
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

function testCase(finding: Finding, className: string): string {
  const element = outcomeElement(finding);
  const open = `    <testcase name="${xml(`${finding.control.id} ${finding.control.title}`)}" classname="${xml(className)}"`;
  return element === '' ? `${open}/>` : `${open}>\n      ${element}\n    </testcase>`;
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
    `<testsuites name="${TOOL.name}" tests="${report.findings.length}" failures="${totals.failed}" errors="${totals.notEvaluated}" skipped="${totals.suppressed + totals.notApplicable}">`,
    ...suites,
    '</testsuites>',
    '',
  ].join('\n');
};

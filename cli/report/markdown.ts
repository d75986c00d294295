/**
 * `--format markdown` (and `--step-summary`): the report as GitHub-flavoured Markdown, for a job
 * summary (`$GITHUB_STEP_SUMMARY`) or a pull request comment. The verdict first, the counts, then a
 * table of every finding that needs attention, the inputs not read and the notices.
 *
 * GitHub renders a summary's Markdown and its HTML: every value from the input is made printable,
 * then each ASCII punctuation character is backslash-escaped (CommonMark 2.4: any of them may be),
 * so a name can add no link, image, HTML, table cell, mention or emoji.
 */
import { createColors } from 'picocolors';
import { Finding, reasonOf } from '../../scan/evaluate';
import { describeSuppression, inputPlace, needsAttention, plural, ScanReport } from '../../scan/report';
import { whereIs } from '../../scan/target';
import { printable } from '../../scan/printable';
import { Formatter, STATUS_SYMBOLS, STATUS_WORDS } from './report';
import { summaryLines, verdictLine } from './table';

/**
 * GitHub uploads at most 1 MiB of summary per step, and none of a larger one
 * (https://docs.github.com/en/actions/reference/workflows-and-actions/workflow-commands#step-isolation-and-limits):
 * the findings table stops well before, saying how many rows it left out.
 */
export const SUMMARY_BUDGET_BYTES = 900 * 1024;

/** Text from the input, safe in Markdown: printable, every ASCII punctuation character escaped. */
export function markdownText(text: string): string {
  return printable(text).replace(/[!-/:-@[-`{-~]/g, (character) => `\\${character}`);
}

const plain = createColors(false);

function findingRow(finding: Finding): string {
  const suppression = describeSuppression(finding);
  const reason = `${reasonOf(finding)}${suppression ? ` (${suppression})` : ''}`;
  const cells = [
    `${STATUS_SYMBOLS[finding.status]} ${STATUS_WORDS[finding.status]}${finding.gating ? ' (fails the gate)' : ''}`,
    finding.control.id,
    finding.control.severity,
    markdownText(finding.target.name),
    markdownText(whereIs(finding.target)),
    markdownText(reason),
  ];
  return `| ${cells.join(' | ')} |`;
}

/** The rows that fit the budget, gating findings first, then a line counting the rest. */
function findingsTable(findings: readonly Finding[], budget: number): string[] {
  if (findings.length === 0) return [];
  const ordered = [...findings.filter((finding) => finding.gating), ...findings.filter((finding) => !finding.gating)];
  const lines = ['| status | control | severity | resource | where | reason |', '|---|---|---|---|---|---|'];
  let bytes = Buffer.byteLength(lines.join('\n'));
  for (const [index, finding] of ordered.entries()) {
    const row = findingRow(finding);
    bytes += Buffer.byteLength(row) + 1;
    if (bytes > budget) {
      return [...lines, '', `… and ${plural(ordered.length - index, 'more finding')}, left out to keep this summary within GitHub's limit: the log and the SARIF or JSON report list them all.`];
    }
    lines.push(row);
  }
  return lines;
}

function inputList(heading: string, items: readonly { readonly file?: string; readonly line?: number; readonly text: string }[]): string[] {
  if (items.length === 0) return [];
  return ['', `### ${heading}`, '', ...items.map((item) => {
    const place = inputPlace(item);
    return `- ${place === undefined ? '' : `${markdownText(place)}: `}${markdownText(item.text)}`;
  })];
}

/** The summary; `budget`: the bytes the findings table may take (tests pass a small one). */
export function markdownReport(report: ScanReport, budget = SUMMARY_BUDGET_BYTES): string {
  const [counts] = summaryLines(report, plain);
  const lines = [
    `## ECS controls (ecs-config-rules): ${markdownText(verdictLine(report, plain))}`,
    '',
    markdownText(counts),
    '',
    ...findingsTable(report.findings.filter(needsAttention), budget),
    ...inputList(`Could not read ${plural(report.unread.length, 'input')} (not checked, so no verdict)`, report.unread.map((item) => ({ ...item, text: item.reason }))),
    ...inputList('Notices', report.notices.map((item) => ({ ...item, text: item.message }))),
  ];
  return `${lines.join('\n')}\n`;
}

export const formatMarkdown: Formatter = (report) => markdownReport(report);

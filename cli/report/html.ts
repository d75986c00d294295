/**
 * `--format html`: one self-contained page for a person (an auditor, a reviewer): the verdict, the
 * counts, what could not be read and the notices, charts of what failed (by control and severity,
 * and by account and Region for a live scan across them), the resources × controls grid, then every
 * finding with its reason, fix, place and suppression. Nothing is fetched: the CSS, the SVG charts
 * and the filter script are inline, and the page's Content-Security-Policy allows only those two
 * blocks (by hash) and no network at all, so even a value that escaped its escaping could neither
 * run nor call out. Every value from the input goes through `markup`. Printing prints the findings
 * the filters show, without the filters.
 */
import { createHash } from 'node:crypto';
import { createColors } from 'picocolors';
import { Control } from '../../lambdas/core/control';
import { RESOURCE_TYPES } from '../../lambdas/core/model';
import { countStatuses, Finding, FindingStatus, reasonOf } from '../../scan/evaluate';
import { ScanTarget, whereIs } from '../../scan/target';
import { describeSuppression, findingsByTarget, inputPlace, ScanReport, TOOL } from '../../scan/report';
import { SEVERITIES } from '../../scan/settings';
import { markup } from './markup';
import { Formatter, RESOURCE_TYPE_LABELS, STATUS_SYMBOLS, STATUS_WORDS } from './report';
import { verdictLine } from './table';

/**
 * Input text as HTML: `markup`, then every character beyond Latin-1 as a character reference. The
 * page is then all one-byte characters, which V8 stores in one byte each instead of two: half the
 * memory for a report of 100,000 findings (`npm run bench:scan`).
 */
function text(value: string): string {
  return latin1(markup(value));
}

function latin1(value: string): string {
  return value.replace(/[^\u0000-\u00ff]/gu, (character) => `&#x${(character.codePointAt(0) as number).toString(16)};`);
}

const SYMBOLS: Readonly<Record<FindingStatus, string>> = Object.fromEntries(Object.entries(STATUS_SYMBOLS).map(([status, symbol]) => [status, latin1(symbol)])) as Record<FindingStatus, string>;

/** The statuses in the order every report lists them. */
const STATUSES: readonly FindingStatus[] = ['failed', 'notEvaluated', 'suppressed', 'passed', 'notApplicable'];

/** What the findings list shows when the page opens: what needs attention (the rest is one click away). */
const SHOWN_AT_FIRST: ReadonlySet<FindingStatus> = new Set(['failed', 'notEvaluated', 'suppressed']);

/** The findings table's columns (under each resource's heading row) and their share of its width (a fixed layout: a long property path wraps instead of widening the page). */
const FINDING_COLUMNS: readonly (readonly [string, number])[] = [
  ['Status', 10],
  ['Control', 7],
  ['Severity', 8],
  ['Reason', 35],
  ['Fix', 22],
  ['Suppression', 18],
];

const STYLE = `
:root { --failed: #c62828; --notEvaluated: #7b1fa2; --suppressed: #616161; --passed: #2e7d32; --notApplicable: #9e9e9e; font-family: system-ui, sans-serif; color: #212121; }
body { margin: 1.5rem auto; max-width: 96rem; padding: 0 1rem; line-height: 1.4; }
h1 { font-size: 1.5rem; margin-bottom: 0.25rem; } h2 { font-size: 1.2rem; margin-top: 2rem; border-bottom: 1px solid #ddd; } h3 { font-size: 1rem; }
.meta { color: #616161; margin-top: 0; }
.verdict { font-weight: bold; padding: 0.6rem 0.8rem; border-radius: 4px; border-left: 6px solid; }
.verdict-fail { border-color: var(--failed); background: #fdecea; } .verdict-warn { border-color: #f9a825; background: #fff8e1; } .verdict-pass { border-color: var(--passed); background: #e8f5e9; }
.summary { display: flex; flex-wrap: wrap; gap: 0.5rem; padding: 0; margin: 1rem 0; }
.summary div { border: 1px solid #ddd; border-radius: 4px; padding: 0.4rem 0.8rem; min-width: 7rem; }
.summary dt { font-size: 0.8rem; color: #616161; } .summary dd { margin: 0; font-size: 1.4rem; font-weight: bold; }
.s-failed { color: var(--failed); } .s-notEvaluated { color: var(--notEvaluated); } .s-suppressed { color: var(--suppressed); } .s-passed { color: var(--passed); } .s-notApplicable { color: var(--notApplicable); }
.charts { display: flex; flex-wrap: wrap; gap: 1.5rem; } .charts figure { margin: 0; } figcaption { font-weight: bold; margin-bottom: 0.3rem; }
.bar-failed { fill: var(--failed); } .bar-notEvaluated { fill: var(--notEvaluated); } svg text { font-size: 12px; fill: #212121; }
.legend span::before { content: ''; display: inline-block; width: 0.8em; height: 0.8em; margin: 0 0.3em 0 0.8em; background: currentColor; }
table { border-collapse: collapse; margin: 0.5rem 0 1rem; } th, td { border: 1px solid #e0e0e0; padding: 0.25rem 0.45rem; text-align: left; vertical-align: top; }
th { background: #f5f5f5; } .grid td { overflow-wrap: anywhere; } .grid td:nth-child(n+3) { text-align: center; } .grid .where { min-width: 12rem; }
.scroll { overflow-x: auto; } .grid a { text-decoration: none; color: inherit; display: block; }
.findings { width: 100%; } .findings td { font-size: 0.9rem; } .findings .gating td:first-child { border-left: 4px solid var(--failed); }
.findings tr.resource th { background: #fafafa; font-weight: normal; padding-top: 0.6rem; }
${STATUSES.map((status) => `.findings tr[data-status=${status}] td:first-child { color: var(--${status}); }`).join(' ')}
code, .where { font-family: ui-monospace, monospace; font-size: 0.85em; overflow-wrap: break-word; }
.findings { table-layout: fixed; } .findings td { overflow-wrap: anywhere; }
${FINDING_COLUMNS.map(([, width], index) => `.findings th:nth-child(${index + 1}) { width: ${width}%; }`).join(' ')}
.below { color: #616161; font-style: italic; }
.filters { display: flex; flex-wrap: wrap; gap: 0.4rem 1rem; align-items: center; padding: 0.5rem; background: #f5f5f5; border-radius: 4px; }
.filters fieldset { border: 0; padding: 0; margin: 0; }
tr[hidden] { display: none; }
@media print {
  body { margin: 0; max-width: none; font-size: 10pt; } .filters, noscript { display: none; } .scroll { overflow: visible; }
  * { print-color-adjust: exact; -webkit-print-color-adjust: exact; }
  tr { break-inside: avoid; } tr.resource, h2 { break-after: avoid; } .charts figure { break-inside: avoid; }
}
`;

/** The filters: which statuses, a severity, a control and text; the counts show how many rows are shown. Reads no input: the rows' data attributes hold it. */
const SCRIPT = `
(() => {
  const form = document.getElementById('filters');
  const rows = Array.from(document.querySelector('#findings tbody').children);
  const shown = document.getElementById('shown');
  const severityOf = new Map(Array.from(form.elements.control.options, (option) => [option.value, option.dataset.severity]));
  function apply() {
    const statuses = new Set(Array.from(form.querySelectorAll('input[name=status]:checked'), (box) => box.value));
    const severity = form.elements.severity.value;
    const control = form.elements.control.value;
    const text = form.elements.text.value.trim().toLowerCase();
    let count = 0;
    let heading = null;
    let headingText = '';
    let headingShown = false;
    const closeHeading = () => { if (heading) heading.hidden = !headingShown; };
    // Rows come resource by resource: a heading row, then its findings; a heading shows when one of its findings does.
    for (const row of rows) {
      if (row.classList.contains('resource')) {
        closeHeading();
        [heading, headingText, headingShown] = [row, row.textContent.toLowerCase(), false];
        continue;
      }
      const visible = statuses.has(row.dataset.status) && (severity === '' || severityOf.get(row.dataset.control) === severity) && (control === '' || row.dataset.control === control) && (text === '' || headingText.includes(text) || row.textContent.toLowerCase().includes(text));
      row.hidden = !visible;
      if (visible) [count, headingShown] = [count + 1, true];
    }
    closeHeading();
    shown.textContent = String(count);
  }
  // A link from the grid to a finding the filters hide shows that finding's status.
  function reveal() {
    const row = location.hash.length > 1 ? document.getElementById(location.hash.slice(1)) : null;
    if (!row || !row.hidden) return;
    form.reset();
    form.querySelector('input[name=status][value="' + row.dataset.status + '"]').checked = true;
    apply();
    row.scrollIntoView();
  }
  form.addEventListener('input', apply);
  form.addEventListener('reset', () => setTimeout(apply));
  form.addEventListener('submit', (event) => event.preventDefault());
  window.addEventListener('hashchange', reveal);
  apply();
  reveal();
})();
`;

/** `'sha256-...'`: a CSP source allowing exactly this inline block. */
function cspHash(text: string): string {
  return `'sha256-${createHash('sha256').update(text).digest('base64')}'`;
}

const CONTENT_SECURITY_POLICY = `default-src 'none'; style-src ${cspHash(STYLE)}; script-src ${cspHash(SCRIPT)}; base-uri 'none'; form-action 'none'`;

/** A finding's anchor: its index in the report, so the grid can link to it whatever the input says. */
const anchorOf = (index: number) => `f${index}`;

/** The verdict's tone follows the verdict line's own symbol: ✘ (failing or incomplete), ⚠ (nothing could fail or nothing was checked), ✔. */
function verdictSection(report: ScanReport): string {
  const line = verdictLine(report, createColors(false));
  const tone = line.startsWith('✔') ? 'pass' : line.startsWith('⚠') ? 'warn' : 'fail';
  return `<p id="verdict" class="verdict verdict-${tone}">${text(line)}</p>`;
}

function summaryItem(key: string, label: string, count: number, className = ''): string {
  return `<div data-summary="${key}"${className && ` class="${className}"`}><dt>${label}</dt><dd>${count}</dd></div>`;
}

function summarySection(report: ScanReport): string {
  const counts = countStatuses(report.findings);
  return [
    '<dl class="summary">',
    ...STATUSES.map((status) => summaryItem(status, STATUS_WORDS[status], counts[status], `s-${status}`)),
    summaryItem('gating', `failing the gate (${report.settings.threshold} and above)`, counts.gating),
    summaryItem('resources', 'resources', report.targets.length),
    summaryItem('filesScanned', 'files read', report.filesScanned),
    summaryItem('unread', 'inputs not read', report.unread.length, report.unread.length > 0 ? 's-failed' : ''),
    summaryItem('notices', 'notices', report.notices.length),
    '</dl>',
  ].join('\n');
}

/** A table of inputs (not read, or with a notice): where, then what. */
function inputsTable(id: string, heading: string, items: readonly { readonly file?: string; readonly line?: number; readonly text: string }[]): string {
  if (items.length === 0) return '';
  const rows = items.map((item) => `<tr><td class="where">${text(inputPlace(item) ?? '')}</td><td>${text(item.text)}</td></tr>`);
  return `<section id="${id}"><h2>${heading}</h2>\n<table><thead><tr><th>Where</th><th>What</th></tr></thead><tbody>\n${rows.join('\n')}\n</tbody></table></section>`;
}

function inputsSections(report: ScanReport): string {
  return [
    inputsTable('unread', `Inputs not read (${report.unread.length}): not checked, so no verdict`, report.unread.map((item) => ({ ...item, text: item.reason }))),
    inputsTable('notices', `Notices (${report.notices.length})`, report.notices.map((item) => ({ ...item, text: item.message }))),
  ].join('\n');
}

interface Bar {
  readonly label: string;
  readonly failed: number;
  readonly notEvaluated: number;
}

const CHART = { width: 460, labelWidth: 130, barHeight: 18, gap: 6 } as const;

/** A horizontal bar per label, failed then not evaluated stacked; each bar's `<title>` says both counts. */
function barChart(id: string, caption: string, bars: readonly Bar[]): string {
  const most = Math.max(1, ...bars.map((bar) => bar.failed + bar.notEvaluated));
  const scale = (CHART.width - CHART.labelWidth - 40) / most;
  const height = bars.length * (CHART.barHeight + CHART.gap);
  const rows = bars.map((bar, index) => {
    const y = index * (CHART.barHeight + CHART.gap);
    const failedWidth = bar.failed * scale;
    const total = bar.failed + bar.notEvaluated;
    return [
      `<g data-label="${text(bar.label)}" data-failed="${bar.failed}" data-not-evaluated="${bar.notEvaluated}"><title>${text(`${bar.label}: ${bar.failed} failed, ${bar.notEvaluated} not evaluated`)}</title>`,
      `<text x="${CHART.labelWidth - 6}" y="${y + 13}" text-anchor="end">${text(bar.label)}</text>`,
      `<rect class="bar-failed" x="${CHART.labelWidth}" y="${y}" width="${failedWidth.toFixed(1)}" height="${CHART.barHeight}"/>`,
      `<rect class="bar-notEvaluated" x="${(CHART.labelWidth + failedWidth).toFixed(1)}" y="${y}" width="${(bar.notEvaluated * scale).toFixed(1)}" height="${CHART.barHeight}"/>`,
      `<text x="${(CHART.labelWidth + total * scale + 4).toFixed(1)}" y="${y + 13}">${total}</text></g>`,
    ].join('');
  });
  return `<figure id="${id}"><figcaption>${caption}</figcaption><svg role="img" aria-label="${caption}" width="${CHART.width}" height="${height}" viewBox="0 0 ${CHART.width} ${height}">${rows.join('\n')}</svg></figure>`;
}

/** Failed and not-evaluated counts per key, keys in the order given (or of first appearance). */
function tally(findings: readonly Finding[], keyOf: (finding: Finding) => string | undefined, keys: readonly string[] = []): Bar[] {
  const bars = new Map<string, { failed: number; notEvaluated: number }>(keys.map((key) => [key, { failed: 0, notEvaluated: 0 }]));
  for (const finding of findings) {
    if (finding.status !== 'failed' && finding.status !== 'notEvaluated') continue;
    const key = keyOf(finding);
    if (key === undefined) continue;
    const bar = bars.get(key) ?? { failed: 0, notEvaluated: 0 };
    bar[finding.status]++;
    bars.set(key, bar);
  }
  return [...bars].map(([label, counts]) => ({ label, ...counts }));
}

/** The accounts (or Regions) of the resources read, in the order first read. */
function locationValues(report: ScanReport, key: 'account' | 'region'): string[] {
  return [...new Set(report.targets.flatMap((target) => target.location[key] ?? []))];
}

function chartsSection(report: ScanReport): string {
  const byControl = tally(report.findings, (finding) => finding.control.id, report.settings.controls.map((control) => control.id)).filter((bar) => bar.failed + bar.notEvaluated > 0);
  const charts =
    byControl.length === 0
      ? ['<p>No finding failed or could not be evaluated.</p>']
      : [
          barChart('chart-control', 'By control', byControl),
          barChart('chart-severity', 'By severity', tally(report.findings, (finding) => finding.control.severity, [...SEVERITIES].reverse())),
          // A live scan across accounts and Regions: where the failures are, every account and Region scanned listed.
          ...(report.targets.some((target) => target.location.account !== undefined)
            ? [
                barChart('chart-account', 'By account', tally(report.findings, (finding) => finding.target.location.account, locationValues(report, 'account'))),
                barChart('chart-region', 'By Region', tally(report.findings, (finding) => finding.target.location.region, locationValues(report, 'region'))),
              ]
            : []),
        ];
  const legend = '<p class="legend"><span class="s-failed">failed</span><span class="s-notEvaluated">not evaluated</span></p>';
  return `<section id="charts"><h2>Failed and not evaluated</h2>\n${legend}\n<div class="charts">\n${charts.join('\n')}\n</div></section>`;
}

/** A grid cell: the status symbol (its column names the control), linking to its finding; kept short (no `</td>`), as a fleet's grid has a cell per finding. */
function gridCell(finding: Finding | undefined, index: number | undefined): string {
  if (finding === undefined || index === undefined) return '<td>';
  return `<td class="s-${finding.status}"><a href="#${anchorOf(index)}">${SYMBOLS[finding.status]}</a>`;
}

/** A resource type's grid: a row per resource, a cell per control; one string per row (see `formatHtml`). */
function gridTable(targets: readonly ScanTarget[], controls: readonly Control[], byTarget: Map<ScanTarget, Finding[]>, indexOf: Map<Finding, number>, title: string): string[] {
  const header = `<tr><th>Resource</th><th>Where</th>${controls.map((control) => `<th title="${text(control.title)}">${control.id}</th>`).join('')}</tr>`;
  const rows = targets.map((target) => {
    const findings = byTarget.get(target) ?? [];
    const cells = controls.map((control) => {
      const finding = findings.find((candidate) => candidate.control === control);
      return gridCell(finding, finding && indexOf.get(finding));
    });
    // Without the optional `</td>` and `</tr>`, as in the findings list.
    return `<tr><td>${text(target.name)}<td class="where">${text(whereIs(target))}${cells.join('')}`;
  });
  // A grid wider than the page (many controls) scrolls on its own rather than widening the page.
  return [`<h3>${title}</h3>\n<div class="scroll"><table class="grid"><thead>${header}</thead><tbody>`, ...rows, '</tbody></table></div>'];
}

function gridSection(report: ScanReport, byTarget: Map<ScanTarget, Finding[]>, indexOf: Map<Finding, number>): string[] {
  const tables = RESOURCE_TYPES.flatMap((resourceType) => {
    const targets = report.targets.filter((target) => target.resourceType === resourceType);
    const controls = report.settings.controls.filter((control) => control.resourceType === resourceType);
    return targets.length > 0 && controls.length > 0 ? gridTable(targets, controls, byTarget, indexOf, RESOURCE_TYPE_LABELS[resourceType]) : [];
  });
  if (tables.length === 0) return [];
  const legend = STATUSES.map((status) => `<span class="s-${status}">${SYMBOLS[status]}</span> ${STATUS_WORDS[status]}`).join(' · ');
  return [`<section id="grid"><h2>Resources × controls</h2>\n<p>${legend}</p>`, ...tables, '</section>'];
}

function filtersForm(report: ScanReport): string {
  const counts = countStatuses(report.findings);
  const statusBoxes = STATUSES.map((status) => `<label><input type="checkbox" name="status" value="${status}"${SHOWN_AT_FIRST.has(status) ? ' checked' : ''}> ${STATUS_WORDS[status]} (${counts[status]})</label>`);
  const option = (value: string) => `<option value="${value}">${value}</option>`;
  return [
    '<form id="filters" class="filters">',
    `<fieldset><legend hidden>Status</legend>${statusBoxes.join(' ')}</fieldset>`,
    `<label>Severity <select name="severity"><option value="">any</option>${[...SEVERITIES].reverse().map(option).join('')}</select></label>`,
    `<label>Control <select name="control"><option value="">any</option>${report.settings.controls.map((control) => `<option value="${control.id}" data-severity="${control.severity}" title="${text(control.title)}">${control.id}</option>`).join('')}</select></label>`,
    '<label>Text <input type="search" name="text" placeholder="resource, file, reason"></label>',
    `<span><output id="shown">${report.findings.length}</output> of ${report.findings.length} shown</span>`,
    '</form>',
    '<noscript><p>Filtering needs JavaScript; every finding is listed.</p></noscript>',
  ].join('\n');
}

/** A resource's heading in the findings list: its name, type and where it was read, once for all its findings. */
function resourceRow(target: ScanTarget): string {
  return `<tr class="resource"><th colspan="${FINDING_COLUMNS.length}"><strong>${text(target.name)}</strong> <code>${target.resourceType}</code> <span class="where">${text(whereIs(target))}</span></th></tr>`;
}

/** A finding under its resource: status, control and severity as data for the filters, then what a person reads. */
function findingRow(finding: Finding, index: number): string {
  const { control, status } = finding;
  const below = !finding.gating && (status === 'failed' || status === 'notEvaluated') ? ' <span class="below">(below the severity threshold)</span>' : '';
  // As in the table: a fix for what failed or is accepted; a control that could not decide says in its reason what it needs.
  const fix = status === 'failed' || status === 'suppressed' ? text(control.remediation) : '';
  // No `</td>` or `</tr>`: HTML ends a cell at the next cell and a row at the next row (the HTML
  // standard's optional end tags, https://html.spec.whatwg.org/multipage/syntax.html#optional-tags), and
  // a fleet's report has 100,000 rows. The severity filter reads a row's severity from its control.
  return [
    `<tr id="${anchorOf(index)}"${finding.gating ? ' class="gating"' : ''} data-status="${status}" data-control="${control.id}">`,
    `<td>${SYMBOLS[status]} ${STATUS_WORDS[status]}<td>${control.id}<td>${control.severity}`,
    `<td>${text(reasonOf(finding))}${below}<td>${fix}<td>${text(describeSuppression(finding) ?? '')}`,
  ].join('');
}

/** The findings, resource by resource; one string per row (see `formatHtml`). */
function findingsSection(report: ScanReport, byTarget: Map<ScanTarget, Finding[]>, indexOf: Map<Finding, number>): string[] {
  const header = FINDING_COLUMNS.map(([name]) => `<th>${name}</th>`).join('');
  const rows = [...byTarget].flatMap(([target, findings]) => (findings.length === 0 ? [] : [resourceRow(target), ...findings.map((finding) => findingRow(finding, indexOf.get(finding) as number))]));
  return [`<section id="findings"><h2>Findings (${report.findings.length})</h2>\n${filtersForm(report)}\n<table class="findings"><thead><tr>${header}</tr></thead><tbody>`, ...rows, '</tbody></table></section>'];
}

/**
 * The page, joined once from one string per row: a fleet's report (100,000 findings) is then held
 * twice at most, as its rows and as the page, not once more per section.
 */
export const formatHtml: Formatter = (report) => {
  const byTarget = findingsByTarget(report);
  const indexOf = new Map(report.findings.map((finding, index) => [finding, index]));
  const title = `${TOOL.name} report`;
  return [
    '<!DOCTYPE html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${title}</title>`,
    `<style>${STYLE}</style></head><body>`,
    `<header><h1>${title}: AWS Security Hub ECS controls</h1>`,
    `<p class="meta">${TOOL.name} ${TOOL.version} · evaluated ${text(report.settings.today)} · ${report.settings.controls.length} controls · severity threshold ${report.settings.threshold} · exit code ${report.exitCode}</p></header>`,
    verdictSection(report),
    summarySection(report),
    inputsSections(report),
    chartsSection(report),
    ...gridSection(report, byTarget, indexOf),
    ...findingsSection(report, byTarget, indexOf),
    `<script>${SCRIPT}</script>`,
    '</body></html>',
    '',
  ].join('\n');
};

/**
 * The HTML report in a real browser: Debian's Chromium (`apt-get install -y chromium`; .ci/run
 * installs it) loads the file through playwright-core, a screenshot is taken, and the DOM is checked
 * against the JSON report of the same scan: every finding on the page, the same counts, the filters
 * working, nothing fetched, nothing from the input run. Without Chromium the test is skipped with a
 * warning, except in CI (CI=true), where it fails.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Browser, chromium, Page } from 'playwright-core';
import { printable } from '../../scan/printable';
import { apiTaskDefinition, FIXTURES, JsonReport, runCli, writeTree } from './run-cli';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const available = existsSync(CHROMIUM);
if (!available) {
  const message = `${CHROMIUM} not found: the HTML report's browser test ${process.env.CI ? 'cannot run in CI' : 'is SKIPPED'} (apt-get install -y chromium)`;
  if (process.env.CI) throw new Error(message);
  console.warn(`\n\n*** ${message} ***\n\n`);
}

/** A finding as both reports can name it. */
const key = (status: string, controlId: string, resource: string) => `${status} ${controlId} ${resource}`;

const HOSTILE_FAMILY = `<script>window.pwned=1</script>"'&`;

(available ? describe : describe.skip)('--format html in Chromium', () => {
  /** Where the page and its screenshot are written: HTML_REPORT_DIR to keep them, else a directory removed afterwards. */
  let outputDir: string;
  let tree: ReturnType<typeof writeTree>;
  let browser: Browser;
  let page: Page;
  let report: JsonReport & { errors: unknown[]; notices: unknown[] };
  const requests: string[] = [];
  const problems: string[] = [];

  beforeAll(async () => {
    outputDir = process.env.HTML_REPORT_DIR ?? mkdtempSync(join(tmpdir(), 'ecs-config-rules-html-'));
    tree = writeTree({
      'hostile.json': apiTaskDefinition(HOSTILE_FAMILY, 1, { name: '"><img src=x onerror="window.pwned=2">', privileged: true }),
      'broken.json': '{"family": "web", "containerDefinitions": [',
    });
    const inputs = ['examples/', join(FIXTURES, 'short-forms.yaml'), tree.dir];
    const htmlFile = join(outputDir, 'report.html');
    const [html, json] = await Promise.all([runCli(['scan', ...inputs, '--format', 'html', '--output', htmlFile]), runCli(['scan', ...inputs, '--format', 'json'])]);
    expect([html.code, json.code]).toEqual([2, 2]);
    report = JSON.parse(json.stdout);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'] });
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on('request', (request) => requests.push(request.url()));
    page.on('console', (message) => message.type() === 'error' && problems.push(message.text()));
    page.on('pageerror', (error) => problems.push(error.message));
    await page.goto(pathToFileURL(htmlFile).href);
  });

  afterAll(async () => {
    await browser?.close();
    tree?.remove();
    if (process.env.HTML_REPORT_DIR === undefined) rmSync(outputDir, { recursive: true, force: true });
  });

  test('a screenshot of the whole page', async () => {
    const file = join(outputDir, 'report.png');
    await page.screenshot({ path: file, fullPage: true });

    const png = readFileSync(file);
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    // Width and height, bytes 16–23 of the IHDR chunk.
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([1280, expect.any(Number)]);
    expect(png.readUInt32BE(20)).toBeGreaterThan(900);
  });

  test('nothing fetched but the file itself, no error (a CSP violation is one), nothing from the input run', async () => {
    expect(requests).toEqual([page.url()]);
    expect(problems).toEqual([]);
    expect(await page.evaluate('typeof window.pwned')).toBe('undefined');
    expect(await page.locator('img').count()).toBe(0);
    expect(await page.locator('#findings tr.resource strong').allInnerTexts()).toContain(`${HOSTILE_FAMILY}:1`);
  });

  test('every finding is on the page, once, with the status JSON gives it', async () => {
    // Each finding row under its resource's heading row.
    const rows = await page.$$eval('#findings tr[data-status]', (elements) =>
      elements.map((row) => {
        let heading = row.previousElementSibling;
        while (heading && !heading.classList.contains('resource')) heading = heading.previousElementSibling;
        return [row.getAttribute('data-status'), row.getAttribute('data-control'), heading?.querySelector('strong')?.textContent ?? ''];
      }),
    );

    expect(rows.map(([status, control, resource]) => key(status ?? '', control ?? '', resource)).sort()).toEqual(report.findings.map((finding) => key(finding.status, finding.controlId, printable(finding.resource.name))).sort());
    expect(await page.locator('.grid a[href^="#f"]').count()).toBe(report.findings.length);
  });

  test('the counts agree with JSON: the summary, the rows by status, the inputs not read and the notices', async () => {
    const summary = Object.fromEntries(await page.$$eval('[data-summary]', (items) => items.map((item) => [item.getAttribute('data-summary'), Number(item.querySelector('dd')?.textContent)])));

    expect(summary).toEqual({ ...Object.fromEntries(['failed', 'notEvaluated', 'suppressed', 'passed', 'notApplicable', 'gating', 'resources', 'filesScanned'].map((name) => [name, report.summary[name]])), unread: report.errors.length, notices: report.notices.length });
    for (const status of ['failed', 'notEvaluated', 'suppressed', 'passed', 'notApplicable']) expect(await page.locator(`#findings tr[data-status="${status}"]`).count()).toBe(report.summary[status]);
    expect(await page.locator('#unread tbody tr').count()).toBe(report.errors.length);
    expect(await page.locator('#unread').innerText()).toContain('broken.json');
    expect(await page.locator('#verdict').innerText()).toMatch(/^✘ Incomplete: 1 input could not be read/);
  });

  test('filters: what needs attention at first; a status box, a severity, a control and text narrow the rows, the counter follows', async () => {
    const visible = () => page.locator('#findings tr[data-status]:visible').count();
    const attention = report.summary.failed + report.summary.notEvaluated + report.summary.suppressed;
    expect(await visible()).toBe(attention);
    expect(await page.locator('#shown').innerText()).toBe(String(attention));

    await page.check('input[name=status][value=passed]');
    expect(await visible()).toBe(attention + report.summary.passed);

    await page.selectOption('select[name=control]', 'ECS.20');
    const ecs20 = report.findings.filter((finding) => finding.controlId === 'ECS.20' && finding.status !== 'notApplicable');
    expect(await visible()).toBe(ecs20.length);

    await page.selectOption('select[name=control]', '');
    await page.selectOption('select[name=severity]', 'HIGH');
    await page.fill('input[name=text]', 'checkout-api');
    const expected = report.findings.filter((finding) => finding.status !== 'notApplicable' && finding.severity === 'HIGH' && finding.resource.name.startsWith('checkout-api'));
    expect(expected.length).toBeGreaterThan(0);
    expect(await visible()).toBe(expected.length);
    expect(await page.locator('#shown').innerText()).toBe(String(expected.length));
    // A resource's heading shows only when one of its findings does.
    expect(await page.locator('#findings tr.resource:visible').count()).toBe(new Set(expected.map((finding) => `${finding.resource.name} ${finding.resource.file}`)).size);
  });

  test('a grid cell links to its finding, showing it when the filters hid it', async () => {
    await page.locator('#filters').evaluate((form) => (form as unknown as { reset(): void }).reset());
    const hiddenCell = page.locator('.grid td.s-notApplicable a').first();
    const target = (await hiddenCell.getAttribute('href'))?.slice(1) ?? '';
    expect(await page.locator(`[id="${target}"]`).isVisible()).toBe(false);

    await hiddenCell.click();

    // The page handles `hashchange` after the click returns: wait for the row (failing after 5 s).
    await page.locator(`[id="${target}"]`).waitFor({ state: 'visible', timeout: 5000 });
    expect(await page.locator(`[id="${target}"]`).getAttribute('data-status')).toBe('notApplicable');
  });

  test('printed: the filters are left out, the findings shown stay', async () => {
    await page.emulateMedia({ media: 'print' });
    try {
      expect(await page.locator('#filters').isVisible()).toBe(false);
      expect(await page.locator('#findings tr[data-status]:visible').count()).toBeGreaterThan(0);
      expect((await page.pdf()).subarray(0, 5).toString()).toBe('%PDF-');
    } finally {
      await page.emulateMedia({ media: 'screen' });
    }
  });
});

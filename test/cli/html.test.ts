/**
 * `--format html` as text: one file that needs nothing else (no fetch, nothing the CSP does not
 * allow by hash), every value from the input escaped, and what a person must not miss (inputs not
 * read, notices, a run that checked nothing) on the page. test/cli/html-browser.test.ts opens it in
 * Chromium; test/cli/html-live.test.ts renders a live scan across accounts and Regions.
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { App, Stack, aws_ecs as ecs } from 'aws-cdk-lib';
import { apiTaskDefinition, FIXTURES, runCli, writeTree } from './run-cli';

const TEMPLATE = join(FIXTURES, 'short-forms.yaml');

async function html(argv: readonly string[], cwd?: string): Promise<{ code: number; page: string }> {
  const run = await runCli(['scan', ...argv, '--format', 'html'], { cwd });
  return { code: run.code, page: run.stdout };
}

/** The text of every `<tag>…</tag>` block of the page. */
function blocks(page: string, tag: string): string[] {
  return [...page.matchAll(new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`, 'g'))].map((match) => match[1]);
}

const sha256 = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;

describe('--format html', () => {
  test('one self-contained file: no external reference, and a CSP that allows no network and only its own style and script', async () => {
    const { code, page } = await html([TEMPLATE]);

    expect(code).toBe(1);
    expect(page).toMatch(/^<!DOCTYPE html>\n<html lang="en">/);
    expect(page).not.toMatch(/<link|<img|<iframe|\bsrc=|url\(|@import/i);
    expect([...page.matchAll(/href="([^"]*)"/g)].map((match) => match[1]).every((href) => /^#f\d+$/.test(href))).toBe(true);
    const [csp] = [...page.matchAll(/<meta http-equiv="Content-Security-Policy" content="([^"]+)">/g)].map((match) => match[1]);
    const [style, script] = [blocks(page, 'style'), blocks(page, 'script')];
    expect(style).toHaveLength(1);
    expect(script).toHaveLength(1);
    expect(csp).toBe(`default-src 'none'; style-src ${sha256(style[0])}; script-src ${sha256(script[0])}; base-uri 'none'; form-action 'none'`);
  });

  test('the verdict, the counts, the charts, the grid and every finding with its reason, fix and place', async () => {
    const { page } = await html([TEMPLATE]);

    expect(page).toContain('<p id="verdict" class="verdict verdict-fail">&#x2718; 3 findings at or above LOW severity.</p>');
    const summary = Object.fromEntries([...page.matchAll(/<div data-summary="(\w+)"[^>]*><dt>[^<]*<\/dt><dd>(\d+)<\/dd>/g)].map((match) => [match[1], Number(match[2])]));
    expect(summary).toEqual({ failed: 1, notEvaluated: 2, suppressed: 1, passed: 15, notApplicable: 7, gating: 3, resources: 4, filesScanned: 1, unread: 0, notices: 0 });
    expect(page.match(/<tr id="f\d+"/g)).toHaveLength(26);
    expect(page.match(/<tr class="resource">/g)).toHaveLength(4);
    expect(page.match(/<td class="s-\w+"><a href="#f\d+">/g)).toHaveLength(26);
    expect(page).toMatch(/<g data-label="ECS\.9" data-failed="1" data-not-evaluated="0">/);
    expect(page).toMatch(/<g data-label="MEDIUM" data-failed="0" data-not-evaluated="2">/);
    expect(page).not.toContain('id="chart-account"');
    // Under its resource's heading row: the row of ECS.9 for the task definition `parameterised`.
    const ecs9 = /<tr class="resource"><th colspan="6"><strong>parameterised<\/strong> <code>AWS::ECS::TaskDefinition<\/code> <span class="where">test\/cli\/fixtures\/short-forms\.yaml:63 ParameterisedTaskDefinition<\/span><\/th><\/tr>\n(?:<tr id[^\n]*\n)*?(<tr id="f\d+" class="gating" data-status="failed" data-control="ECS.9">.*)/.exec(page)?.[1];
    expect(ecs9).toContain('<td>&#x2718; failed<td>ECS.9<td>HIGH<td>');
    expect(ecs9).toContain('has containers without logging: app (no logConfiguration).');
    expect(ecs9).toContain('Give these containers a logConfiguration');
    expect(ecs9).toContain('suppression expired on 2020-01-31 (test/cli/fixtures/short-forms.yaml:71): A legacy exemption that ran out.');
  });

  test('characters beyond Latin-1 are character references, so the page is one byte a character in memory', async () => {
    const tree = writeTree({ 'task.json': apiTaskDefinition('caf\u00e9-\u2713-\u{1f680}', 1, {}) });
    try {
      const { page } = await html([join(tree.dir, 'task.json'), TEMPLATE], tree.dir);

      expect(page).toMatch(/^[\u0000-\u00ff]*$/);
      expect(page).toContain('caf\u00e9-&#x2713;-&#x1f680;:1');
      expect(page).toContain('<p id="verdict" class="verdict verdict-fail">&#x2718; ');
    } finally {
      tree.remove();
    }
  });

  test('every value from the input is escaped: tags, quotes, ampersands; control characters and bidi overrides shown as escapes', async () => {
    const family = `<script>window.pwned=1</script>"'&`;
    const container = `"><img src=x onerror=alert(1)>\u202e\u001b[2K`;
    const tree = writeTree({ 'task.json': apiTaskDefinition(family, 1, { name: container, privileged: true }) });
    try {
      const { page } = await html([join(tree.dir, 'task.json')], tree.dir);

      expect(blocks(page, 'script')).toHaveLength(1);
      expect(page).not.toContain('<img');
      expect(page).not.toContain(container);
      expect(page).toContain('&lt;script&gt;window.pwned=1&lt;/script&gt;&quot;&apos;&amp;:1');
      expect(page).toContain('&quot;&gt;&lt;img src=x onerror=alert(1)&gt;\\u202e\\u001b[2K');
    } finally {
      tree.remove();
    }
  });

  test('inputs not read and notices are listed with their place; the verdict is incomplete', async () => {
    const tree = writeTree({
      'broken.json': '{"family": "web", "containerDefinitions": [',
      'template.yaml': 'Resources:\n  Nested:\n    Type: AWS::CloudFormation::Stack\n    Properties:\n      TemplateURL: https://example.test/nested.json\n  Task:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n      ContainerDefinitions:\n        - Name: app\n          Image: app\n',
    });
    try {
      const { code, page } = await html([tree.dir], tree.dir);

      expect(code).toBe(2);
      expect(page).toMatch(/<p id="verdict" class="verdict verdict-fail">&#x2718; Incomplete: 1 input could not be read/);
      expect(page).toMatch(/<section id="unread"><h2>Inputs not read \(1\): not checked, so no verdict<\/h2>[\s\S]*<td class="where">broken\.json(:\d+)?<\/td><td>.+<\/td>/);
      expect(page).toMatch(/<section id="notices"><h2>Notices \(1\)<\/h2>[\s\S]*<td class="where">template\.yaml:2<\/td><td>[^<]*not checked/);
      expect(page).toMatch(/<div data-summary="unread" class="s-failed"><dt>inputs not read<\/dt><dd>1<\/dd>/);
    } finally {
      tree.remove();
    }
  });

  test('a run that checked nothing warns instead of passing', async () => {
    const tree = writeTree({ 'package.json': { name: 'app' } });
    try {
      const { code, page } = await html([tree.dir], tree.dir);

      expect(code).toBe(0);
      expect(page).toContain('<p id="verdict" class="verdict verdict-warn">&#x26a0; No ECS resource was read from 1 file: nothing was checked.</p>');
      expect(page).not.toContain('class="verdict verdict-pass"');
      expect(page).toContain('<p>No finding failed or could not be evaluated.</p>');
    } finally {
      tree.remove();
    }
  });

  test('a cdk.out: HTML and CSV name the template, the stack, the construct path and where the app created the resource', async () => {
    const tree = writeTree({});
    try {
      const app = new App({ outdir: join(tree.dir, 'cdk.out'), context: { 'aws:cdk:enable-path-metadata': true } });
      new ecs.FargateTaskDefinition(new Stack(app, 'Web'), 'Task').addContainer('app', { image: ecs.ContainerImage.fromRegistry('nginx') });
      app.synth();

      const { code, page } = await html(['cdk.out'], tree.dir);
      const csv = await runCli(['scan', 'cdk.out', '--format', 'csv'], { cwd: tree.dir });

      expect(code).toBe(1);
      expect(page).toMatch(/<span class="where">cdk\.out\/Web\.template\.json:\d+ Task\w+, created at [^<]*html\.test\.ts:\d+<\/span><\/th><\/tr>\n(<tr id[^\n]*\n)*<tr id="f\d+" class="gating" data-status="failed" data-control="ECS.20">/);
      expect(csv.stdout).toMatch(/^"failed","true","ECS\.20",.*,"cdk\.out\/Web\.template\.json","\d+","Task\w+","Web\/Task\/Resource","Web","","","","[^"]*html\.test\.ts:\d+",/m);
    } finally {
      tree.remove();
    }
  });
});

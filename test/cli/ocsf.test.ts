/**
 * `--format ocsf`: every event validates against the OCSF 1.8.0 Compliance Finding class's required
 * attributes and enums (fixtures/ocsf/compliance-finding-1.8.0.schema.json, written from the
 * published schema), one event per finding of the same report JSON prints, statuses mapped, ids
 * stable, and what was not read an event of its own.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import { App, Stack, aws_ecs as ecs } from 'aws-cdk-lib';
import { FIXTURES, REPOSITORY, runCli, scanJson, writeTree } from './run-cli';

const TEMPLATE_DIR = join(FIXTURES, 'findings-formats');
const validate = new Ajv({ allErrors: true }).compile(JSON.parse(readFileSync(join(FIXTURES, 'ocsf', 'compliance-finding-1.8.0.schema.json'), 'utf8')));
const NOW = new Date('2026-03-01T12:00:00Z');

type OcsfEvent = {
  readonly time: number;
  readonly severity_id: number;
  readonly status_id: number;
  readonly message: string;
  readonly finding_info: { readonly uid: string; readonly title: string };
  readonly compliance: { readonly control?: string; readonly status_id: number; readonly status: string; readonly checks?: { readonly severity_id: number }[] };
  readonly resources?: { readonly uid: string; readonly name: string; readonly data?: { readonly line?: number } }[];
  readonly unmapped?: { readonly suppression?: { readonly reason: string } };
};

async function ocsfEvents(argv: readonly string[], cwd?: string): Promise<{ code: number; events: OcsfEvent[]; stdout: string }> {
  const run = await runCli(['scan', '--format', 'ocsf', ...argv], { now: NOW, ...(cwd && { cwd }) });
  return { code: run.code, stdout: run.stdout, events: run.stdout.trimEnd().split('\n').filter(Boolean).map((line) => JSON.parse(line) as OcsfEvent) };
}

function eventOf(events: readonly OcsfEvent[], control: string): OcsfEvent {
  const event = events.find((candidate) => candidate.compliance.control === control);
  if (!event) throw new Error(`no ${control} event`);
  return event;
}

describe('scan --format ocsf', () => {
  it('writes one valid Compliance Finding event a line for every finding of the report', async () => {
    // Prepare
    const { report } = await scanJson([TEMPLATE_DIR, '--exit-zero']);
    // Act
    const { events, stdout } = await ocsfEvents([TEMPLATE_DIR]);
    // Assess
    expect(stdout.split('\n').filter(Boolean)).toHaveLength(events.length);
    for (const event of events) expect({ event: event.finding_info.uid, valid: validate(event), errors: validate.errors }).toEqual({ event: event.finding_info.uid, valid: true, errors: null });
    expect(events.map((event) => event.compliance.control)).toEqual(report.findings.map((finding) => finding.controlId));
    expect(events.every((event) => event.time === NOW.getTime())).toBe(true);
  });

  it('is held to the schema: an event without a finding uid or with a status outside the enums is refused', async () => {
    const { events } = await ocsfEvents([TEMPLATE_DIR]);
    const [event] = events;
    expect(validate({ ...event, finding_info: { title: 'no uid' } })).toBe(false);
    expect(validate({ ...event, compliance: { ...event.compliance, status_id: 4 } })).toBe(false);
    expect(validate({ ...event, class_uid: 2001 })).toBe(false);
    expect(validate({ ...event, metadata: { version: '1.8.0', product: {} } })).toBe(false);
  });

  it('maps each status as the shared mapping says: compliance Pass/Warning/Fail/Other, lifecycle New/Suppressed/Resolved/Archived', async () => {
    const { events } = await ocsfEvents([TEMPLATE_DIR]);
    const summary = (control: string) => {
      const event = eventOf(events, control);
      return [event.compliance.status, event.status_id, event.severity_id];
    };
    expect(summary('ECS.4')).toEqual(['Fail', 1, 4]); // failed: New, the control's High
    expect(summary('ECS.5')).toEqual(['Fail', 3, 4]); // suppressed: still Fail, lifecycle Suppressed
    expect(summary('ECS.20')).toEqual(['Warning', 1, 3]); // could not evaluate: Warning, never Pass
    expect(summary('ECS.3')).toEqual(['Pass', 4, 1]); // passed: Resolved, Informational
    expect(summary('ECS.21')).toEqual(['Not Applicable', 5, 1]); // not applicable: Other (99), Archived
    expect(eventOf(events, 'ECS.21').compliance.status_id).toBe(99);
    // The check keeps the control's own severity when the event's is Informational.
    expect(eventOf(events, 'ECS.3').compliance.checks?.[0].severity_id).toBe(4);
    expect(eventOf(events, 'ECS.5').unmapped?.suppression?.reason).toBe('the image writes to /var/cache until the next release');
    expect(eventOf(events, 'ECS.20').message).toContain('ContainerUser');
  });

  it('names the resource by file and logical id, with its line, and keeps finding ids when the resource moves', async () => {
    const original = readFileSync(join(TEMPLATE_DIR, 'template.yaml'), 'utf8');
    const tree = writeTree({ 'template.yaml': original, 'moved/template.yaml': original });
    try {
      const before = await ocsfEvents(['template.yaml'], tree.dir);
      const shifted = writeTree({ 'template.yaml': original.replace('Resources:\n', 'Resources:\n  # a comment moves every resource down\n') });
      try {
        const after = await ocsfEvents(['template.yaml'], shifted.dir);
        const web = eventOf(before.events, 'ECS.4').resources?.[0];
        expect(web).toMatchObject({ uid: 'template.yaml#WebTask', name: 'web' });
        expect(eventOf(after.events, 'ECS.4').resources?.[0].data?.line).toBe((web?.data?.line ?? 0) + 1);
        expect(after.events.map((event) => event.finding_info.uid)).toEqual(before.events.map((event) => event.finding_info.uid));
      } finally {
        shifted.remove();
      }
      // Another file's resource of the same name is another finding.
      const moved = await ocsfEvents(['moved/template.yaml'], tree.dir);
      expect(eventOf(moved.events, 'ECS.4').finding_info.uid).not.toBe(eventOf(before.events, 'ECS.4').finding_info.uid);
    } finally {
      tree.remove();
    }
  });

  it('reports an input that could not be read as a High Warning event, and exits 2', async () => {
    const tree = writeTree({ 'broken.json': '{ "family": "web", ', 'ok/template.yaml': readFileSync(join(TEMPLATE_DIR, 'template.yaml'), 'utf8') });
    try {
      const { code, events } = await ocsfEvents(['broken.json', 'ok/template.yaml'], tree.dir);
      expect(code).toBe(2);
      const unread = events.filter((event) => event.compliance.control === undefined);
      expect(unread).toHaveLength(1);
      expect(unread[0]).toMatchObject({ severity_id: 4, status_id: 1, compliance: { status_id: 2, status: 'Warning' }, finding_info: { title: expect.stringContaining('broken.json') } });
      expect(validate(unread[0])).toBe(true);
    } finally {
      tree.remove();
    }
  });

  it('reports each notice as an Informational Warning event of its own', async () => {
    const nested = (name: string) => ({ Type: 'AWS::CloudFormation::Stack', Properties: { TemplateURL: `https://example.com/${name}.yaml` } });
    const tree = writeTree({ 'parent.json': { Resources: { First: nested('first'), Second: nested('second'), Cluster: { Type: 'AWS::ECS::Cluster', Properties: { ClusterName: 'main' } } } } });
    try {
      const { code, events } = await ocsfEvents(['parent.json'], tree.dir);
      expect(code).toBe(1);
      const notices = events.filter((event) => event.compliance.control === undefined);
      expect(notices.map((event) => event.message)).toEqual([expect.stringContaining('First is a nested stack'), expect.stringContaining('Second is a nested stack')]);
      expect(notices.map((event) => [event.severity_id, event.compliance.status])).toEqual([[1, 'Warning'], [1, 'Warning']]);
      expect(new Set(notices.map((event) => event.finding_info.uid)).size).toBe(2);
    } finally {
      tree.remove();
    }
  });

  it('validates for the examples and for a cdk.out, an event for every finding, input not read and notice JSON lists', async () => {
    const tree = writeTree({});
    try {
      const app = new App({ outdir: join(tree.dir, 'cdk.out'), context: { 'aws:cdk:enable-path-metadata': true } });
      new ecs.FargateTaskDefinition(new Stack(app, 'Web'), 'Task').addContainer('app', { image: ecs.ContainerImage.fromRegistry('nginx') });
      app.synth();
      for (const [path, cwd] of [['examples', REPOSITORY], ['cdk.out', tree.dir]]) {
        const { report } = await scanJson([path, '--exit-zero'], { cwd });
        const json = report as unknown as { errors: unknown[]; notices: unknown[] };
        const { events } = await ocsfEvents([path], cwd);
        expect({ path, events: events.length }).toEqual({ path, events: report.findings.length + json.errors.length + json.notices.length });
        expect({ path, invalid: events.filter((event) => !validate(event)).length }).toEqual({ path, invalid: 0 });
      }
      const { events } = await ocsfEvents(['cdk.out'], tree.dir);
      expect(eventOf(events, 'ECS.20').resources?.[0]).toMatchObject({ name: expect.stringMatching(/^WebTask/), data: { file: 'cdk.out/Web.template.json', construct_path: 'Web/Task/Resource', stack: 'Web' } });
    } finally {
      tree.remove();
    }
  });

  it('writes the same events to --output, piece by piece, and the summary to standard error', async () => {
    // 240 events, several 64 KB pieces.
    const resources = Object.fromEntries(Array.from({ length: 120 }, (_, index) => [`Cluster${index}`, { Type: 'AWS::ECS::Cluster', Properties: { ClusterName: `c${index}` } }]));
    const tree = writeTree({ 'template.json': { Resources: resources } });
    try {
      const { stdout, events } = await ocsfEvents(['template.json'], tree.dir);
      expect(events).toHaveLength(240);
      expect(stdout.length).toBeGreaterThan(3 * 64 * 1024);
      const run = await runCli(['scan', 'template.json', '--format', 'ocsf', '--output', 'events.jsonl'], { cwd: tree.dir, now: NOW });
      expect(run.stdout).toBe('');
      expect(run.stderr).toContain('Report written to events.jsonl');
      expect(readFileSync(join(tree.dir, 'events.jsonl'), 'utf8')).toBe(stdout);
    } finally {
      tree.remove();
    }
  });
});

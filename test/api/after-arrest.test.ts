/**
 * After the arrest through the one door, end to end: the API as its own process, a real worker and the
 * dev server. A case opened through the API runs past the arrest into CUSTODY (the API never ends a
 * case at the arrest); a coordinator records the initial appearance and an excludable delay over HTTP,
 * and the indictment deadline moves by it in GET /cases/:id/status; a role that may not act is a 403
 * and a bad body a 422 naming the field, neither changing anything; the grand jury's indictment closes
 * the case as INDICTED. Then the real `casebridge` process as a logged-in coordinator: `case court-event`
 * and `case exclude-delay`, a bad flag exit 2 naming it, `case status` showing the custody lines.
 */
import { APPROVER, DRAFTER } from '../case/document-desk';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { CaseStatus, TimelineEntry } from '../../workflows/messages';
import { CLI, runCli, sampleTip, type Run } from '../cli/cli-process';
import { waitFor } from '../harness/wait';
import { startApiEnv, type ApiEnv } from './api-env';

const UNIT = 'aa-unit';
const COORDINATOR = 'Ann Coordinator';
/** The demo profile: a policy day lasts a second, so the case reaches the arrest within the test and 30 days are 30 s. */
const POLICY_DAY_MS = 1_000;

describe('after the arrest through the API and the CLI (real HTTP, dev server)', () => {
  let e: ApiEnv;
  let coordinator: string;
  let liaison: string;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'casebridge-api-arrest-'));
  const tag = String(Date.now()).slice(-8);
  const [HTTP_CASE, CLI_CASE] = [`case-${tag}1`, `case-${tag}2`];
  const handle = (id: string) => e.env.client.workflow.getHandle(id);
  const status = (id: string) => handle(id).query<CaseStatus>('status');
  const timeline = (id: string) => handle(id).query<TimelineEntry[]>('timeline');
  const indictmentDue = (s: CaseStatus) => Date.parse(s.deadlines.find((d) => d.name === 'indictment')!.dueAt);
  const inCustody = (id: string) =>
    waitFor(async () => {
      const s = await status(id);
      if (s.stage === 'CLOSED' || s.stage === 'NEEDS_ATTENTION') throw new Error(`${id} is ${s.stage}: ${s.outcomeReason ?? s.attention?.reason}`);
      // In custody, and its clocks set (the case reads the deployment's policy first).
      return s.stage === 'CUSTODY' && s.deadlines.some((d) => d.name === 'indictment') ? s : undefined;
    }, 120_000);
  const cli = (args: string[], stdin?: string): Promise<Run> =>
    runCli(args, { ...process.env, XDG_CONFIG_HOME: path.join(tmp, 'home'), CASEBRIDGE_API_URL: e.api.url, CASEBRIDGE_LOG_LEVEL: 'warn' }, stdin);

  beforeAll(async () => {
    expect(fs.existsSync(CLI)).toBe(true);
    e = await startApiEnv({ taskQueue: 'api-after-arrest' });
    coordinator = await e.person(COORDINATOR, ['coordinator'], [UNIT]);
    liaison = await e.person('Lou Liaison', ['liaison'], [UNIT]);
    expect(await cli(['login', COORDINATOR, '--password-stdin'], `pw-${COORDINATOR}\n`)).toMatchObject({ code: 0 });
    // Captured just now: in the demo profile a provider's log retention (days as seconds) counts from the capture.
    const tip = (report: string) =>
      sampleTip('domestic-arrest', report, (t) => {
        for (const c of t.personOrUserReported.ipCaptureEvent ?? []) c.dateTime = new Date().toISOString();
      });
    const started = await e.http('POST', '/cases?profile=demo', { token: coordinator, body: [tip(`${tag}1`), tip(`${tag}2`)] });
    expect(started.status).toBe(200);
    expect(started.body.results.map((r: { caseId: string; status: string }) => [r.caseId, r.status])).toEqual([
      [HTTP_CASE, 'started'],
      [CLI_CASE, 'started'],
    ]);
  }, 180_000);
  afterAll(async () => {
    await e?.teardown();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('records the initial appearance and an excludable delay over HTTP, moving the indictment deadline; a wrong role 403 and a bad body 422 change nothing', async () => {
    const s = await inCustody(HTTP_CASE);
    expect(s.custody).toMatchObject({ law: 'US', via: 'local-arrest', warrantless: false, excluded: [] });
    expect(indictmentDue(s) - Date.parse(s.custody!.arrestedAt)).toBe(30 * POLICY_DAY_MS);
    const seen = await e.http('GET', `/cases/${HTTP_CASE}/status`, { token: coordinator });
    expect(seen.status).toBe(200);
    expect(seen.body).toMatchObject({ stage: 'CUSTODY', awaiting: 'court', custody: { law: 'US' } });
    // The OpenAPI document describes what the status carries after the arrest, from the same zod schema.
    const doc = await e.http('GET', '/openapi.json');
    const schemas = doc.body.components.schemas;
    expect(Object.keys(schemas.CaseStatus.properties)).toEqual(
      expect.arrayContaining(['custody', 'dangerCheck', 'grade', 'childAtRisk', 'subscriber', 'warrantReturn']),
    );
    expect(Object.keys(schemas.Custody.properties)).toEqual(expect.arrayContaining(['law', 'arrestedAt', 'excluded', 'relevantTime', 'bail', 'missed']));

    const post = (route: string, body: unknown, token = coordinator) => e.http('POST', `/cases/${HTTP_CASE}/${route}`, { token, body });
    const before = await timeline(HTTP_CASE);
    const refused = [
      await post('court-events', { event: 'initial-appearance', custody: 'detained', detentionHearing: 'held' }, liaison),
      await post('court-events', { event: 'initial-appearance', custody: 'jailed', detentionHearing: 'held' }),
      await post('court-events', { event: 'arraignment' }),
      await post('excludable-delay', { ground: 'competency-examination', days: 0, reason: 'examined' }),
      await post('excludable-delay', { ground: 'holidays', days: 3, reason: 'closed' }),
      await post('excludable-delay', { ground: 'competency-examination', days: 3, reason: 'examined', actor: 'Someone Else' }),
    ];
    expect(refused.map((r) => [r.status, r.body.field])).toEqual([
      [403, 'role'],
      [422, 'custody'],
      [422, 'event'],
      [422, 'days'],
      [422, 'ground'],
      [422, 'actor'],
    ]);
    expect(refused[0].body.detail).toBe('role: only a coordinator records a court’s event after the arrest');
    expect(refused[1].body.detail).toBe('custody: must be detained or released');
    expect(refused[2].body.detail).toMatch(/^event: must be initial-appearance, detention-hearing, preliminary-hearing or indictment/);
    expect(refused[3].body.detail).toBe('days: must be a whole number of days, 1 or more');
    expect(refused[4].body.detail).toMatch(/^ground: must be one of competency-examination, /);
    for (const r of refused) expect(r.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(await timeline(HTTP_CASE)).toEqual(before);
    expect((await status(HTTP_CASE)).custody).toMatchObject({ excluded: [] });
    expect((await status(HTTP_CASE)).custody!.initialAppearanceAt).toBeUndefined();

    const appeared = await post('court-events', { event: 'initial-appearance', custody: 'detained', detentionHearing: 'held', reference: 'MJ-7' });
    expect(appeared.status).toBe(200);
    expect(appeared.body.custody).toMatchObject({ custody: 'detained', detentionHearing: 'held', initialAppearanceAt: expect.any(String) });
    await waitFor(async () => ((await status(HTTP_CASE)).stage === 'CHARGING' ? true : undefined), 30_000);

    const due = indictmentDue(await status(HTTP_CASE));
    const excluded = await post('excludable-delay', { ground: 'competency-examination', days: 10, reason: 'the court ordered a competency examination' });
    expect(excluded.status).toBe(200);
    const read = await e.http('GET', `/cases/${HTTP_CASE}/status`, { token: coordinator });
    expect(read.status).toBe(200);
    const moved = read.body.deadlines.find((d: { name: string }) => d.name === 'indictment');
    expect(Date.parse(moved.dueAt) - due).toBe(10 * POLICY_DAY_MS);
    expect(moved.source).toMatch(/10 day\(s\) excluded \(§ 3161\(h\)\(1\)\(A\)\)/);
    // The actor is the credential's person, never the body's.
    expect(read.body.custody.excluded).toEqual([expect.objectContaining({ ground: 'competency-examination', days: 10, actor: COORDINATOR })]);
    // The people's inputs, besides the document desk's approvals of the papers before the arrest.
    const desk: string[] = [DRAFTER.actor, APPROVER.actor];
    const inputs = (await timeline(HTTP_CASE)).filter((t) => t.kind === 'input' && !desk.includes(t.actor)).map((t) => [t.actor, t.detail]);
    expect(inputs).toEqual([
      [COORDINATOR, expect.stringMatching(/^initial appearance before the magistrate judge \(MJ-7\): detained/)],
      [COORDINATOR, expect.stringMatching(/^10 day\(s\) of delay excluded \(18 U\.S\.C\. § 3161\(h\)\(1\)\(A\)\)/)],
    ]);

    expect((await post('court-events', { event: 'indictment', reference: 'IND-2026-42' })).status).toBe(200);
    expect(await handle(HTTP_CASE).result()).toMatchObject({ outcome: 'INDICTED' });
  });

  it('casebridge case court-event and exclude-delay as the logged-in coordinator; a bad flag is exit 2 naming it and sends nothing', async () => {
    await inCustody(CLI_CASE);
    const before = await timeline(CLI_CASE);
    const bad = await cli(['case', 'court-event', CLI_CASE, '--event', 'initial-appearance', '--custody', 'jailed', '--detention-hearing', 'held']);
    expect(bad).toEqual({ code: 2, stdout: '', stderr: 'casebridge: --custody: must be detained or released\n' });
    const badDays = await cli(['case', 'exclude-delay', CLI_CASE, '--ground', 'competency-examination', '--days', 'ten', '--reason', 'x']);
    expect(badDays).toEqual({ code: 2, stdout: '', stderr: 'casebridge: --days: must be a whole number of days, e.g. 10\n' });
    // Refused by the case's own validator (its stage, and the field as its flag): an ends-of-justice exclusion rests on a court's order.
    const noOrder = await cli(['case', 'exclude-delay', CLI_CASE, '--ground', 'ends-of-justice', '--days', '5', '--reason', 'complex case']);
    expect(noOrder).toMatchObject({ code: 2, stdout: '' });
    expect(noOrder.stderr).toMatch(/rejected, nothing changed: --order: delay on ground ends-of-justice .* rests on the court’s order: name it\n$/);
    expect(await timeline(CLI_CASE)).toEqual(before);

    const appeared = await cli([
      'case',
      'court-event',
      CLI_CASE,
      '--event',
      'initial-appearance',
      '--custody',
      'released',
      '--detention-hearing',
      'not-sought',
    ]);
    expect(appeared).toMatchObject({ code: 0, stderr: '' });
    expect(appeared.stdout).toMatch(new RegExp(`^${CLI_CASE}: initial-appearance recorded \\(stage CUSTODY\\); now in (CUSTODY|CHARGING)`));
    await waitFor(async () => ((await status(CLI_CASE)).stage === 'CHARGING' ? true : undefined), 30_000);
    const due = indictmentDue(await status(CLI_CASE));
    const excluded = await cli(['case', 'exclude-delay', CLI_CASE, '--ground', 'competency-examination', '--days', '4', '--reason', 'examined']);
    expect(excluded).toMatchObject({ code: 0, stderr: '' });
    expect(excluded.stdout).toBe(`${CLI_CASE}: indictment now due ${new Date(due + 4 * POLICY_DAY_MS).toISOString()}; now in CHARGING, awaiting coordinator\n`);
    const text = await cli(['case', 'status', CLI_CASE]);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^custody {3}US law; arrested \S+ \(local-arrest\)$/m);
    expect(text.stdout).toMatch(/^court {5}initial appearance \S+: released; detention hearing not-sought$/m);
    expect(text.stdout).toMatch(/^excluded {2}4d § 3161\(h\)\(1\)\(A\)$/m);
  });
});

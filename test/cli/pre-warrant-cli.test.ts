/**
 * The real `casebridge` process through the API (its own process) on the dev server, for the steps
 * before the warrant, as logged-in people: every new command's bad input is exit 2 naming the flag
 * (or the case's refusal with its stage) and changes nothing; a role that may not act is refused;
 * good input prints once the case applied it; `respond` reaches a child's safeguarding workflow;
 * `case status` shows the grade, the danger check, the child and the subscriber.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { closingWaitsForSafeguarding, type CaseStatus, type TimelineEntry } from '../../workflows/messages';
import { startApiEnv, type ApiEnv } from '../api/api-env';
import { APPROVER, DRAFTER } from '../case/document-desk';
import { waitFor } from '../harness/wait';
import { CLI, runCli, sampleTip, writeJson, type Run } from './cli-process';

const ANALYST = 'Nia Analyst';
const COORDINATOR = 'Cal Coordinator';
const LIAISON = 'Lou Liaison';
const UNIT = 'pw-unit';
type Who = typeof ANALYST | typeof COORDINATOR | typeof LIAISON;

describe('casebridge: the steps before the warrant (real process, through the API, dev server)', () => {
  let e: ApiEnv;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'casebridge-cli-pw-'));
  const report = String(Date.now()).slice(-9);
  const caseId = `case-${report}`;
  const home = (who: Who) => path.join(tmp, 'home', who.replace(/\W+/g, '-'));
  const as = (who: Who, args: string[], stdin?: string): Promise<Run> =>
    runCli(args, { ...process.env, XDG_CONFIG_HOME: home(who), CASEBRIDGE_API_URL: e.api.url, CASEBRIDGE_LOG_LEVEL: 'warn' }, stdin);
  const status = () => e.env.client.workflow.getHandle(caseId).query<CaseStatus>('status');
  // The people's inputs, not the document desk's approvals of the case's papers, which go on beside them.
  const desk: string[] = [DRAFTER.actor, APPROVER.actor];
  const inputs = async () =>
    (await e.env.client.workflow.getHandle(caseId).query<TimelineEntry[]>('timeline')).filter((t) => t.kind === 'input' && !desk.includes(t.actor)).length;

  beforeAll(async () => {
    expect(fs.existsSync(CLI)).toBe(true);
    // The court denies this case's warrant, so it waits in WARRANT for its coordinator while the steps run.
    e = await startApiEnv({ taskQueue: 'cli-pre-warrant', systems: (s) => s.setScript(caseId, { searchWarrants: ['deny'] }) });
    for (const [who, role] of [
      [ANALYST, 'analyst'],
      [COORDINATOR, 'coordinator'],
      [LIAISON, 'liaison'],
    ] as const) {
      await e.person(who, [role], [UNIT]);
      expect(await as(who, ['login', who, '--password-stdin'], `pw-${who}\n`)).toMatchObject({ code: 0 });
    }
  });
  afterAll(async () => {
    await e?.teardown();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('grades, reports a child, routes a safeguarding answer, refuses bad input naming the flag, and lets the case close while the child is safeguarded', async () => {
    const file = writeJson(tmp, 'tip.json', sampleTip('child-at-risk-sextortion', report));
    expect(await as(COORDINATOR, ['case', 'start', '--tip', file, '--unit', UNIT])).toEqual({ code: 0, stdout: `${caseId}  started\n`, stderr: '' });
    const s = await waitFor(async () => {
      const x = await status();
      return x.stage === 'WARRANT' && x.awaiting === 'coordinator' && x.requests.some((r) => r.kind === 'safeguarding' && r.status === 'IDENTIFYING')
        ? x
        : undefined;
    }, 60_000);
    expect(s.dangerCheck?.state).toMatch(/PENDING|ESCALATED/);
    const before = await inputs();

    // Bad input, caught by the CLI with the workflow's own schema (exit 2, the flag named, nothing sent),
    // by the API's role check, or by the case's validator (its stage and the field, as a flag).
    const refusals: [Who, string[], RegExp][] = [
      [ANALYST, ['case', 'assess-danger', caseId, '--grade', '1', '--reasons', ' '], /^casebridge: --reasons: must say what the decision rests on\n$/],
      [COORDINATOR, ['case', 'child-at-risk', caseId, '--child', 'maybe', '--reason', 'x'], /^casebridge: --child: must be identified .* or at-risk/],
      [COORDINATOR, ['case', 'return-warrant', caseId, '--inventory', 'x', '--items', 'three'], /^casebridge: --items: must be a whole number, e.g. 12\n$/],
      [COORDINATOR, ['case', 'extend-review', caseId, '--until', 'tomorrow', '--court-order', 'O'], /^casebridge: --until: must be an ISO 8601 date-time/],
      [COORDINATOR, ['case', 'request-records-order', caseId, '--facts', 'short'], /^casebridge: --facts: must state the specific and articulable facts/],
      [ANALYST, ['case', 'assess-danger', 'case-x', '--grade', '1', '--reasons', 'x'], /^casebridge: CASE_ID: must be a case id such as case-190000001\n$/],
      [
        ANALYST,
        ['case', 'assess-danger', caseId, '--grade', 'very-high', '--reasons', 'x'],
        /rejected, nothing changed: --grade: 'very-high' is not a grade of the NCMEC priority scale/,
      ],
      [
        COORDINATOR,
        ['case', 'assess-danger', caseId, '--grade', '1', '--reasons', 'x'],
        /rejected, nothing changed: role: an analyst or a manager grades the danger/,
      ],
      [
        COORDINATOR,
        ['case', 'return-warrant', caseId, '--inventory', 'x', '--items', '3'],
        /rejected, nothing changed: case .* has no executed search warrant to return\n$/,
      ],
      [LIAISON, ['case', 'close-while-safeguarding', caseId, '--reason', 'x'], /rejected, nothing changed: role: a coordinator or a manager lets a case close/],
    ];
    for (const [who, args, message] of refusals) {
      const r = await as(who, args);
      expect({ args, code: r.code, stdout: r.stdout }).toEqual({ args, code: 2, stdout: '' });
      expect(r.stderr).toMatch(message);
    }
    expect(await inputs()).toBe(before);

    const graded = await as(ANALYST, ['case', 'assess-danger', caseId, '--grade', '1', '--reasons', 'a meeting planned for Saturday']);
    expect(graded).toMatchObject({ code: 0, stderr: '' });
    expect(graded.stdout).toMatch(new RegExp(`^${caseId}: graded ncmec-priority 1 \\(priority 1\\); now in WARRANT, awaiting coordinator\\n$`));
    const answered = await as(ANALYST, ['respond', caseId, '--request', 'safeguarding-1', '--outcome', 'identified', '--json']);
    expect(answered).toMatchObject({ code: 0, stderr: '' });
    // The command prints once the case shows the answer; by then the child's workflow may have reported to CPS.
    expect(JSON.parse(answered.stdout).request).toMatchObject({
      requestId: `${caseId}/safeguarding-1`,
      status: expect.stringMatching(/^(IDENTIFIED|REPORTED)$/),
    });
    await waitFor(async () => ((await status()).requests.find((r) => r.kind === 'safeguarding')?.status === 'REPORTED' ? true : undefined));

    const text = await as(COORDINATOR, ['case', 'status', caseId]);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^grade {5}ncmec-priority 1 \(a child in imminent danger; by Nia Analyst; act by /m);
    expect(text.stdout).toMatch(/^danger {4}DECIDED: .*sextortion.*; confirmed 1 by Nia Analyst \(analyst\): a meeting planned for Saturday$/m);
    expect(text.stdout).toMatch(new RegExp(`^child {5}AT RISK, not yet safeguarded: ${caseId}/safeguarding-1 REPORTED$`, 'm'));
    expect(text.stdout).toMatch(/^subscriber identified \(ExampleNet Broadband, emergency-2702c4\): \d+ \w+ \w+, Columbus, OH, US$/m);
    const json = JSON.parse((await as(COORDINATOR, ['case', 'status', caseId, '--json'])).stdout) as CaseStatus;
    expect(json).toMatchObject({ childAtRisk: true, grade: { value: '1' }, subscriber: { outcome: 'identified' } });

    // The managers' views list this case first while its child is at risk (the API's child-first paging).
    const cases = await e.http('GET', '/cases?state=open', { token: await e.person('Mae Manager', ['manager'], [UNIT]) });
    expect(cases.body.cases[0]).toMatchObject({ caseId, childAtRisk: true });

    expect(await as(COORDINATOR, ['case', 'child-at-risk', caseId, '--child', 'at-risk', '--reason', 'a younger sibling in the same home'])).toMatchObject({
      code: 0,
      stdout: `${caseId}: safeguarding opening beside the case; now in WARRANT, awaiting coordinator\n`,
    });
    await waitFor(async () => ((await status()).requests.some((r) => r.requestId === `${caseId}/safeguarding-2`) ? true : undefined));
    expect(await as(COORDINATOR, ['case', 'withdraw', caseId, '--reason', 'merged into the state case'])).toMatchObject({ code: 0 });
    await waitFor(async () => (closingWaitsForSafeguarding(await status()) ? true : undefined), 30_000);
    expect(await as(COORDINATOR, ['case', 'close-while-safeguarding', caseId, '--reason', 'CPS carry both children on'])).toMatchObject({ code: 0 });
    expect(await e.env.client.workflow.getHandle(caseId).result()).toMatchObject({ outcome: 'WITHDRAWN' });
  });
});

/**
 * A UK referral's child safeguarding handed over to the force, through the one door (real HTTP, the API
 * as its own process, a real worker, the dev server; CASEBRIDGE_HOME_COUNTRY=GB with the NCA's referrals
 * bureau as the referral unit). The bureau's analyst reports a child at risk and disseminates the referral;
 * the force's case lists the track and its managers' list puts the case first (ChildAtRisk); the force's
 * people answer the track through the force's case by its whole id, to the child protection plan, and the
 * case drops out of "not yet safeguarded". Another unit is a 404, a track the case does not list a 409
 * naming requestId, and the bureau no longer sees the force's case.
 */
import type { CaseStatus } from '../../workflows/messages';
import { forceCaseIdFor } from '../../workflows/tip';
import { sampleTip } from '../cli/cli-process';
import { waitFor } from '../harness/wait';
import { startApiEnv, type ApiEnv } from './api-env';

const BUREAU = 'nca-referrals';
const FORCE = 'force-a';

describe('a referral’s safeguarding handed over to the force (real HTTP, dev server)', () => {
  let e: ApiEnv;
  const tokens: Record<string, string> = {};
  const tag = String(Date.now()).slice(-8);
  const get = (token: string, path: string) => e.http('GET', path, { token });
  const post = (token: string, path: string, body: unknown) => e.http('POST', path, { token, body });
  const statusOf = async (token: string, caseId: string): Promise<CaseStatus> => {
    const r = await get(token, `/cases/${caseId}/status`);
    if (r.status !== 200) throw new Error(`GET status of ${caseId}: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body as CaseStatus;
  };
  const until = <T>(what: string, probe: () => Promise<T | undefined>) =>
    waitFor(probe, 90_000).catch((err: Error) => {
      throw new Error(`${what}: ${err.message}`);
    });

  beforeAll(async () => {
    e = await startApiEnv({ taskQueue: 'api-handover', settings: { CASEBRIDGE_HOME_COUNTRY: 'GB', CASEBRIDGE_REFERRAL_UNIT: BUREAU } });
    tokens.bureauCoordinator = await e.person('Bea Bureau', ['coordinator'], [BUREAU]);
    tokens.bureauAnalyst = await e.person('Ana Bureau', ['analyst'], [BUREAU]);
    tokens.forceCoordinator = await e.person('Fay Force', ['coordinator'], [FORCE]);
    tokens.forceAnalyst = await e.person('Finn Force', ['analyst'], [FORCE]);
    tokens.forceManager = await e.person('Flo Force', ['manager'], [FORCE]);
    tokens.otherForce = await e.person('Olly Other', ['coordinator', 'analyst'], ['force-b']);
  }, 180_000);
  afterAll(async () => {
    await e?.teardown();
  });

  it('the force answers the track through its own case by the track’s whole id; nobody else can', async () => {
    const tip = sampleTip('uk-force-referral', `${tag}1`, (t) => {
      for (const c of t.personOrUserReported.ipCaptureEvent ?? []) c.dateTime = new Date().toISOString();
    });
    const started = await post(tokens.bureauCoordinator, `/cases?profile=demo&unit=${BUREAU}`, [tip]);
    expect(started.status).toBe(200);
    const referral = started.body.results[0].caseId as string;
    await until('the referral in DISSEMINATION', async () =>
      (await statusOf(tokens.bureauCoordinator, referral)).stage === 'DISSEMINATION' ? true : undefined,
    );
    expect(
      (await post(tokens.bureauAnalyst, `/cases/${referral}/child-at-risk`, { child: 'at-risk', reason: 'the reported images appear recent' })).status,
    ).toBe(200);
    expect(
      (await post(tokens.bureauAnalyst, `/cases/${referral}/disseminate`, { unit: FORCE, reason: 'the upload address is in the force’s area' })).status,
    ).toBe(200);

    const force = forceCaseIdFor(referral);
    const track = `${referral}/safeguarding-1`;
    const path = (caseId: string, requestId: string) => `/cases/${caseId}/requests/${encodeURIComponent(requestId)}/responses`;
    await until('the track reporting to the force’s case', async () =>
      (await statusOf(tokens.forceCoordinator, force)).requests.find((r) => r.requestId === track)?.status === 'IDENTIFYING' ? true : undefined,
    );
    // The force's managers see the child not yet safeguarded: the case is listed first, flagged.
    const listed = async () =>
      ((await get(tokens.forceManager, '/cases?state=open')).body.cases as { caseId: string; childAtRisk: boolean }[]).find((c) => c.caseId === force);
    await until('ChildAtRisk on the force’s case', async () => ((await listed())?.childAtRisk === true ? true : undefined));

    // Nobody outside the force answers it: another unit (404, as for an unknown case), a track the case does not list (409), the bureau (404: the force's case is not its).
    expect((await post(tokens.otherForce, path(force, track), { outcome: 'identified' })).status).toBe(404);
    const unlisted = await post(tokens.forceAnalyst, path(force, `case-${tag}9/safeguarding-1`), { outcome: 'identified' });
    expect(unlisted.status).toBe(409);
    expect(unlisted.body).toMatchObject({ field: 'requestId' });
    expect((await post(tokens.bureauAnalyst, path(force, track), { outcome: 'identified' })).status).toBe(404);
    expect((await statusOf(tokens.forceCoordinator, force)).requests.find((r) => r.requestId === track)?.status).toBe('IDENTIFYING');

    // The force's analyst, then its coordinator, take the track to a child protection plan.
    const identified = await post(tokens.forceAnalyst, path(force, track), { outcome: 'identified' });
    expect(identified.status).toBe(200);
    // The track goes on at once to the local authority's referral: the answer may already show it.
    expect(identified.body.requestId).toBe(track);
    expect(['IDENTIFIED', 'REFERRED']).toContain(identified.body.status);
    await until('the local authority’s referral', async () =>
      (await statusOf(tokens.forceCoordinator, force)).requests.find((r) => r.requestId === track)?.status === 'REFERRED' ? true : undefined,
    );
    for (const [outcome, reason] of [
      ['referral-decided', 'strategy-discussion'],
      ['strategy-discussion-held', 'section-47-enquiry'],
      ['enquiry-concluded', 'child-protection-plan'],
    ]) {
      const r = await post(tokens.forceCoordinator, path(force, track), { outcome, reason });
      expect([outcome, r.status]).toEqual([outcome, 200]);
    }
    await until('the track SAFEGUARDED in the force’s case', async () =>
      (await statusOf(tokens.forceCoordinator, force)).requests.find((r) => r.requestId === track)?.status === 'SAFEGUARDED' ? true : undefined,
    );
    await until('ChildAtRisk cleared', async () => ((await listed())?.childAtRisk === false ? true : undefined));
    // The answers stand in the force's timeline, by the verified people who gave them — the last one too, whose line
    // reached the case after the track had reported its end (the case dropped it before: 3 lines of 4, every run).
    const timeline = (await get(tokens.forceCoordinator, `/cases/${force}/timeline`)).body as { actor: string; detail: string }[];
    const answers = timeline
      .filter((x) => x.detail.startsWith(`${track}: `) && ['Finn Force', 'Fay Force'].includes(x.actor))
      .map((x) => x.detail.split(' ')[1]);
    expect(answers).toEqual(['identified', 'referral-decided', 'strategy-discussion-held', 'enquiry-concluded']);
    await e.env.client.workflow.getHandle(force).terminate('test done');
  });
});

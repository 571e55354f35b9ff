/**
 * Every sample tip under test/fixtures/tips walks its own path, chosen by the tip's content alone
 * (no per-test script): the stages it passes, where it stops, the requests it sends.
 */
import fs from 'node:fs';
import { amendAndReapply, resolveJurisdiction, type CaseStatus } from '../../workflows/messages';
import { startCaseEnv, stageSequence, fixtureTip, uniqueReport, FIXTURES, type CaseEnv, DAY } from './case-env';
import { waitFor } from '../harness/wait';

const coordinator = { actor: 'A. Coordinator', role: 'coordinator' as const };

describe('sample tips', () => {
  let ce: CaseEnv;
  beforeAll(async () => {
    ce = await startCaseEnv();
  });
  afterAll(async () => {
    await ce?.teardown();
  });

  const open = (fixture: string) => ce.open(fixtureTip(fixture, (t) => void (t.ncmecReportNumber = uniqueReport())));
  const until = async (h: Parameters<CaseEnv['status']>[0], ok: (s: CaseStatus) => boolean) =>
    waitFor(async () => {
      const s = await ce.status(h);
      return ok(s) ? s : undefined;
    });

  it('has one sample per path', () => {
    expect(fs.readdirSync(FIXTURES).sort()).toEqual([
      'child-at-risk-sextortion.json',
      'data-abroad-mlat.json',
      'data-abroad-no-route.json',
      'data-in-eu-member.json',
      'data-in-uk-cloud-act.json',
      'domestic-arrest.json',
      'jurisdiction-unresolved.json',
      'no-action-viral.json',
      'priority-1-emergency.json',
      'subscriber-behind-cgnat.json',
      'suspect-abroad-extradition.json',
      'suspect-national-not-extradited.json',
      'uk-force-referral.json',
      'warrant-denied.json',
    ]);
  });

  it('warrant-denied: the court denies the first application; amended, it grants, and the suspect is arrested', async () => {
    const h = await open('warrant-denied');
    // After the denial (before it, the coordinator's desk approves the application's papers).
    const s = await until(h, (x) => x.stage === 'WARRANT' && x.awaiting === 'coordinator' && x.requests.some((r) => r.status === 'DENIED'));
    expect(s.requests.filter((r) => r.kind === 'search-warrant')).toEqual([
      expect.objectContaining({ status: 'DENIED', reason: 'insufficient probable cause in the affidavit' }),
    ]);
    await h.executeUpdate(amendAndReapply, { args: [{ ...coordinator, amendment: 'added the subscriber record for the upload IP' }] });
    expect(await ce.finish(h)).toMatchObject({ outcome: 'ARRESTED' });
    expect(stageSequence(await ce.timeline(h))).toEqual([
      'TRIAGE',
      'SUBSCRIBER_ID',
      'FILE_REVIEW',
      'WARRANT',
      'WARRANT_EXECUTION',
      'ARREST_WARRANT',
      'LOCAL_ARREST',
      'CLOSED',
    ]);
    expect(ce.systems.ledger.all({ caseId: h.workflowId, op: 'applyForSearchWarrant' }).map((e) => (e.result as { granted: boolean }).granted)).toEqual([
      false,
      true,
    ]);
  });

  it('domestic-arrest, no-action-viral and priority-1-emergency close as their stories say', async () => {
    const [domestic, viral, p1] = await Promise.all([open('domestic-arrest'), open('no-action-viral'), open('priority-1-emergency')]);
    // One after the other: the environment has one clock, skipped by one caller at a time.
    // The priority-1 tip opens a child's safeguarding beside the case: it closes with a coordinator's word while that goes on.
    const results = [
      await ce.finish(domestic),
      await ce.finish(viral),
      await ce.finish(p1, { whileSafeguarding: 'CPS have the child; their answer is awaited' }),
    ];
    expect(results.map((r) => r.outcome)).toEqual(['ARRESTED', 'NO_ACTION', 'ARRESTED']);
    expect(stageSequence(await ce.timeline(viral))).toEqual(['TRIAGE', 'CLOSED']);
    expect(stageSequence(await ce.timeline(p1))).toContain('EMERGENCY_DISCLOSURE');
    expect((await ce.status(p1)).priority).toBe(1);
  });

  it('child-at-risk-sextortion: flagged, acting as priority 1, the child’s safeguarding open and waiting for an analyst', async () => {
    const h = await open('child-at-risk-sextortion');
    const s = await until(h, (x) => x.requests.some((r) => r.kind === 'safeguarding' && r.status === 'IDENTIFYING'));
    expect(s).toMatchObject({ priority: 1, childAtRisk: true, dangerCheck: { state: 'PENDING' } });
    expect(s.requests.find((r) => r.kind === 'safeguarding')).toMatchObject({ awaiting: 'analyst', workflowId: `${h.workflowId}/safeguarding-1` });
    expect(ce.systems.ledger.all({ caseId: h.workflowId, op: 'matchKnownVictims' })).toHaveLength(1);
  });

  it('subscriber-behind-cgnat: a mobile carrier shares the address (CGNAT), so a coordinator decides where the suspect is', async () => {
    const h = await open('subscriber-behind-cgnat');
    const s = await until(h, (x) => x.stage === 'JURISDICTION');
    expect(s).toMatchObject({ awaiting: 'coordinator', suspectCountry: null, subscriber: { provider: 'Metro Mobile', outcome: 'ambiguous' } });
    expect(s.waitingFor).toContain('subscriber identification: ambiguous');
    expect(s.requests.find((r) => r.kind === 'subscriber-identification')).toMatchObject({ status: 'AMBIGUOUS' });
  });

  it('jurisdiction-unresolved waits for a coordinator', async () => {
    const h = await open('jurisdiction-unresolved');
    await until(h, (s) => s.stage === 'JURISDICTION' && s.awaiting === 'coordinator' && s.suspectCountry === null);
    await h.executeUpdate(resolveJurisdiction, { args: [{ ...coordinator, suspectCountry: 'US', reason: 'subscriber records' }] });
    await until(h, (s) => s.stage !== 'JURISDICTION');
  });

  it('data held abroad goes by the route its country’s policy gives, preserved by the instrument its country offers', async () => {
    const uk = await open('data-in-uk-cloud-act');
    const eu = await open('data-in-eu-member');
    const th = await open('data-abroad-mlat');
    const jp = await open('data-abroad-no-route');
    // The route each country's policy gives (workflows/policy/routing.ts), its stage and the request it opens.
    const routes = [
      [uk, 'GB', 'CLOUD_ACT_ORDER', 'cloud-act-order', 'direct order under US–UK Data Access Agreement'],
      // A US agency cannot issue an EU order (only a member state's authority does): data in Germany goes by MLAT.
      [eu, 'DE', 'MLAT', 'mlat', "an EU production order is issued only by a member state's authority"],
      [th, 'TH', 'MLAT', 'mlat', 'MLAT request through the central authorities'],
      [jp, 'MN', 'FOREIGN_EVIDENCE', 'foreign-evidence', 'no policy for MN: a liaison arranges the channel'],
    ] as const;
    for (const [h, country, stage, kind, why] of routes) {
      const requestId = `${h.workflowId}/${kind}-1`;
      const s = await until(h, (x) => x.stage === stage && x.requests.some((r) => r.requestId === requestId));
      expect(s).toMatchObject({ dataCountry: country, suspectCountry: 'US' });
      expect(s.requests.find((r) => r.requestId === requestId)).toMatchObject({ kind });
      const routed = (await ce.timeline(h)).filter((e) => e.detail.startsWith('evidence route: ')).map((e) => e.detail);
      expect(routed).toEqual([expect.stringContaining(why)]);
      expect(routed[0]).toContain(country);
      expect(ce.systems.ledger.all({ caseId: h.workflowId, op: 'applyForSearchWarrant' })).toHaveLength(0);
    }
    // Only the country the policy table does not list goes to a liaison's channel; the MLAT runs as its own workflow.
    const jpStatus = await ce.status(jp);
    expect(jpStatus).toMatchObject({ awaiting: 'liaison' });
    expect(jpStatus.requests.find((r) => r.kind === 'foreign-evidence')).toMatchObject({ status: 'SENT', awaiting: 'liaison' });
    expect((await ce.status(th)).requests.find((r) => r.kind === 'mlat')).toMatchObject({ workflowId: `${th.workflowId}/mlat-1` });
    for (const h of [uk, eu, th]) expect((await ce.status(h)).requests.some((r) => r.kind === 'foreign-evidence')).toBe(false);

    // Each instrument goes to the system it is addressed to: the 24/7 network, the EU's order gateway.
    const PRESERVATION_OPS = ['requestPreservation', 'issueEuPreservationOrder'];
    const preservedBy = (caseId: string) =>
      ce.systems.ledger
        .all({ caseId })
        .filter((e) => PRESERVATION_OPS.includes(e.op))
        .map((e) => `${e.system}.${e.op}`);
    const instrument = (caseId: string) => (preservedBy(caseId).length > 0 ? 'requested' : 'none');
    await waitFor(async () => (instrument(uk.workflowId) === 'requested' && instrument(eu.workflowId) === 'requested' ? true : undefined));
    expect(preservedBy(uk.workflowId)).toEqual(['foreign-partner.requestPreservation']);
    expect(preservedBy(eu.workflowId)).toEqual(['foreign-partner.requestPreservation']);
    // Thailand is no Budapest party, Mongolia not in the countries table: no automatic instrument, a liaison is told.
    for (const [h, country] of [
      [th, 'TH'],
      [jp, 'MN'],
    ] as const) {
      expect(instrument(h.workflowId)).toBe('none');
      expect((await ce.timeline(h)).some((e) => e.kind === 'alert' && e.detail.includes(`no preservation instrument for data held in ${country}`))).toBe(true);
    }
    // The UK and Germany both through the Budapest 24/7 network: a US agency may not issue an EU
    // preservation order (an Irish one does: evidence-abroad.test.ts).
    const requested = async (h: typeof uk) => (await ce.timeline(h)).find((e) => e.kind === 'request' && e.detail.includes('preservation requested'))?.detail;
    expect(await requested(uk)).toContain('budapest-art29 preservation requested');
    expect(await requested(eu)).toContain('budapest-art29 preservation requested');
    expect(await requested(th)).toBeUndefined();
    expect(await requested(jp)).toBeUndefined();
  });

  it('a suspect abroad, once the evidence is in hand: extradition from the UK, transfer of proceedings to Brazil (which does not extradite its nationals)', async () => {
    const gb = await open('suspect-abroad-extradition');
    const br = await open('suspect-national-not-extradited');
    const extradition = `${gb.workflowId}/extradition-1`;
    const transfer = `${br.workflowId}/transfer-of-proceedings-1`;
    // Arrived: the request has left (a transfer's letter is approved at the document desk first).
    const arrived = (s: CaseStatus, stage: string, requestId: string) =>
      s.stage === stage && s.requests.some((r) => r.requestId === requestId && r.status !== 'AWAITING_APPROVAL');
    // One clock for both cases: let days pass until each is in its stage.
    for (let day = 0; day < 30; day++) {
      if (arrived(await ce.status(gb), 'EXTRADITION', extradition) && arrived(await ce.status(br), 'TRANSFER_OF_PROCEEDINGS', transfer)) break;
      await ce.skip(DAY);
    }
    const g = await until(gb, (x) => arrived(x, 'EXTRADITION', extradition));
    const b = await until(br, (x) => arrived(x, 'TRANSFER_OF_PROCEEDINGS', transfer));
    for (const [s, country] of [
      [g, 'GB'],
      [b, 'BR'],
    ] as const) {
      expect(s).toMatchObject({ suspectCountry: country, dataCountry: 'US', attention: null });
      expect(s.requests.find((r) => r.kind === 'search-warrant')?.status).toBe('EXECUTED');
    }
    // Extradition rests on a domestic arrest warrant and runs as its own workflow; priority 1 makes it urgent.
    expect(g.requests.find((r) => r.kind === 'arrest-warrant')?.status).toBe('GRANTED');
    expect(g.requests.find((r) => r.requestId === extradition)).toMatchObject({ kind: 'extradition', workflowId: extradition });
    await waitFor(async () => (ce.systems.ledger.all({ caseId: gb.workflowId, op: 'requestProvisionalArrest' }).length === 1 ? true : undefined));
    expect(stageSequence(await ce.timeline(gb)).filter((x) => x !== 'EMERGENCY_DISCLOSURE')).toEqual([
      'TRIAGE',
      'SUBSCRIBER_ID',
      'FILE_REVIEW',
      'WARRANT',
      'WARRANT_EXECUTION',
      'ARREST_WARRANT',
      'EXTRADITION',
    ]);
    expect((await ce.timeline(gb)).some((e) => e.detail === 'suspect route: extradition from GB under the treaty (Criminal Resource Manual 602)')).toBe(true);
    // Brazil: no arrest warrant, the case file goes to the Brazilian prosecutor.
    expect(b.requests.find((r) => r.requestId === transfer)).toMatchObject({ kind: 'transfer-of-proceedings', status: 'SENT', awaiting: 'foreign-authority' });
    expect(b).toMatchObject({ awaiting: 'foreign-authority' });
    expect(ce.systems.ledger.all({ caseId: br.workflowId, op: 'applyForArrestWarrant' })).toHaveLength(0);
    expect(ce.systems.ledger.all({ caseId: br.workflowId, op: 'sendCaseFile' }).map((e) => e.key)).toEqual([transfer]);
    expect(stageSequence(await ce.timeline(br))).toEqual(['TRIAGE', 'SUBSCRIBER_ID', 'FILE_REVIEW', 'WARRANT', 'WARRANT_EXECUTION', 'TRANSFER_OF_PROCEEDINGS']);
    expect(
      (await ce.timeline(br)).some((e) => e.detail.startsWith('suspect route: Brazil does not extradite its own nationals: transfer of proceedings')),
    ).toBe(true);
  });
});

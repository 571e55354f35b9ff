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
      'data-abroad-mlat.json',
      'data-in-eu-member.json',
      'data-in-uk-cloud-act.json',
      'domestic-arrest.json',
      'jurisdiction-unresolved.json',
      'no-action-viral.json',
      'priority-1-emergency.json',
      'suspect-abroad-extradition.json',
      'suspect-national-not-extradited.json',
      'warrant-denied.json',
    ]);
  });

  it('warrant-denied: the court denies the first application; amended, it grants, and the suspect is arrested', async () => {
    const h = await open('warrant-denied');
    const s = await until(h, (x) => x.stage === 'WARRANT' && x.awaiting === 'coordinator');
    expect(s.requests.filter((r) => r.kind === 'search-warrant')).toEqual([expect.objectContaining({ status: 'DENIED', reason: 'insufficient probable cause in the affidavit' })]);
    await h.executeUpdate(amendAndReapply, { args: [{ ...coordinator, amendment: 'added the subscriber record for the upload IP' }] });
    expect(await ce.finish(h)).toMatchObject({ outcome: 'ARRESTED' });
    expect(stageSequence(await ce.timeline(h))).toEqual(['TRIAGE', 'FILE_REVIEW', 'WARRANT', 'WARRANT_EXECUTION', 'ARREST_WARRANT', 'LOCAL_ARREST', 'CLOSED']);
    expect(ce.systems.ledger.all({ caseId: h.workflowId, op: 'applyForSearchWarrant' }).map((e) => (e.result as { granted: boolean }).granted)).toEqual([false, true]);
  });

  it('domestic-arrest, no-action-viral and priority-1-emergency close as their stories say', async () => {
    const [domestic, viral, p1] = await Promise.all([open('domestic-arrest'), open('no-action-viral'), open('priority-1-emergency')]);
    // One after the other: the environment has one clock, skipped by one caller at a time.
    const results = [await ce.finish(domestic), await ce.finish(viral), await ce.finish(p1)];
    expect(results.map((r) => r.outcome)).toEqual(['ARRESTED', 'NO_ACTION', 'ARRESTED']);
    expect(stageSequence(await ce.timeline(viral))).toEqual(['TRIAGE', 'CLOSED']);
    expect(stageSequence(await ce.timeline(p1))).toContain('EMERGENCY_DISCLOSURE');
    expect((await ce.status(p1)).priority).toBe(1);
  });

  it('jurisdiction-unresolved waits for a coordinator', async () => {
    const h = await open('jurisdiction-unresolved');
    await until(h, (s) => s.stage === 'JURISDICTION' && s.awaiting === 'coordinator' && s.suspectCountry === null);
    await h.executeUpdate(resolveJurisdiction, { args: [{ ...coordinator, suspectCountry: 'US', reason: 'subscriber records' }] });
    await until(h, (s) => s.stage !== 'JURISDICTION');
  });

  it('data held abroad goes to FOREIGN_EVIDENCE, preserved by the instrument its country offers', async () => {
    const uk = await open('data-in-uk-cloud-act');
    const eu = await open('data-in-eu-member');
    const th = await open('data-abroad-mlat');
    for (const h of [uk, eu, th]) await until(h, (s) => s.stage === 'FOREIGN_EVIDENCE' && s.awaiting === 'liaison');
    const instrument = (caseId: string) =>
      ce.systems.ledger.all({ caseId, op: 'requestPreservation' }).length > 0 ? 'requested' : 'none';
    await waitFor(async () => (instrument(uk.workflowId) === 'requested' && instrument(eu.workflowId) === 'requested' ? true : undefined));
    // Thailand is no Budapest party (countries table): no automatic instrument, a liaison is told.
    expect(instrument(th.workflowId)).toBe('none');
    expect((await ce.timeline(th)).some((e) => e.kind === 'alert' && e.detail.includes('no preservation instrument for data held in TH'))).toBe(true);
    // The UK offers the Budapest 24/7 network; Germany an EU preservation order (e-Evidence Regulation,
    // applying from 2026-08-18: the test server's clock is past it).
    const requested = async (h: typeof uk) => (await ce.timeline(h)).find((e) => e.kind === 'request' && e.detail.includes('preservation requested'))?.detail;
    expect(await requested(uk)).toContain('budapest-art29 preservation requested');
    expect(await requested(eu)).toContain('eu-preservation-order preservation requested');
    expect(await requested(th)).toBeUndefined();
  });

  it('a suspect abroad needs a liaison once the evidence is in hand', async () => {
    const gb = await open('suspect-abroad-extradition');
    const br = await open('suspect-national-not-extradited');
    for (const [h, country] of [[gb, 'GB'], [br, 'BR']] as const) {
      await ce.skip(3 * DAY);
      const s = await until(h, (x) => x.stage === 'NEEDS_ATTENTION');
      expect(s).toMatchObject({ suspectCountry: country, dataCountry: 'US', awaiting: 'coordinator', attention: { step: 'suspect-abroad' } });
      expect(s.requests.find((r) => r.kind === 'search-warrant')?.status).toBe('EXECUTED');
    }
  });
});

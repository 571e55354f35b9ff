/**
 * A UK agency's case (home GB, patch home-country-law), on the time-skipping server: the referral of
 * a US provider's user in Leeds. Communications data under the IPA, the evidence by an overseas
 * production order to the US provider (seven days to produce), preservation through the Budapest 24/7
 * network, a PACE s.8 warrant to search the premises (entered within three months, s.16(3)), the arrest
 * on the search (s.24), and PACE custody. Each clock is read from the case's deadlines and checked
 * against the policy table it came from.
 */
import type { WorkflowHandle } from '@temporalio/client';
import { respond, type CaseStatus, type Respond, type TimelineEntry } from '../../workflows/messages';
import { monthsAfter, GB_PARTNERS, HOME_LAW } from '../../workflows/policy';
import { DAY, fixtureTip, stageSequence, startCaseEnv, uniqueReport, type CaseEnv } from './case-env';
import { recordHistory } from '../harness/histories';
import { waitFor } from '../harness/wait';

const liaison = { actor: 'L. Liaison', role: 'liaison' as const };
const GB = HOME_LAW.GB;
const HOUR = 3_600_000;
const ukTip = (nationality?: string) =>
  fixtureTip('uk-force-referral', (t) => {
    t.ncmecReportNumber = uniqueReport();
    if (nationality) t.personOrUserReported.nationality = nationality;
  });

describe('a UK agency’s case', () => {
  let ce: CaseEnv;
  beforeAll(async () => {
    ce = await startCaseEnv();
  });
  afterAll(async () => {
    await ce?.teardown();
  });

  const until = (h: WorkflowHandle, ok: (s: CaseStatus) => boolean, what: string) =>
    waitFor(async () => {
      const s = await ce.status(h);
      return ok(s) ? s : undefined;
    }, 30_000).catch(async (err: Error) => {
      throw new Error(`${what}: ${err.message}; last status ${JSON.stringify(await ce.status(h))}`);
    });
  const record = (h: WorkflowHandle, r: Omit<Respond, 'actor' | 'role'>) => h.executeUpdate(respond, { args: [{ ...liaison, ...r }] });
  const deadline = (s: CaseStatus, name: string) => s.deadlines.find((d) => d.name === name);
  const line = (t: TimelineEntry[], text: string) => t.find((e) => e.detail.includes(text));
  const ops = (caseId: string, op: string) => ce.systems.ledger.all({ caseId, op });

  it('goes by an overseas production order, a PACE s.8 search and an arrest on the search, into PACE custody', async () => {
    const h = await ce.open(ukTip(), { searchWarrants: ['grant'], executionDelaysDays: [0] }, { homeCountry: 'GB', afterArrest: true });
    const orderId = `${h.workflowId}/cloud-act-order-1`;
    // The application generated from the case and approved by a liaison (the document desk) before the order is served.
    const ordered = await until(
      h,
      (x) => x.stage === 'CLOUD_ACT_ORDER' && x.requests.some((r) => r.requestId === orderId && r.status === 'SENT'),
      'the order served',
    );
    const timeline = await ce.timeline(h);
    // The UK-side table and the UK's instrument, with their sources.
    expect(line(timeline, 'evidence route: data held in US: overseas production order (the Crime (Overseas Production Orders) Act 2019')).toBeDefined();
    expect(line(timeline, GB_PARTNERS.US.cloudActAgreementSince!.source)).toBeDefined();
    // Seven days to produce, from its service: a deadline of the case, with the Act's section.
    const production = deadline(ordered, 'production')!;
    expect(production.source).toBe(GB.directOrder.production!.source);
    const served = Date.parse(timeline.find((e) => e.detail.startsWith(`${orderId}: SENT`))!.at);
    expect(line(timeline, 'made on the application (')?.detail).toContain(
      `with ${GB.directOrder.nonDisclosure!.value} (${GB.directOrder.nonDisclosure!.source})`,
    );
    expect(Date.parse(production.dueAt) - served).toBe(7 * DAY);
    // Preservation of the US-held data: the Budapest Art. 29 request through the 24/7 network.
    expect(line(timeline, 'budapest-art29 preservation requested')).toBeDefined();
    expect(ops(h.workflowId, 'issueCloudActOrder').map((e) => e.key)).toEqual([orderId]);

    await record(h, { requestId: orderId, outcome: 'produced', reference: 'EV-US-1' });
    // Then the premises: a justice of the peace's warrant under PACE s.8.
    const warrant = await until(h, (x) => x.stage === 'WARRANT_EXECUTION' || x.stage === 'CUSTODY' || x.stage === 'LOCAL_ARREST', 'the search warrant');
    const afterOrder = await ce.timeline(h);
    expect(deadline(ordered, 'production')).toBeDefined();
    expect(deadline(warrant, 'production')).toBeUndefined();
    expect(line(afterOrder, `suspect at home: a search of the premises under warrant (${GB.searchWarrant.citation}) and the arrest on it`)).toBeDefined();
    expect(
      line(afterOrder, `search-warrant-1 (search-warrant) application 1 of 3 laid before a justice of the peace (${GB.searchWarrant.citation})`),
    ).toBeDefined();
    const custody = await until(h, (x) => x.stage === 'CUSTODY' && x.custody !== undefined, 'custody');
    expect(custody.custody).toMatchObject({ law: 'GB', via: 'local-arrest' });
    const all = await ce.timeline(h);
    expect(stageSequence(all)).toEqual([
      'TRIAGE',
      'SUBSCRIBER_ID',
      'FILE_REVIEW',
      'CLOUD_ACT_ORDER',
      'WARRANT',
      'WARRANT_EXECUTION',
      'LOCAL_ARREST',
      'CUSTODY',
    ]);
    expect(line(all, `on the search of the premises: ${GB.arrestOnSearch!.value} (${GB.arrestOnSearch!.source})`)).toBeDefined();
    // No court arrest warrant, no provider-served search warrant: the force searched the premises once.
    expect(ops(h.workflowId, 'applyForArrestWarrant')).toHaveLength(0);
    expect(ops(h.workflowId, 'serveWarrant')).toHaveLength(0);
    expect(ops(h.workflowId, 'searchPremises')).toHaveLength(1);
    expect(ops(h.workflowId, 'arrest')).toHaveLength(1);
    // The address's logs were asked to be kept by the force's own policy (no US § 2703(f) for a UK operator).
    expect(deadline(ordered, 'subscriber-log-preservation')?.source ?? line(timeline, 'subscriber-log-preservation due')?.detail).toContain(
      GB.logPreservation.source,
    );
    // The communications data came under the IPA (the UK subscriber route), not a US subpoena.
    expect(ops(h.workflowId, 'authorise')).toHaveLength(1);
    expect(ops(h.workflowId, 'serve').map((e) => (e.result as { reference: string }).reference)).toEqual([expect.stringMatching(/^SUB-IPA-/)]);
    // The UK papers, generated from the case and approved at the desk before each filing: no US template.
    const kinds = (await ce.documents.list(h.workflowId)).map((d) => d.documentId.split('/').pop()!.replace(/\.en$/, ''));
    expect(kinds.sort()).toEqual(['budapest-preservation-request', 'overseas-production-order-application', 'pace-search-warrant-application']);
    // Both referred files reviewed, f-2 too, which the provider had not viewed: no US private-search rule binds a UK force.
    expect(ops(h.workflowId, 'reviewFiles').map((e) => e.result)).toEqual([{ reviewed: 2 }]);
    expect(line(all, `2 referred file(s) reviewed (${GB.fileReview.source})`)).toBeDefined();
    expect(all.filter((e) => e.detail.includes('United States v. Wilson'))).toEqual([]);
    // uk-force-search-arrest is kept as recorded before referred-files-reviewed; this one is from after it.
    await recordHistory(h, 'uk-force-referred-files-reviewed');
    await h.terminate('test done');
  });

  it('chases an overseas production order unanswered after its seven days, then lets a PACE s.8 warrant expire three calendar months after its issue (s.16(3))', async () => {
    const h = await ce.open(ukTip(), { searchWarrants: ['grant'], executionDelaysDays: [200] }, { homeCountry: 'GB' });
    const orderId = `${h.workflowId}/cloud-act-order-1`;
    const served = await until(h, (x) => x.requests.some((r) => r.requestId === orderId) && deadline(x, 'production') !== undefined, 'the order served');
    // Unanswered when the seven days have run: the liaison is chased, once; the deadline stays on the case until the answer.
    const followUps = () => ops(h.workflowId, 'alert').filter((e) => e.key.includes('follow-up-cloud-act-order-1'));
    await ce.skip(Date.parse(deadline(served, 'production')!.dueAt) - Date.parse(served.stageEnteredAt) - HOUR);
    expect(followUps()).toHaveLength(0);
    await ce.skip(2 * HOUR);
    await waitFor(async () => (followUps().length === 1 ? true : undefined), 20_000);
    await record(h, { requestId: orderId, outcome: 'produced', reference: 'EV-US-2' });
    const executing = await until(h, (x) => x.stage === 'WARRANT_EXECUTION' && deadline(x, 'warrant-execution') !== undefined, 'the warrant granted');
    const due = deadline(executing, 'warrant-execution')!;
    expect(due.source).toBe(GB.searchWarrant.execution.source);
    const granted = Date.parse((await ce.timeline(h)).find((e) => e.detail.includes(': GRANTED'))!.at);
    expect(Date.parse(due.dueAt)).toBe(monthsAfter(granted, 3));
    await ce.skip(Date.parse(due.dueAt) - granted + DAY);
    const expired = await until(h, (x) => x.stage === 'WARRANT' && x.awaiting === 'coordinator', 'the expiry');
    expect(expired.requests.filter((r) => r.kind === 'search-warrant').map((r) => r.status)).toEqual(['EXPIRED']);
    expect(line(await ce.timeline(h), `not executed within 3 months (${GB.searchWarrant.execution.source})`)).toBeDefined();
    expect(ops(h.workflowId, 'searchPremises')).toHaveLength(0);
    await h.terminate('test done');
  });

  it('asks by MLAT, not by an overseas production order, when the suspect is a United States person (Agreement Art. 4(3))', async () => {
    const h = await ce.open(ukTip('US'), {}, { homeCountry: 'GB' });
    await until(h, (x) => x.stage === 'MLAT', 'the MLAT stage');
    const t = await ce.timeline(h);
    expect(line(t, 'evidence route: data held in US: MLAT request through the central authorities (the UK Central Authority')).toBeDefined();
    expect(line(t, GB_PARTNERS.US.facts!.cloudActProtectsNationals!.source)).toBeDefined();
    expect(ops(h.workflowId, 'issueCloudActOrder')).toHaveLength(0);
    await h.terminate('test done');
  });
});

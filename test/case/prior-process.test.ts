/**
 * Legal process already served (NCMEC `lawEnforcement`) on the time-skipping server, behind patch
 * legal-process-already-served: served domestically, the case serves no subscriber process of its
 * own and waits in JURISDICTION for a coordinator to obtain the records from that agency; served
 * abroad, the liaison is alerted and the path is the usual one. The assessment's flags are in the
 * status and in the CLI's `case status`.
 */
import type { WorkflowHandle } from '@temporalio/client';
import { Worker } from '@temporalio/worker';
import { statusText } from '../../client/cli/case-text';
import { resolveJurisdiction, withdraw, type CaseStatus } from '../../workflows/messages';
import { PATCHES } from '../../workflows/case';
import type { TipInput } from '../../workflows/tip';
import { recordHistory } from '../harness/histories';
import { workflowBundle } from '../harness/servers';
import { waitFor } from '../harness/wait';
import { fixtureTip, stageSequence, startCaseEnv, uniqueReport, type CaseEnv } from './case-env';

const coordinator = { actor: 'A. Coordinator', role: 'coordinator' as const };

describe('legal process already served', () => {
  let ce: CaseEnv;
  beforeEach(async () => {
    ce = await startCaseEnv();
  });
  afterEach(async () => {
    await ce?.teardown();
  });

  const tip = (lawEnforcement: TipInput['lawEnforcement'], change: (t: TipInput) => void = () => {}) =>
    fixtureTip('domestic-arrest', (t) => {
      t.ncmecReportNumber = uniqueReport();
      t.lawEnforcement = lawEnforcement;
      change(t);
    });
  const until = (h: WorkflowHandle, ok: (s: CaseStatus) => boolean) =>
    waitFor(async () => {
      const s = await ce.status(h);
      return ok(s) ? s : undefined;
    }, 30_000);
  const ledger = (caseId: string, system: string) => ce.systems.ledger.all({ caseId, system });
  const alertKinds = (caseId: string) => ledger(caseId, 'agency').flatMap((e) => (e.op === 'alert' ? [(e.result as { kind: string }).kind] : []));

  it('served domestically: no subscriber process of its own; JURISDICTION waits for the records from that agency; resolved, the warrant is the case’s own', async () => {
    const h = await ce.open(
      tip({ agencyName: 'Ohio ICAC Task Force', caseNumber: 'OH-2026-0412', servedLegalProcessDomestic: true }, (t) => {
        t.files[0].fileAnnotations = ['generativeAi'];
      }),
    );
    const s = await until(h, (x) => x.stage === 'JURISDICTION');
    expect(s).toMatchObject({ awaiting: 'coordinator', suspectCountry: null, subscriber: null, flags: ['file:generativeAi', 'legalProcessServed:domestic'] });
    expect(s.waitingFor).toContain('the subscriber records from Ohio ICAC Task Force (case OH-2026-0412), which already served legal process');
    expect(s.waitingFor).toContain('resolve-jurisdiction');
    expect(s.requests.filter((r) => r.kind === 'subscriber-identification')).toEqual([]);
    // Not even the registry was asked: nothing went to the address's provider.
    expect(ledger(h.workflowId, 'isp')).toEqual([]);
    expect(alertKinds(h.workflowId)).toEqual(['legal-process-already-served']);
    const alert = (await ce.timeline(h)).find((e) => e.kind === 'alert' && e.detail.startsWith('legal process already served domestically'));
    expect(alert?.detail).toContain('Ohio ICAC Task Force (case OH-2026-0412)');
    expect(statusText(s)).toContain('flags     file:generativeAi, legalProcessServed:domestic');

    await h.executeUpdate(resolveJurisdiction, {
      args: [{ ...coordinator, suspectCountry: 'US', reason: 'subscriber records from the Ohio ICAC Task Force' }],
    });
    await waitFor(async () => (ledger(h.workflowId, 'court').some((e) => e.op === 'applyForSearchWarrant') ? true : undefined), 30_000);
    const after = await ce.status(h);
    expect(after.suspectCountry).toBe('US');
    expect(stageSequence(await ce.timeline(h))).toContain('WARRANT');
    expect(ledger(h.workflowId, 'isp')).toEqual([]);

    // The new path replays as recorded, with its patch marker.
    const history = await h.fetchHistory();
    const patchIds = history
      .events!.filter((e) => e.markerRecordedEventAttributes?.markerName === 'core_patch')
      .flatMap((e) => Object.values(e.markerRecordedEventAttributes!.details ?? {}).flatMap((p) => p.payloads ?? []))
      .map((p) => Buffer.from(p.data ?? []).toString('utf8'));
    expect(patchIds.some((d) => d.includes(PATCHES.legalProcessAlreadyServed))).toBe(true);
    await Worker.runReplayHistory({ workflowBundle: workflowBundle() }, history, h.workflowId);
    await recordHistory(h, 'legal-process-served-domestic');
    await h.executeUpdate(withdraw, { args: [{ ...coordinator, reason: 'test done' }] });
  });

  it('served abroad: the liaison is alerted with the country; subscriber identification as usual', async () => {
    const h = await ce.open(tip({ agencyName: 'Bundeskriminalamt', servedLegalProcessInternational: { served: true, country: 'DE' } }));
    const s = await until(h, (x) => x.subscriber?.outcome === 'identified');
    expect(s.flags).toEqual(['legalProcessServed:international:DE']);
    expect(s.requests.filter((r) => r.kind === 'subscriber-identification')).toHaveLength(1);
    expect(alertKinds(h.workflowId)).toContain('legal-process-served-abroad');
    const alert = (await ce.timeline(h)).find((e) => e.kind === 'alert' && e.detail.startsWith('legal process already served by law enforcement in DE'));
    expect(alert?.detail).toContain('a liaison may coordinate');
    expect(stageSequence(await ce.timeline(h)).slice(0, 2)).toEqual(['TRIAGE', 'SUBSCRIBER_ID']);
    expect(ledger(h.workflowId, 'isp').map((e) => e.op)).toEqual(['lookup', 'preserveLogs', 'serve', 'collect']);
    await h.executeUpdate(withdraw, { args: [{ ...coordinator, reason: 'test done' }] });
  });
});

/**
 * The rule behind "a case never wedges", as a property on the time-skipping server: random paths
 * (every sample tip's route), random permanent failures of any system's operation (compensations and
 * closing included), and random human inputs — withdraw, respond with any outcome, notes, retries,
 * closes, jurisdiction, document approvals by any role with any hash, revisions, and after the arrest
 * the court's events, excluded delay, the prosecution decision, PACE reviews and extensions, the
 * charging decision and bail extensions (US and UK homes) — at random moments. Whatever happens: no
 * workflow task fails in the case or in
 * any workflow beside it, every input is either accepted or refused by a validator, and every case
 * ends closed or waiting for a named person.
 *
 * Fixed seed in CI; CASEBRIDGE_PROPERTY_RUNS and CASEBRIDGE_PROPERTY_SEED explore further.
 */
import fc from 'fast-check';
import { WorkflowNotFoundError, type WorkflowHandle } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import {
  addNote,
  approveDocument,
  assessDanger,
  chargingDecision,
  closeCase,
  closeWhileSafeguarding,
  completeReview,
  decideProsecution,
  excludeDelay,
  extendBail,
  extendDetention,
  extendReview,
  recordCourtEvent,
  reviewDetention,
  rejectionOf,
  reportChildAtRisk,
  requestRecordsOrder,
  returnWarrant,
  resolveJurisdiction,
  respond,
  retryStep,
  statusQuery,
  withdraw,
  type CaseStatus,
  type RequestSummary,
} from '../../workflows/messages';
import { EXCLUDABLE_DELAY_GROUND_NAMES } from '../../workflows/policy/after-arrest';
import { allowedOutcomes, machineFor, RESPONSE_OUTCOMES } from '../../workflows/requests/machines';
import { requestWorkflowId } from '../../workflows/requests/ids';
import { startCaseEnv, fixtureTip, uniqueReport, type CaseEnv, DAY } from '../case/case-env';
import { uploadRevision } from '../case/document-desk';
import { DocumentRequestError } from '../../documents';

const { EventType, WorkflowTaskFailedCause } = temporal.api.enums.v1;

const PATHS = [
  'domestic-arrest',
  'warrant-denied',
  'priority-1-emergency',
  'jurisdiction-unresolved',
  'data-in-uk-cloud-act',
  'data-in-eu-member',
  'data-abroad-mlat',
  'data-abroad-no-route',
  'suspect-abroad-extradition',
  'suspect-national-not-extradited',
  'child-at-risk-sextortion',
  'subscriber-behind-cgnat',
  // The domestic arrest for an agency at home in GB (PACE custody, pre-charge bail, the CPS).
  'uk-domestic-arrest',
] as const;
type Path = (typeof PATHS)[number];

/** The fixture a path starts from, and the home country its agency is in. */
function tipFor(path: Path) {
  if (path !== 'uk-domestic-arrest') return { tip: fixtureTip(path, (t) => void (t.ncmecReportNumber = uniqueReport())), homeCountry: undefined };
  const tip = fixtureTip('domestic-arrest', (t) => {
    t.ncmecReportNumber = uniqueReport();
    t.reporter.dataCountry = 'GB';
    t.personOrUserReported.ipCaptureEvent = [{ ipAddress: '192.0.2.41', eventName: 'Upload', dateTime: '2026-11-28T19:31:12Z', countryCode: 'GB' }];
    t.personOrUserReported.estimatedLocation = { countryCode: 'GB', city: 'Leeds' };
  });
  return { tip, homeCountry: 'GB' };
}

/** Every operation the simulated systems take; any may be made to reject every request. */
const OPS = [
  'agency.alert',
  'agency.arrest',
  'agency.draftDocument',
  'agency.reviewFiles',
  'agency.scheduleWarrantExecution',
  'agency.withdrawRequest',
  'assessment.closeInIndex',
  'assessment.deconflict',
  'central-authority.requestProvisionalArrest',
  'central-authority.submitForReview',
  'court.applyForArrestWarrant',
  'court.applyForSearchWarrant',
  'diplomatic.transmit',
  'foreign-partner.releasePreservation',
  'foreign-partner.requestPreservation',
  'foreign-partner.sendCaseFile',
  'orders.issueCloudActOrder',
  'orders.issueEuProductionOrder',
  'orders.issueEuPreservationOrder',
  'orders.withdraw',
  'provider.releasePreservation',
  'provider.requestEmergencyDisclosure',
  'provider.requestPreservation',
  'provider.serveWarrant',
  'translation.translate',
  // Before the warrant: the child's safety, who is behind the IP, the warrant's return.
  'child-protection.refer',
  'child-protection.notifyPoliceProtection',
  'victim-identification.matchKnownVictims',
  'victim-identification.submitForIdentification',
  'isp.lookup',
  'isp.preserveLogs',
  'isp.authorise',
  'isp.serve',
  'isp.collect',
  'court.applyForRecordsOrder',
  'court.fileWarrantReturn',
];

const GROUNDS = [
  'dual-criminality',
  'order-upheld',
  'order-quashed',
  'targets-receiving-country-person',
  'political-offence',
  'not-a-ground',
  'immunity-or-privilege',
  'strategy-discussion',
  'section-47-enquiry',
  'child-protection-plan',
  'emergency-protection-order',
];

/** People who are named parties: a case waiting on them is waiting for a person, not stuck. */
const PEOPLE = new Set(['coordinator', 'manager', 'liaison', 'analyst']);

const Input = fc.oneof(
  fc.record({ kind: fc.constant('withdraw' as const) }),
  fc.record({
    kind: fc.constant('respond' as const),
    pick: fc.nat(),
    outcome: fc.oneof(fc.constantFrom(...RESPONSE_OUTCOMES), fc.constant('allowed')),
    reason: fc.option(fc.constantFrom(...GROUNDS), { nil: undefined }),
    reference: fc.option(fc.constant('REF-1'), { nil: undefined }),
    role: fc.constantFrom('liaison' as const, 'coordinator' as const, 'manager' as const, 'analyst' as const),
  }),
  fc.record({ kind: fc.constant('note' as const) }),
  fc.record({ kind: fc.constant('retry' as const), fix: fc.boolean() }),
  fc.record({ kind: fc.constant('close' as const) }),
  fc.record({ kind: fc.constant('jurisdiction' as const), country: fc.constantFrom('US', 'GB', 'JP', 'BR') }),
  // A document's approval by any role, with the current hash or another; a revision, completed or with gaps left.
  fc.record({
    kind: fc.constant('approve' as const),
    role: fc.constantFrom('liaison' as const, 'coordinator' as const, 'manager' as const, 'analyst' as const),
    currentHash: fc.boolean(),
  }),
  fc.record({ kind: fc.constant('revise' as const), complete: fc.boolean() }),
  // Before the warrant: grades (some off the scale, some by a role that may not), children reported, reasons, orders, returns, reviews.
  fc.record({
    kind: fc.constant('grade' as const),
    grade: fc.constantFrom('1', '2', '3', 'very-high', 'x'),
    role: fc.constantFrom('analyst' as const, 'manager' as const, 'coordinator' as const),
  }),
  fc.record({ kind: fc.constant('child' as const), child: fc.constantFrom('identified' as const, 'at-risk' as const) }),
  fc.record({ kind: fc.constant('close-while-safeguarding' as const) }),
  fc.record({ kind: fc.constant('records-order' as const) }),
  fc.record({ kind: fc.constant('return-warrant' as const), items: fc.integer({ min: -1, max: 5 }) }),
  fc.record({ kind: fc.constant('extend-review' as const), days: fc.integer({ min: -10, max: 400 }) }),
  fc.record({ kind: fc.constant('complete-review' as const) }),
  // After the arrest: US court events, excluded delay and the prosecution decision; UK reviews, extensions, charging and bail.
  // Each with values the validators must refuse (wrong roles, out-of-range days and times, missing references) beside good ones.
  fc.record({
    kind: fc.constant('court-event' as const),
    event: fc.constantFrom('initial-appearance' as const, 'detention-hearing' as const, 'preliminary-hearing' as const, 'indictment' as const),
    custody: fc.constantFrom('detained' as const, 'released' as const),
    detentionHearing: fc.constantFrom('held' as const, 'continued-defence' as const, 'continued-government' as const, 'not-sought' as const),
    reference: fc.option(fc.constant('CR-1'), { nil: undefined }),
    role: fc.constantFrom('coordinator' as const, 'liaison' as const),
  }),
  fc.record({
    kind: fc.constant('exclude-delay' as const),
    ground: fc.constantFrom(...EXCLUDABLE_DELAY_GROUND_NAMES),
    days: fc.integer({ min: -1, max: 400 }),
    order: fc.option(fc.constant('ORD-X'), { nil: undefined }),
    role: fc.constantFrom('coordinator' as const, 'manager' as const, 'analyst' as const),
  }),
  fc.record({
    kind: fc.constant('decide-prosecution' as const),
    decision: fc.constantFrom('federal' as const, 'state' as const, 'declined' as const),
    partner: fc.option(fc.constantFrom('the county prosecutor', 'the US Attorney'), { nil: undefined }),
    role: fc.constantFrom('coordinator' as const, 'manager' as const, 'liaison' as const),
  }),
  fc.record({ kind: fc.constant('review-detention' as const), role: fc.constantFrom('coordinator' as const, 'analyst' as const) }),
  fc.record({
    kind: fc.constant('extend-detention' as const),
    authority: fc.constantFrom('superintendent' as const, 'magistrates-court' as const),
    hours: fc.integer({ min: -5, max: 110 }),
    reference: fc.option(fc.constant('WFD-1'), { nil: undefined }),
    role: fc.constantFrom('coordinator' as const, 'manager' as const),
  }),
  fc.record({
    kind: fc.constant('charging-decision' as const),
    decision: fc.constantFrom('charged' as const, 'bailed' as const, 'released-under-investigation' as const, 'no-further-action' as const),
    cpsReference: fc.option(fc.constant('CPS-1'), { nil: undefined }),
    dppConsent: fc.option(fc.boolean(), { nil: undefined }),
    role: fc.constantFrom('coordinator' as const, 'manager' as const, 'liaison' as const),
  }),
  fc.record({
    kind: fc.constant('extend-bail' as const),
    authority: fc.constantFrom('inspector' as const, 'superintendent' as const, 'magistrates-court' as const),
    untilDays: fc.option(fc.integer({ min: -10, max: 200 }), { nil: undefined }),
    reference: fc.option(fc.constant('MC-1'), { nil: undefined }),
    role: fc.constantFrom('coordinator' as const, 'manager' as const),
  }),
);

const HOUR = 3_600_000;
const Scenario = fc.record({
  path: fc.constantFrom(...PATHS),
  rejectOps: fc.subarray(OPS, { maxLength: 3 }),
  // Hours as well as days between inputs: the custody clocks run in hours (PACE 24 h, a first review at 6 h).
  steps: fc.array(
    fc.record({
      after: fc.oneof(
        fc.constant(0),
        fc.integer({ min: 1, max: 45 }).map((d) => d * DAY),
        fc.integer({ min: 1, max: 30 }).map((h) => h * HOUR),
        // Until the case is past the arrest (or resting elsewhere): so that the post-arrest inputs meet a case in custody.
        fc.constant('past-the-arrest' as const),
      ),
      input: Input,
    }),
    { minLength: 1, maxLength: 10 },
  ),
  // Mostly as people's cases run (on after the arrest); sometimes ending at the arrest as the tests of the path to it start theirs.
  afterArrest: fc.oneof({ arbitrary: fc.constant(true), weight: 3 }, { arbitrary: fc.constant(false), weight: 1 }),
});
type Scenario = typeof Scenario extends fc.Arbitrary<infer T> ? T : never;

const RUNS = Number(process.env.CASEBRIDGE_PROPERTY_RUNS ?? 10);
const SEED = Number(process.env.CASEBRIDGE_PROPERTY_SEED ?? 20261201);

describe('property: no input and no external answer wedges a case', () => {
  let ce: CaseEnv;
  beforeAll(async () => {
    // No standing document desk: approvals and revisions come only as the random inputs below.
    ce = await startCaseEnv({ documentDesk: false });
  });
  afterAll(async () => {
    await ce?.teardown();
  });

  const coordinator = { actor: 'A. Coordinator', role: 'coordinator' as const };

  /** A refusal by a validator, or a closed case / settled request: an honest "no". Anything else is a defect. */
  async function send(p: Promise<unknown>): Promise<void> {
    try {
      await p;
    } catch (err) {
      if (rejectionOf(err) || err instanceof WorkflowNotFoundError) return;
      if (err instanceof Error && /already completed|not found/i.test(`${err.message} ${String(err.cause)}`)) return;
      throw err;
    }
  }

  async function taskFailures(workflowId: string): Promise<string[]> {
    const history = await ce.env.client.workflow
      .getHandle(workflowId)
      .fetchHistory()
      .catch(() => undefined);
    return (history?.events ?? [])
      .filter((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED)
      .filter((e) => e.workflowTaskFailedEventAttributes?.cause !== WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_UNHANDLED_COMMAND)
      .map((e) => `${workflowId}: ${e.workflowTaskFailedEventAttributes?.failure?.message ?? 'failed'}`);
  }

  /**
   * Skips 12 hours at a time, at most 15 days, until the case is in custody or beyond, or rests where a
   * person must act; once per run (a path that never reaches an arrest would otherwise spend every such
   * step's skips), later ones wait nothing.
   */
  async function pastTheArrest(h: WorkflowHandle, run: { waited: boolean }): Promise<void> {
    if (run.waited) return;
    run.waited = true;
    for (let i = 0; i < 30; i++) {
      const s = await h.query(statusQuery).catch(() => undefined);
      if (!s || ['CUSTODY', 'CHARGING', 'NEEDS_ATTENTION', 'CLOSED'].includes(s.stage) || (s.awaiting !== null && PEOPLE.has(s.awaiting))) return;
      await ce.skip(12 * HOUR);
    }
  }

  async function act(h: WorkflowHandle, status: CaseStatus, input: Scenario['steps'][number]['input'], caseId: string): Promise<void> {
    const client = ce.env.client;
    switch (input.kind) {
      case 'withdraw':
        return send(h.executeUpdate(withdraw, { args: [{ ...coordinator, reason: 'property test' }] }));
      case 'note':
        return send(h.executeUpdate(addNote, { args: [{ ...coordinator, text: 'a note' }] }));
      case 'retry':
        // Sometimes the failing system is mended first (a retry that can succeed), sometimes not.
        if (input.fix) ce.systems.setScript(caseId, {});
        return send(h.executeUpdate(retryStep, { args: [{ ...coordinator }] }));
      case 'close':
        return send(h.executeUpdate(closeCase, { args: [{ ...coordinator, reason: 'property test' }] }));
      case 'jurisdiction':
        return send(h.executeUpdate(resolveJurisdiction, { args: [{ ...coordinator, suspectCountry: input.country }] }));
      case 'approve':
      case 'revise': {
        const r = status.requests.find((x) => x.pendingApproval);
        if (!r?.pendingApproval) return;
        const runner = r.workflowId ?? caseId;
        const { documentId, contentHash } = r.pendingApproval;
        if (input.kind === 'revise') {
          // The store refuses an upload edited from a version that is no longer the latest: a person's honest "no" too.
          const upload = uploadRevision(client, ce.documents, runner, documentId, { complete: input.complete }).catch((err: unknown) => {
            if (err instanceof DocumentRequestError) return;
            throw err;
          });
          return send(upload);
        }
        const hash = input.currentHash ? contentHash : 'e'.repeat(64);
        return send(
          client.workflow
            .getHandle(runner)
            .executeUpdate(approveDocument, { args: [{ actor: 'M. Approver', role: input.role, documentId, contentHash: hash }] }),
        );
      }
      case 'grade':
        return send(h.executeUpdate(assessDanger, { args: [{ actor: 'P. Person', role: input.role, grade: input.grade, reasons: 'property test' }] }));
      case 'child':
        return send(h.executeUpdate(reportChildAtRisk, { args: [{ ...coordinator, child: input.child, reason: 'property test' }] }));
      case 'close-while-safeguarding':
        return send(h.executeUpdate(closeWhileSafeguarding, { args: [{ ...coordinator, reason: 'property test' }] }));
      case 'records-order':
        return send(h.executeUpdate(requestRecordsOrder, { args: [{ ...coordinator, facts: 'the property test states its articulable facts here' }] }));
      case 'return-warrant':
        return send(h.executeUpdate(returnWarrant, { args: [{ ...coordinator, inventory: 'property test', items: input.items }] }));
      case 'extend-review': {
        const due = status.warrantReturn?.reviewDueAt ? Date.parse(status.warrantReturn.reviewDueAt) : Date.now();
        return send(h.executeUpdate(extendReview, { args: [{ ...coordinator, until: new Date(due + input.days * DAY).toISOString(), courtOrder: 'ORD-P' }] }));
      }
      case 'complete-review':
        return send(h.executeUpdate(completeReview, { args: [{ ...coordinator, summary: 'property test' }] }));
      case 'court-event': {
        const who = { actor: 'P. Person', role: input.role };
        const ref = input.reference ? { reference: input.reference } : {};
        const event =
          input.event === 'initial-appearance'
            ? { event: input.event, custody: input.custody, detentionHearing: input.detentionHearing, ...ref }
            : input.event === 'detention-hearing'
              ? { event: input.event, custody: input.custody, ...ref }
              : input.event === 'preliminary-hearing'
                ? { event: input.event, ...ref }
                : { event: input.event, reference: input.reference ?? 'IND-P' };
        return send(h.executeUpdate(recordCourtEvent, { args: [{ ...who, ...event }] }));
      }
      case 'exclude-delay':
        return send(
          h.executeUpdate(excludeDelay, {
            args: [{ actor: 'P. Person', role: input.role, ground: input.ground, days: input.days, order: input.order, reason: 'property test' }],
          }),
        );
      case 'decide-prosecution':
        return send(
          h.executeUpdate(decideProsecution, {
            args: [{ actor: 'P. Person', role: input.role, decision: input.decision, partner: input.partner, reason: 'property test' }],
          }),
        );
      case 'review-detention':
        return send(h.executeUpdate(reviewDetention, { args: [{ actor: 'P. Person', role: input.role, reason: 'property test' }] }));
      case 'extend-detention': {
        // Hours from the relevant time (PACE s.41(2)): before the present limit, within 36 or 96 hours, or past them.
        const from = status.custody?.relevantTime ? Date.parse(status.custody.relevantTime) : Date.now();
        const until = new Date(from + input.hours * HOUR).toISOString();
        return send(
          h.executeUpdate(extendDetention, {
            args: [{ actor: 'P. Person', role: input.role, authority: input.authority, until, reference: input.reference, reason: 'property test' }],
          }),
        );
      }
      case 'charging-decision':
        return send(
          h.executeUpdate(chargingDecision, {
            args: [
              {
                actor: 'P. Person',
                role: input.role,
                decision: input.decision,
                cpsReference: input.cpsReference,
                dppConsent: input.dppConsent,
                reason: 'property test',
              },
            ],
          }),
        );
      case 'extend-bail': {
        const end = status.custody?.bail?.endsAt ? Date.parse(status.custody.bail.endsAt) : Date.now();
        const until = input.untilDays === undefined ? undefined : new Date(end + input.untilDays * DAY).toISOString();
        return send(
          h.executeUpdate(extendBail, {
            args: [{ actor: 'P. Person', role: input.role, authority: input.authority, until, reference: input.reference, reason: 'property test' }],
          }),
        );
      }
      case 'respond': {
        const requests: RequestSummary[] = status.requests;
        const r = requests[input.pick % Math.max(1, requests.length)];
        if (!r) return;
        const allowed = allowedOutcomes(r, input.role);
        const outcome = input.outcome === 'allowed' ? (allowed[input.pick % Math.max(1, allowed.length)] ?? 'acknowledged') : input.outcome;
        const t = machineFor(r.kind)?.transitions.find((x) => x.outcome === outcome);
        const reason = input.reason ?? t?.grounds?.[0];
        const target = client.workflow.getHandle(requestWorkflowId(r.requestId) ?? caseId);
        return send(
          target.executeUpdate(respond, {
            args: [{ actor: 'L. Liaison', role: input.role, requestId: r.requestId, outcome, reason, reference: input.reference ?? 'REF-1' }],
          }),
        );
      }
    }
  }

  it('holds for random paths, permanent failures and inputs at random moments', async () => {
    const seen = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(Scenario, async (sc) => {
        if (process.env.CASEBRIDGE_PROPERTY_VERBOSE) console.error(JSON.stringify(sc));
        const { tip, homeCountry } = tipFor(sc.path);
        const h = await ce.open(tip, { rejectOps: sc.rejectOps }, { afterArrest: sc.afterArrest, ...(homeCountry ? { homeCountry } : {}) });
        const caseId = h.workflowId;
        const run = { waited: false };
        for (const step of sc.steps) {
          if (step.after === 'past-the-arrest') await pastTheArrest(h, run);
          else if (step.after > 0) await ce.skip(step.after);
          const status = await h.query(statusQuery).catch(() => undefined);
          if (!status) break; // closed and gone from queries? (a closed workflow still answers; keep going)
          seen.set(`${status.stage} ${step.input.kind}`, (seen.get(`${status.stage} ${step.input.kind}`) ?? 0) + 1);
          await act(h, status, step.input, caseId);
        }
        // Let every timer that would fire in a year do so, then look at where the case rests.
        await ce.skip(400 * DAY);
        const end = await h.query(statusQuery);
        const ids = [caseId, `${caseId}/preservation`, ...end.requests.filter((r) => r.workflowId).map((r) => r.workflowId!)];
        const failures = (await Promise.all(ids.map(taskFailures))).flat();
        expect(failures).toEqual([]);
        const waitingForAPerson =
          end.stage === 'CLOSED' ||
          (end.awaiting !== null && PEOPLE.has(end.awaiting)) ||
          // The court's events after the arrest are a coordinator's input (recordCourtEvent): waiting for the court is waiting for a person.
          (end.stage === 'CUSTODY' && end.awaiting === 'court') ||
          end.requests.some((r) => allowedOutcomes(r, 'liaison').length + allowedOutcomes(r, 'coordinator').length > 0);
        if (!waitingForAPerson) throw new Error(`case ${caseId} (${sc.path}) rests in ${end.stage} awaiting ${end.awaiting}: ${end.waitingFor}`);
        // Each run on its own: a case left waiting would otherwise take every later run's year of timers.
        for (const id of ids)
          await ce.env.client.workflow
            .getHandle(id)
            .terminate('property run over')
            .catch(() => undefined);
      }),
      { numRuns: RUNS, seed: SEED, endOnFailure: true },
    );
    // Which inputs met which stage (CASEBRIDGE_PROPERTY_VERBOSE): a seed that never reaches CUSTODY explores little after the arrest.
    if (process.env.CASEBRIDGE_PROPERTY_VERBOSE)
      console.error(
        [...seen]
          .sort()
          .map(([k, n]) => `${k}: ${n}`)
          .join('\n'),
      );
  }, 600_000);
});

/**
 * What every stage of a case works with: the record (state, timeline, deadlines, requests), the
 * case's clock scaled by its policy profile, one external call at a time keyed by case and step, and
 * waits that give way to a withdrawal or a full history. Stages are functions of this context.
 */
import { condition, patched, proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { CaseActivities } from '../../activities';
import type { CallContext } from '../../activities/ports';
import { countryTable, homeLaw, periodFrom, scaledMs, type CountryTable, type HomeLaw, type Period, type PolicyProfile } from '../policy';
import { failedCallReason } from '../requests/runtime';
import { SYSTEM_ACTIVITY_OPTIONS } from '../retry-policies';
import type { Tip } from '../tip';
import { PATCHES } from './patches';
import { CaseRecord, type CaseState, type DisseminatedFrom } from './record';

export interface CaseInput {
  caseId: string;
  tip: Tip;
  profile: PolicyProfile;
  homeCountry: string;
  /** The unit that opened the case and owns it (need to know); also the CaseUnit search attribute. */
  unit?: string;
  /**
   * The deployment's referral unit (CASEBRIDGE_REFERRAL_UNIT: in the UK the NCA's referrals bureau). A GB case
   * opened in it is graded and disseminated to a force (DISSEMINATION), not investigated itself.
   */
  referralUnit?: string;
  /** A force's case started by a referral case's dissemination: where it came from and what was decided there. */
  disseminatedFrom?: DisseminatedFrom;
  /** Continue-as-new once history reaches this many events (Temporal's suggestion applies anyway). */
  continueAsNewAfterEvents?: number;
  /**
   * The case closes at the arrest (ARRESTED, EXTRADITED) as cases did before the post-arrest stages.
   * No person-facing door sets it (the API, the intake, the drop folder never do): benchmarks and the
   * tests of the path up to the arrest do.
   */
  endAtArrest?: boolean;
  /** The record carried over from the previous run. */
  carried?: CaseState;
}

export interface CaseResult {
  caseId: string;
  outcome: string;
  reason: string;
}

/** The external systems a case calls, each with its own timeouts and retry policy. */
export const systems = {
  assessment: proxyActivities<CaseActivities>(SYSTEM_ACTIVITY_OPTIONS.assessment),
  provider: proxyActivities<CaseActivities>(SYSTEM_ACTIVITY_OPTIONS.provider),
  court: proxyActivities<CaseActivities>(SYSTEM_ACTIVITY_OPTIONS.court),
  agency: proxyActivities<CaseActivities>(SYSTEM_ACTIVITY_OPTIONS.agency),
  orders: proxyActivities<CaseActivities>(SYSTEM_ACTIVITY_OPTIONS.orders),
  foreignPartner: proxyActivities<CaseActivities>(SYSTEM_ACTIVITY_OPTIONS.foreignPartner),
  childProtection: proxyActivities<CaseActivities>(SYSTEM_ACTIVITY_OPTIONS.childProtection),
  victimIdentification: proxyActivities<CaseActivities>(SYSTEM_ACTIVITY_OPTIONS.victimIdentification),
  isp: proxyActivities<CaseActivities>(SYSTEM_ACTIVITY_OPTIONS.isp),
  documents: proxyActivities<CaseActivities>(SYSTEM_ACTIVITY_OPTIONS.documents),
};

/** Leaves the current stage: the case is being withdrawn (or closed by a coordinator). */
export class Withdrawn extends Error {}
/** Leaves the current stage: a step cannot go on without a coordinator, for `reason`. */
export class NeedsAttention extends Error {
  constructor(
    readonly step: string,
    readonly reason: string,
  ) {
    super(reason);
  }
}
/** Leaves the current stage: the history is full enough to continue as new. */
export class RunIsFull extends Error {}

export class CaseContext {
  readonly rec: CaseRecord;
  /** Set while a withdrawal's compensations run: their own calls must not be interrupted by it. */
  compensating = false;
  /** Set when the run ends (closed, or continuing as new): the work beside the stages finishes what it does and stops. */
  stopping = false;

  constructor(
    readonly input: CaseInput,
    readonly state: CaseState,
  ) {
    this.rec = new CaseRecord(state);
  }

  get caseId(): string {
    return this.state.caseId;
  }

  ms(period: Period): number {
    return scaledMs(period, this.state.profile);
  }

  /** The instant `period` after `fromMs` on the case's profile, calendar months counted as months. */
  after(fromMs: number, period: Period): number {
    return periodFrom(fromMs, period, this.state.profile);
  }

  /** The home law the case follows (workflows/policy/home-law.ts). */
  get law(): HomeLaw {
    return homeLaw(this.state.homeCountry, this.state.homeCountryLaw === true);
  }

  /** The country table the case routes by (countryTable(): by patch country-tables and the home law). */
  countries(): CountryTable {
    return countryTable(patched(PATCHES.countryTables), this.state.homeCountry, this.state.homeCountryLaw === true);
  }

  runIsFull(): boolean {
    const info = workflowInfo();
    return info.continueAsNewSuggested || (this.input.continueAsNewAfterEvents !== undefined && info.historyLength >= this.input.continueAsNewAfterEvents);
  }

  /** Waits for `done` until `untilMs` (absolute); leaves the stage on withdrawal or a full run. */
  async waitUntil(done: () => boolean, untilMs?: number): Promise<boolean> {
    const interrupted = () => (this.state.withdrawal !== null && !this.compensating) || this.runIsFull();
    if (untilMs === undefined) {
      await condition(() => done() || interrupted());
    } else if (!(await condition(() => done() || interrupted(), Math.max(1, untilMs - Date.now())))) {
      return this.leave(done, () => false);
    }
    // Woken before any deadline: done, withdrawn or a full run. Runs recorded before the patch went on as if done.
    return this.leave(done, () => untilMs !== undefined || patched(PATCHES.fullRunLeavesEveryWait));
  }

  private leave(done: () => boolean, fullRunLeaves: () => boolean): boolean {
    if (this.state.withdrawal && !this.compensating) throw new Withdrawn();
    if (done()) return true;
    if (this.runIsFull() && fullRunLeaves()) throw new RunIsFull();
    return false;
  }

  /** The idempotency key of a step: case + step (+ the coordinator's retries of it). */
  key(name: string): CallContext {
    const retries = this.state.retries[name] ?? 0;
    return { caseId: this.caseId, idempotencyKey: `${this.caseId}/${name}${retries > 0 ? `/retry-${retries}` : ''}` };
  }

  /**
   * A system's answer to a request the case runs moves it along its machine. An answer the machine has
   * no row for from where the request now is needs a coordinator: it never fails the workflow task.
   */
  answered(step: string, requestId: string, status: string, detail: string, reference?: string): void {
    if (this.rec.updateRequest(requestId, status, detail, reference)) return;
    const r = this.rec.request(requestId);
    throw new NeedsAttention(
      step,
      `${requestId} cannot become ${status}${r ? ` from ${r.status}` : ': the case has no such request'} (its state machine has no such row)`,
    );
  }

  /**
   * One external call made beside the stages (an escalation, a filing): it must not interrupt the
   * stage, so a call that fails for good is a line in the timeline and `undefined`, never attention.
   */
  async sideStep<T>(name: string, call: (ctx: CallContext) => Promise<T>): Promise<T | undefined> {
    try {
      return await call(this.key(name));
    } catch (err) {
      const reason = failedCallReason(err);
      if (reason === undefined) throw err;
      this.rec.log('alert', `${name} failed: ${reason}`);
      return undefined;
    }
  }

  /** One external call; a call that fails for good needs a coordinator, naming the step. */
  async step<T>(name: string, call: (ctx: CallContext) => Promise<T>): Promise<T> {
    if (this.state.withdrawal && !this.compensating) throw new Withdrawn();
    try {
      return await call(this.key(name));
    } catch (err) {
      const reason = failedCallReason(err);
      if (reason === undefined) throw err;
      throw new NeedsAttention(name, reason);
    }
  }
}

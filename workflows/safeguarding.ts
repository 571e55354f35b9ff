/**
 * A child at risk, safeguarded beside the case: one workflow per child (its id is its request id,
 * `case-…/safeguarding-1`), opened at once for imminent danger or when a person says a child is
 * identified or at risk. Victim identification first where the child is not known (the files checked
 * against NCMEC CVIP / INTERPOL ICSE; an analyst says identified, a known series, or unidentified →
 * submitted for identification); then the US report to child protective services (34 U.S.C. § 20341)
 * or the UK referral to the local authority (decision within 1 working day, strategy discussion, s.47
 * enquiry, initial conference within 15 working days; police protection at most 72 hours, s.46).
 * People record each answer with `respond` (the `safeguarding` machine decides what is allowed);
 * every change reaches the case by signal. Its outcomes never close the case, and the case never
 * withdraws it: only a person closes it, with a reason.
 */
import { defineSignal, patched, proxyActivities, setHandler } from '@temporalio/workflow';
import type { CaseActivities } from '../activities';
import type { RequestSummary, Respond } from './messages';
import {
  HOUR_MS,
  SAFEGUARDING,
  addWorkingDays,
  notConfigured,
  safeguardingChannel,
  victimDatabase,
  type DeploymentPolicy,
  type Period,
  type Rule,
} from './policy';
import { ChildNeedsAttention, ChildRequest, activities, type ChildInput } from './requests/child';
import { waitWithFollowUps } from './requests/runtime';
import { SYSTEM_ACTIVITY_OPTIONS } from './retry-policies';
import { PATCHES } from './case/patches';

/** Patch id: a waiting step's reminders settle to monthly after two weeks. */
const REMINDERS_SETTLE = 'safeguarding-reminders-settle';
/** Patch id: a referral to the local authority reaches the case together with its decision deadline. */
const DEADLINE_WITH_REFERRAL = 'safeguarding-deadline-with-referral';

export interface SafeguardingInput extends ChildInput {
  /** Why it opened: a flagged (or confirmed) imminent danger, or a person's report. */
  reason: 'imminent-danger' | 'child-identified' | 'child-at-risk';
  /** The child is known: no identification needed before the referral. */
  identified: boolean;
  /** Imminent danger: the referral says so. */
  urgent: boolean;
  /** The reported files (ids and hashes) for victim identification. */
  fileIds: string[];
  hashes: string[];
  /** Where the tip places a victim, for the CPS office or local authority to refer to. */
  area?: { countryCode?: string; region?: string; city?: string };
}

const policy = proxyActivities<CaseActivities>(SYSTEM_ACTIVITY_OPTIONS.assessment);
const childProtection = proxyActivities<CaseActivities>(SYSTEM_ACTIVITY_OPTIONS.childProtection);
const victimIdentification = proxyActivities<CaseActivities>(SYSTEM_ACTIVITY_OPTIONS.victimIdentification);

/** The statuses an analyst decides in (identification), and what the reminder asks. */
const IDENTIFICATION: Readonly<Record<string, string>> = {
  IDENTIFYING: 'say whether the child is identified, a known series, or unidentified (respond identified | known-series | unidentified)',
  SUBMITTED: 'the child is submitted for identification; record identified when the database or the investigation names the child',
};
/** What a coordinator is reminded of while the other side decides. */
const PROTECTION: Readonly<Record<string, string>> = {
  REPORTED: 'child protective services have not answered the report: record cps-case-opened or cps-screened-out',
  CPS_CASE_OPEN: 'record safeguarded when child protective services have made the child safe',
  SCREENED_OUT: 'child protective services screened the report out: record safeguarded, or close with the reason',
  REFERRED: 'the local authority has not decided the referral: record referral-decided',
  STRATEGY_DISCUSSION: 'record the strategy discussion’s decision (strategy-discussion-held)',
  S47_ENQUIRY: 'record the s.47 enquiry’s outcome (enquiry-concluded)',
};

/** Case → track: the case named follows the child's safeguarding from now on (a referral's, taken over by the force's case). */
export const safeguardingHandedOver = defineSignal<[{ caseId: string }]>('safeguardingHandedOver');

export function safeguardingWorkflowId(caseId: string, n: number): string {
  return `${caseId}/safeguarding-${n}`;
}

export async function safeguardingWorkflow(input: SafeguardingInput): Promise<RequestSummary> {
  const r = new ChildRequest(input, 'safeguarding', 'OPENED', input.identified ? 'agency' : 'analyst', new Date().toISOString());
  setHandler(safeguardingHandedOver, async ({ caseId }) => {
    // A track that heard this signal before the handover existed dropped it: its replay must drop it too.
    if (caseId === r.caseId || !patched(PATCHES.safeguardingHandover)) return;
    const from = r.caseId;
    r.handOver(caseId);
    // Every report carries the track as it stands, deadlines included: the new case's view is whole from this one.
    await r.note('link', `${input.requestId}: handed over from case ${from} to case ${caseId}, which follows the child’s safeguarding from now on`);
  });
  /** Responses accepted and not yet acted on (police protection sets and ends a deadline). */
  const accepted: { outcome: string; at: number }[] = [];
  r.acceptResponses((u: Respond) => void accepted.push({ outcome: u.outcome, at: Date.now() }));
  const sent: Record<string, number> = {};
  const uk = safeguardingChannel(input.homeCountry) === 'local-authority-referral';
  let protectedUntil: number | undefined;
  let protections = 0;
  let holidays: readonly string[] = [];

  /** An alert that cannot be delivered must not stop the child's safeguarding: the case's timeline still says what happened. */
  const alert = async (step: string, to: 'coordinator' | 'analyst', kind: string, message: string) => {
    try {
      await r.call(step, (c) => activities.agency.alert(c, { to, kind, message }));
    } catch (err) {
      if (!(err instanceof ChildNeedsAttention)) throw err;
      await r.note('alert', `${input.requestId}: ${kind} alert to the ${to} could not be delivered`);
    }
  };

  /** Waits for a person's answer (or `abortAt`), reminding `to` at the rule's interval. True when answered. */
  const waitForPerson = async (to: 'analyst' | 'coordinator', rule: Rule<Period>, what: string, abortAt?: number): Promise<boolean> => {
    const status = r.status;
    const seen = accepted.length;
    const at = status.toLowerCase();
    return waitWithFollowUps(r, {
      done: () => r.status !== status || accepted.length !== seen,
      rule,
      // Added after safeguardings were running: their reminders had no end, every 2 days for years.
      ...(patched(REMINDERS_SETTLE) ? { backOff: { after: SAFEGUARDING.followUpSettlesAfter.value, every: SAFEGUARDING.settledFollowUpEvery } } : {}),
      ...(abortAt !== undefined ? { abortAt } : {}),
      sent: () => sent[at] ?? 0,
      countSent: (n) => (sent[at] = n),
      remind: (n) => ({
        step: `follow-up-${at}-${n}`,
        send: (c) => activities.agency.alert(c, { to, kind: 'safeguarding-follow-up', message: `case ${r.caseId}: ${input.requestId} is ${status}; ${what}` }),
        line: `${to} reminded: ${input.requestId} is ${status} (reminder ${n}): ${what}`,
      }),
    });
  };

  /** Working days on the deployment's calendar, as a period of the case's clock. */
  const workingDays = (rule: Rule<{ workingDays: number }>): number => {
    const now = Date.now();
    const realMs = addWorkingDays(now, rule.value.workingDays, holidays) - now;
    return now + r.ms({ hours: realMs / HOUR_MS });
  };

  /** Police protection recorded or ended (UK): its 72 hours, the local authority told. */
  const actOn = async (response: { outcome: string; at: number }) => {
    if (response.outcome === 'police-protection') {
      const rule = SAFEGUARDING.uk.policeProtection;
      protectedUntil = response.at + r.ms(rule.value);
      protections++;
      r.setDeadline('police-protection', protectedUntil, rule);
      await r.call(`notify-police-protection-${protections}`, (c) =>
        childProtection.notifyPoliceProtection(c, { reference: r.request.reference ?? input.requestId, until: new Date(protectedUntil!).toISOString() }),
      );
      await r.note(
        'request',
        `${input.requestId}: the local authority told the child is in police protection until ${new Date(protectedUntil).toISOString()} (${SAFEGUARDING.uk.tellLocalAuthority.source})`,
      );
    } else if (response.outcome === 'protection-ended') {
      protectedUntil = undefined;
      r.clearDeadline('police-protection');
      await r.flush();
    }
  };

  try {
    if (uk) {
      const p: DeploymentPolicy = await r.call('policy', (c) => policy.deploymentPolicy(c));
      holidays = p.ukBankHolidays?.dates ?? [];
      if (!p.ukBankHolidays) await r.note('alert', `${input.requestId}: ${notConfigured('ukBankHolidays', 'working days count Monday to Friday only')}`);
    }

    // Victim identification, where the child is not known.
    if (!input.identified) {
      const database = victimDatabase(input.homeCountry);
      const match = await r.call('known-victims', (c) => victimIdentification.matchKnownVictims(c, { database, hashes: input.hashes }));
      const found =
        match.match === 'known-series'
          ? `${database}: ${match.matchedFiles} file(s) match a known series (${match.seriesReference}); an analyst confirms known-series, or says the child is identified or unidentified`
          : `${database}: no file matches a known series; an analyst says whether the child is identified or unidentified`;
      await r.system('checked-known-victims', found, { reason: found, ...(match.match === 'known-series' ? { reference: match.seriesReference } : {}) });
      while (r.status === 'IDENTIFYING' || r.status === 'SUBMITTED' || r.status === 'UNIDENTIFIED') {
        if (r.status === 'UNIDENTIFIED') {
          const { reference } = await r.call('submit-for-identification', (c) =>
            victimIdentification.submitForIdentification(c, { database, fileIds: input.fileIds, hashes: input.hashes, asOf: new Date().toISOString() }),
          );
          await r.system('submitted-for-identification', `submitted for identification to ${database} (${reference})`, { reference });
          continue;
        }
        const rule = r.status === 'SUBMITTED' ? SAFEGUARDING.identificationFollowUpEvery : SAFEGUARDING.followUpEvery;
        await waitForPerson('analyst', rule, IDENTIFICATION[r.status]);
        accepted.length = 0; // nothing to act on before the protection phase
      }
    }

    // Protection: the report to child protective services, or the referral to the local authority.
    if (!r.terminal()) {
      const channel = safeguardingChannel(input.homeCountry);
      const { reference } = await r.call('referral', (c) =>
        childProtection.referChild(c, { channel, urgent: input.urgent, ...(input.area ? { area: input.area } : {}), asOf: new Date().toISOString() }),
      );
      if (channel === 'cps-report') {
        await r.system(
          'reported-to-cps',
          `reported to child protective services${input.urgent ? ' as urgent' : ''} (${reference}; ${SAFEGUARDING.us.cpsReport.source})`,
          {
            reference,
          },
        );
      } else {
        const referred = `referred to the local authority${input.urgent ? ' as urgent' : ''} (${reference})`;
        // The case hears of the referral and its decision deadline in one change; before the patch the
        // deadline followed in the next, so the case's status showed REFERRED without it for a moment.
        if (patched(DEADLINE_WITH_REFERRAL)) {
          r.setDeadline('referral-decision', workingDays(SAFEGUARDING.uk.referralDecision), SAFEGUARDING.uk.referralDecision);
          await r.system('referred-to-local-authority', referred, { reference });
        } else {
          await r.system('referred-to-local-authority', referred, { reference });
          r.setDeadline('referral-decision', workingDays(SAFEGUARDING.uk.referralDecision), SAFEGUARDING.uk.referralDecision);
        }
      }
    }
    while (!r.terminal()) {
      for (const response of accepted.splice(0)) await actOn(response);
      if (r.status !== 'REFERRED') r.clearDeadline('referral-decision');
      if (r.status === 'S47_ENQUIRY' && r.deadline('initial-conference') === undefined) {
        r.setDeadline('initial-conference', workingDays(SAFEGUARDING.uk.initialConference), SAFEGUARDING.uk.initialConference);
      }
      if (r.status !== 'S47_ENQUIRY') r.clearDeadline('initial-conference');
      const answered = await waitForPerson('coordinator', SAFEGUARDING.followUpEvery, PROTECTION[r.status] ?? 'record the next step', protectedUntil);
      if (!answered && protectedUntil !== undefined && Date.now() >= protectedUntil) {
        protectedUntil = undefined;
        r.clearDeadline('police-protection');
        const rule = SAFEGUARDING.uk.policeProtection;
        await r.system('protection-expired', `police protection ended at ${rule.value.hours} hours (${rule.source}); the child may no longer be kept under it`);
        await alert(
          `protection-expired-alert-${protections}`,
          'coordinator',
          'police-protection-expired',
          `case ${r.caseId}: police protection under ${input.requestId} ended at 72 hours`,
        );
      }
    }
    r.clearDeadlines();
    await r.flush();
    return r.end();
  } catch (err) {
    return r.endAfter(err);
  }
}

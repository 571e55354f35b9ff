/**
 * Subscriber identification: who was behind the IP address, before a jurisdiction rests on it. The
 * provider that assigned the address (from the registry) keeps its logs for as long as its own
 * retention says (the deployment's table): preserved first, then asked — in the US by an emergency
 * request for priority 1 (§ 2702(c)(4); refused → the subpoena), an administrative subpoena
 * (§ 3486) or subpoena (§ 2703(c)(2)), or a § 2703(d) order on the coordinator's facts; in the UK by a
 * communications data authorisation (IPA 2016, 1 month; urgent 3 days). Identified: the subscriber's
 * country is the jurisdiction and the address goes to the case. No data, refused, ambiguous (a
 * shared address behind CGNAT): a coordinator decides, as for an unresolved jurisdiction.
 */
import { DAY_MS, SUBSCRIBER, SUBSCRIBER_INSTRUMENTS, notConfigured, type DeploymentPolicy, type SubscriberInstrument } from '../../policy';
import type { RequestSummary } from '../../messages';
import { shortRequestId } from '../../requests/runtime';
import type { Tip } from '../../tip';
import type { Party, Stage } from '../../vocabulary';
import { NeedsAttention, systems, type CaseContext } from '../context';
import { documentToSend, sendsDocuments } from '../documents';
import type { SubscriberRecord, SubscriberTarget } from '../record';
import { liveRequest, newRequestId } from '../requests';
import { afterJurisdiction } from '../routes';

/** The address the jurisdiction would rest on: the latest capture not flagged as a proxy. */
export function subscriberTarget(tip: Tip): SubscriberTarget | undefined {
  const events = tip.personOrUserReported.ipCaptureEvent.filter((e) => !e.possibleProxy);
  const time = (e: { dateTime?: string }) => (e.dateTime ? Date.parse(e.dateTime) : -Infinity);
  const e = [...events].sort((a, b) => time(b) - time(a))[0];
  if (!e) return undefined;
  return {
    ipAddress: e.ipAddress,
    ...(e.dateTime ? { at: e.dateTime } : {}),
    ...(e.port !== undefined ? { port: e.port } : {}),
    ...(e.countryCode ? { countryHint: e.countryCode } : {}),
  };
}

/** After triage: the subscriber records first, when the tip gives an address to ask about. */
export function beforeJurisdiction(ctx: CaseContext): Stage {
  if (!ctx.state.subscriber && subscriberTarget(ctx.state.tip)) return 'SUBSCRIBER_ID';
  return onward(ctx);
}

const onward = (ctx: CaseContext): Stage => (ctx.state.suspectCountry ? afterJurisdiction(ctx) : 'JURISDICTION');

/** A settled request's status, as the subscriber outcome it means. */
const OUTCOME_OF: Readonly<Record<string, SubscriberRecord['outcome']>> = {
  IDENTIFIED: 'identified',
  NO_DATA: 'no-data',
  REFUSED: 'refused',
  AMBIGUOUS: 'ambiguous',
  DENIED: 'refused',
  NOT_AUTHORISED: 'refused',
  LAPSED: 'no-data',
};
const STATUS_OF = { identified: 'IDENTIFIED', 'no-data': 'NO_DATA', refused: 'REFUSED', ambiguous: 'AMBIGUOUS' } as const;

export async function subscriberIdentification(ctx: CaseContext): Promise<Stage> {
  const { state, rec } = ctx;
  rec.enterStage('SUBSCRIBER_ID', 'provider', 'the subscriber behind the reported IP address, from the provider that assigned it');
  if (!state.subscriber) {
    const target = subscriberTarget(state.tip);
    if (!target) return onward(ctx);
    const found = await ctx.step('subscriber-lookup', (c) =>
      systems.isp.lookupIsp(c, { ipAddress: target.ipAddress, ...(target.countryHint ? { countryHint: target.countryHint } : {}) }),
    );
    state.subscriber = { requestId: '', provider: found.provider ?? 'unknown', instrument: 'none', target, geolocatedTo: state.suspectCountry };
    if (found.provider === null) {
      rec.log('stage', 'subscriber identification: the registry names no provider for the address; the jurisdiction rests on the assessment');
      state.subscriber.abroad = true;
    } else if (found.country !== state.homeCountry) {
      state.subscriber.abroad = true;
      rec.log('stage', `subscriber identification: the address is assigned by ${found.provider} in ${found.country}, which no domestic process reaches`);
    } else {
      rec.log('stage', `subscriber identification: the address was assigned by ${found.provider} (${found.country})`);
    }
  }
  const sub = state.subscriber;
  if (sub.abroad) return onward(ctx);

  for (;;) {
    if (!sub.retentionChecked) await checkRetention(ctx, sub);
    if (SUBSCRIBER.preserveFirst.value && !sub.preservation && sub.outcome === undefined) await preserveLogs(ctx, sub);
    let r = liveRequest(ctx, 'subscriber-identification');
    if (!r && (sub.outcome === undefined || sub.orderFacts !== undefined)) r = openRequest(ctx, sub);
    if (!r) break;
    await runRequest(ctx, sub, r.requestId);
    if (sub.outcome === 'refused' && sub.instrument === 'emergency-2702c4' && !sub.emergencyTried) {
      sub.emergencyTried = true;
      rec.log('stage', `the emergency request was refused (${sub.reason ?? 'no reason given'}): the subscriber records are asked for by subpoena`);
      sub.outcome = undefined;
      continue;
    }
    if (rec.request(r.requestId)?.status === 'LAPSED' && (sub.renewals ?? 0) < SUBSCRIBER.ipa.renewals.value) {
      sub.renewals = (sub.renewals ?? 0) + 1;
      rec.log('stage', `the communications data authorisation lapsed before ${sub.provider} answered: renewed (${SUBSCRIBER.ipa.renewals.source})`);
      sub.outcome = undefined;
      continue;
    }
    break;
  }
  state.currentRequest = null;
  if (sub.outcome === 'identified') {
    const before = sub.geolocatedTo;
    state.suspectCountry = sub.country!;
    rec.clearDeadline('subscriber-log-retention');
    rec.clearDeadline('subscriber-log-preservation');
    rec.log(
      'response',
      `subscriber identified by ${sub.provider}: in ${sub.country}${sub.region ? ` (${sub.region})` : ''}${before && before !== sub.country ? `, not where the address geolocated (${before})` : ''}; the jurisdiction rests on the subscriber records`,
      'system:provider',
    );
    rec.publish();
    return afterJurisdiction(ctx);
  }
  // A coordinator decides, as for any unresolved jurisdiction.
  state.suspectCountry = null;
  rec.clearDeadline('subscriber-log-preservation');
  const courtOrder = state.homeCountry === 'US' && sub.instrument !== 'court-order-2703d' ? ', or applies for a § 2703(d) order (request-records-order)' : '';
  rec.log(
    'stage',
    `subscriber identification: ${sub.outcome ?? 'no answer'} — ${sub.reason ?? 'no reason given'}; a coordinator decides where the suspect is${sub.geolocatedTo ? ` (the address geolocates to ${sub.geolocatedTo})` : ''}${courtOrder}`,
  );
  rec.publish();
  return 'JURISDICTION';
}

/** The provider's retention for the address's time, from the deployment's table: a deadline, or a lapse already. */
async function checkRetention(ctx: CaseContext, sub: SubscriberRecord): Promise<void> {
  const { rec } = ctx;
  const policy: DeploymentPolicy = await ctx.step('subscriber-policy', (c) => systems.assessment.deploymentPolicy(c));
  sub.retentionChecked = true;
  const kept = policy.providerLogRetention[sub.provider];
  if (!kept) {
    rec.log('alert', `subscriber identification: ${notConfigured('providerLogRetention', sub.provider)}; the logs may be gone before anyone asks`);
    return;
  }
  if (!sub.target.at) {
    rec.log('alert', `subscriber identification: the tip gives no time for the address, so ${sub.provider}'s ${kept.days}-day retention cannot be counted`);
    return;
  }
  const until = Date.parse(sub.target.at) + ctx.ms({ days: kept.days });
  sub.logsKeptUntil = new Date(until).toISOString();
  const source = `${sub.provider} keeps its IP logs ${kept.days} days (${kept.source})`;
  if (Date.now() >= until) {
    await lapsed(ctx, sub, source);
    sub.outcome = 'no-data';
    sub.reason = `${sub.provider}'s logs for the address ran out on ${sub.logsKeptUntil} (${source}) before any process could be served`;
    return;
  }
  rec.setDeadline('subscriber-log-retention', until, source);
}

/** The logs ran out before the provider answered: an alert, and the reason the outcome will give. */
async function lapsed(ctx: CaseContext, sub: SubscriberRecord, source: string): Promise<void> {
  sub.lapseAlerted = true;
  ctx.rec.clearDeadline('subscriber-log-retention');
  await ctx.sideStep('subscriber-logs-lapsed', (c) =>
    systems.agency.alert(c, {
      to: 'coordinator',
      kind: 'subscriber-logs-lapsed',
      message: `case ${ctx.caseId}: the provider's logs for the reported address have run out`,
    }),
  );
  ctx.rec.log('alert', `${sub.provider}'s logs for the address ran out on ${sub.logsKeptUntil} (${source}), unpreserved: the subscriber may not be found`);
}

/** § 2703(f) (or a request to retain) before any process: the logs must outlast the answer. */
async function preserveLogs(ctx: CaseContext, sub: SubscriberRecord): Promise<void> {
  const { rec, state } = ctx;
  try {
    const { reference } = await ctx.step('subscriber-preservation', (c) =>
      systems.isp.preserveIspLogs(c, {
        provider: sub.provider,
        ipAddress: sub.target.ipAddress,
        ...(sub.target.at ? { at: sub.target.at } : {}),
        asOf: rec.now(),
      }),
    );
    sub.preservation = { state: 'PRESERVED', reference };
    rec.clearDeadline('subscriber-log-retention');
    const rule = ctx.law.logPreservation;
    rec.setDeadline('subscriber-log-preservation', Date.now() + ctx.ms(rule.value), `${sub.provider}'s logs preserved: ${rule.source}`);
    rec.log(
      'request',
      `${sub.provider}'s logs for the address preserved first (${reference}; ${state.homeCountry === 'US' ? '18 U.S.C. § 2703(f)' : 'a request to retain'})`,
    );
  } catch (err) {
    if (!(err instanceof NeedsAttention)) throw err;
    sub.preservation = { state: 'REFUSED', reason: err.reason };
    rec.log(
      'alert',
      `${sub.provider} did not preserve its logs (${err.reason}): the process goes at once${sub.logsKeptUntil ? ` and must be answered before ${sub.logsKeptUntil}` : ''}`,
    );
  }
}

/** Opens the request by the instrument the case's country, priority and the coordinator's facts call for. */
function openRequest(ctx: CaseContext, sub: SubscriberRecord): RequestSummary {
  const { state, rec } = ctx;
  const urgent = state.priority !== null && SUBSCRIBER.emergencyForPriorities.value.includes(state.priority);
  let instrument: SubscriberInstrument;
  let status: string;
  let awaiting: Party;
  if (state.homeCountry === 'GB') {
    [instrument, status, awaiting] = [urgent ? 'ipa-part3-urgent' : 'ipa-part3', 'AUTHORISATION_SOUGHT', 'agency'];
  } else if (sub.orderFacts !== undefined) {
    [instrument, status, awaiting] = ['court-order-2703d', 'APPLIED', 'court'];
  } else if (urgent && !sub.emergencyTried) {
    [instrument, status, awaiting] = ['emergency-2702c4', 'PREPARED', 'provider'];
  } else {
    [instrument, status, awaiting] = [SUBSCRIBER.defaultUsInstrument.value, 'PREPARED', 'provider'];
  }
  const requestId = newRequestId(ctx, 'subscriber-identification');
  const what = SUBSCRIBER_INSTRUMENTS[instrument];
  rec.openRequest(
    requestId,
    'subscriber-identification',
    awaiting,
    `${what.title} to ${sub.provider} for the subscriber behind the address (${what.source})`,
    status,
  );
  Object.assign(sub, { requestId, instrument, outcome: undefined, reason: undefined, answersAt: undefined });
  return rec.request(requestId)!;
}

/** The instruments a subpoena document is generated for (REQUEST_DOCUMENTS: subscriber-subpoena). */
const SUBPOENAS: readonly SubscriberInstrument[] = ['admin-subpoena-3486', 'subpoena-2703c2'];

/** Runs a subscriber request from where it stands to its answer (every step resumable after a retry or a new run). */
async function runRequest(ctx: CaseContext, sub: SubscriberRecord, id: string): Promise<void> {
  const { state, rec, caseId } = ctx;
  const short = shortRequestId(caseId, id);
  const request = () => rec.request(id)!;
  const status = () => request().status;
  state.currentRequest = id;
  if (status() === 'APPLIED' && sendsDocuments(ctx, id)) {
    // The coordinator's specific and articulable facts are the application's; it goes once a person approved it.
    await documentToSend(ctx, id, 'court-order-application', sub.orderFacts ? { additions: { probableCause: sub.orderFacts } } : {});
  }
  if (status() === 'PREPARED' && SUBPOENAS.includes(sub.instrument as SubscriberInstrument) && sendsDocuments(ctx, id)) {
    await documentToSend(ctx, id, 'subscriber-subpoena');
  }
  if (status() === 'APPLIED') {
    rec.await('court', `the court’s decision on a § 2703(d) order for ${sub.provider}'s records`);
    const decision = await ctx.step(`${short}-order`, (c) => systems.court.applyForRecordsOrder(c, { provider: sub.provider, facts: sub.orderFacts ?? '' }));
    sub.orderFacts = undefined;
    if (decision.granted) ctx.answered(`${short}-order`, id, 'GRANTED', `§ 2703(d) order granted (${decision.warrantId})`, decision.warrantId);
    else ctx.answered(`${short}-order`, id, 'DENIED', `the court denied the § 2703(d) order: ${decision.reason}`);
  }
  if (status() === 'AUTHORISATION_SOUGHT') {
    const urgent = sub.instrument === 'ipa-part3-urgent';
    rec.await('agency', `a communications data authorisation (${urgent ? 'urgent, a designated senior officer' : 'OCDA'}), the SPoC consulted`);
    const a = await ctx.step(`${short}-authorisation`, (c) => systems.isp.authoriseCommsData(c, { provider: sub.provider, urgent, asOf: rec.now() }));
    if (a.authorised) {
      const rule = urgent ? SUBSCRIBER.ipa.urgentAuthorisation : ctx.state.homeCountryLaw ? SUBSCRIBER.ipa.authorisationCalendar : SUBSCRIBER.ipa.authorisation;
      ctx.answered(`${short}-authorisation`, id, 'AUTHORISED', `authorised by the ${a.authority}`, a.reference);
      rec.setDeadline(`${short}:authorisation`, ctx.after(Date.now(), rule.value), rule.source, id);
    } else {
      ctx.answered(`${short}-authorisation`, id, 'NOT_AUTHORISED', `not authorised: ${a.reason}`);
    }
  }
  if (['PREPARED', 'GRANTED', 'AUTHORISED'].includes(status())) {
    rec.await('provider', `${sub.provider}'s answer to the ${SUBSCRIBER_INSTRUMENTS[sub.instrument as SubscriberInstrument].title}`);
    const served = await ctx.step(`${short}-serve`, (c) =>
      systems.isp.serveSubscriberProcess(c, {
        provider: sub.provider,
        instrument: sub.instrument as SubscriberInstrument,
        ipAddress: sub.target.ipAddress,
        ...(sub.target.at ? { at: sub.target.at } : {}),
        ...(sub.target.port !== undefined ? { port: sub.target.port } : {}),
        ...(request().reference ? { authority: request().reference } : {}),
        ...(sub.logsKeptUntil ? { logsKeptUntil: sub.logsKeptUntil } : {}),
        preserved: sub.preservation?.state === 'PRESERVED',
        asOf: rec.now(),
        dayScale: ctx.ms({ days: 1 }) / DAY_MS,
      }),
    );
    sub.answersAt = served.answersAt;
    ctx.answered(`${short}-serve`, id, 'SERVED', `served on ${sub.provider} (${served.reference}); it answers by ${served.answersAt}`, served.reference);
    rec.setDeadline(`${short}:answer`, Date.parse(served.answersAt), `${sub.provider}'s answer date, as its portal gave it`, id);
  }
  if (status() === 'SERVED') {
    await waitForAnswer(ctx, sub, short, id);
    if (status() === 'SERVED') {
      const reference = request().reference ?? '';
      const answer = await ctx.step(`${short}-answer`, (c) => systems.isp.collectSubscriberAnswer(c, { provider: sub.provider, reference, asOf: rec.now() }));
      rec.clearDeadline(`${short}:answer`);
      rec.clearDeadline(`${short}:authorisation`);
      if (answer.outcome === 'identified') {
        Object.assign(sub, { outcome: 'identified', country: answer.subscriber.country, city: answer.subscriber.city, address: answer.subscriber.address });
        if (answer.subscriber.region) sub.region = answer.subscriber.region;
        ctx.answered(`${short}-answer`, id, 'IDENTIFIED', `subscriber identified in ${answer.subscriber.country}`);
      } else {
        ctx.answered(`${short}-answer`, id, STATUS_OF[answer.outcome], answer.reason);
      }
    }
  }
  const settled = request();
  sub.outcome ??= OUTCOME_OF[settled.status];
  if (sub.outcome !== 'identified') sub.reason = settled.reason ?? sub.reason;
}

/** Until the provider's answer date, minding the logs (unpreserved) and the authorisation (UK), which may run out first. */
async function waitForAnswer(ctx: CaseContext, sub: SubscriberRecord, short: string, id: string): Promise<void> {
  const { rec } = ctx;
  for (;;) {
    const answerAt = Date.parse(sub.answersAt ?? rec.now());
    const lapseAt = sub.preservation?.state !== 'PRESERVED' && sub.logsKeptUntil && !sub.lapseAlerted ? Date.parse(sub.logsKeptUntil) : undefined;
    const authUntil = rec.deadline(`${short}:authorisation`);
    const until = Math.min(answerAt, lapseAt ?? Infinity, authUntil ?? Infinity);
    if (Date.now() < until) await ctx.waitUntil(() => false, until);
    if (Date.now() >= answerAt) return;
    if (lapseAt !== undefined && Date.now() >= lapseAt) {
      await lapsed(ctx, sub, `${sub.provider}'s retention`);
      continue;
    }
    if (authUntil !== undefined && Date.now() >= authUntil) {
      rec.clearDeadline(`${short}:answer`);
      rec.clearDeadline(`${short}:authorisation`);
      ctx.answered(`${short}-authorisation`, id, 'LAPSED', `the authorisation lapsed before ${sub.provider} answered (${SUBSCRIBER.ipa.authorisation.source})`);
      return;
    }
  }
}

/**
 * Preservation of the suspect's data, beside the case until evidence is in hand or the case closes:
 * request → preserved → renewed before each expiry as the instrument allows → released; or lapsed,
 * with an alert, when renewal fails or the renewals run out. One child workflow per case.
 */
import { ActivityFailure, condition, defineQuery, defineSignal, getExternalWorkflowHandle, patched, proxyActivities, setHandler } from '@temporalio/workflow';
import type { CaseActivities } from '../activities';
import { draftOf, type DocumentFacts } from './documents';
import type { DocumentSummary, PreservationStatus } from './messages';
import type { CallContext, PreservationReceipt } from '../activities/ports';
import { INSTRUMENTS, scaledMs, type PolicyProfile, DAY_MS, type PreservationInstrument, type Period, type Rule } from './policy';
import { SYSTEM_ACTIVITY_OPTIONS } from './retry-policies';

export type { PreservationInstrument } from './policy';

/**
 * From this patch on, each instrument goes through the system it is addressed to — § 2703(f) to the
 * provider, Budapest Art. 29 to the 24/7 network (the foreign partner), an EU preservation order
 * through the EU's order gateway, extended once by 30 days (Art. 11(1)). Earlier preservations asked
 * the provider for all three and keep doing so.
 */
export const PRESERVATION_BY_INSTRUMENT = 'preservation-by-instrument';

/**
 * From this patch on, each § 2703(f) renewal sends a renewal letter generated from the case's facts
 * (given by the case when it starts the preservation) before the provider is asked; the letter goes at
 * once, as the first one did, and the case keeps it for approval afterwards, for the file.
 */
export const PRESERVATION_RENEWAL_LETTERS = 'preservation-renewal-letters';

const RULES = {
  'us-2703f': INSTRUMENTS.domesticPreservation,
  'budapest-art29': INSTRUMENTS.budapestPreservation,
  'eu-preservation-order': INSTRUMENTS.euPreservation,
} as const;

export interface PreservationInput {
  caseId: string;
  provider: string;
  instrument: PreservationInstrument;
  profile: PolicyProfile;
  /** Where the data is held (the foreign partner or the EU member state asked). Absent in inputs from older code. */
  country?: string;
  /** The case's facts for the renewal letters (encrypted in the payload, like every input). Absent in inputs from older code. */
  renewalFacts?: DocumentFacts;
}

/** How one instrument is requested, renewed and released, and how often and for how long it is renewed. */
interface Channel {
  request(ctx: CallContext, periodDays: number, asOf: string): Promise<PreservationReceipt>;
  renew(ctx: CallContext, reference: string, periodDays: number, asOf: string): Promise<PreservationReceipt>;
  release(ctx: CallContext, reference: string): Promise<void>;
  renewals: Rule<number>;
  renewalPeriod: Rule<Period>;
}

/** From the case: evidence is in hand or the case is closing. */
export const releasePreservation = defineSignal<[{ reason: string }]>('releasePreservation');
export const preservationStatusQuery = defineQuery<PreservationStatus>('preservationStatus');
/** To the case: the preservation's state changed (with the renewal letter it sent, where it generated one). */
export const preservationChanged = defineSignal<[PreservationStatus & { detail: string; document?: DocumentSummary }]>('preservationChanged');

const provider = proxyActivities<CaseActivities>(SYSTEM_ACTIVITY_OPTIONS.provider);
const agency = proxyActivities<CaseActivities>(SYSTEM_ACTIVITY_OPTIONS.agency);
const foreignPartner = proxyActivities<CaseActivities>(SYSTEM_ACTIVITY_OPTIONS.foreignPartner);
const orders = proxyActivities<CaseActivities>(SYSTEM_ACTIVITY_OPTIONS.orders);
const documents = proxyActivities<CaseActivities>(SYSTEM_ACTIVITY_OPTIONS.documents);

function channelFor(input: PreservationInput, byInstrument: boolean): Channel {
  const rule = RULES[input.instrument];
  const viaProvider: Channel = {
    request: (ctx, periodDays, asOf) => provider.requestPreservation(ctx, { provider: input.provider, instrument: input.instrument, periodDays, asOf }),
    renew: (ctx, reference, periodDays, asOf) => provider.renewPreservation(ctx, { provider: input.provider, reference, periodDays, asOf }),
    release: (ctx, reference) => provider.releasePreservation(ctx, { provider: input.provider, reference }),
    renewals: rule.renewals,
    renewalPeriod: rule.period,
  };
  const country = input.country;
  if (!byInstrument || input.instrument === 'us-2703f' || country === undefined) return viaProvider;
  if (input.instrument === 'budapest-art29') {
    return {
      request: (ctx, periodDays, asOf) => foreignPartner.requestForeignPreservation(ctx, { country, provider: input.provider, periodDays, asOf }),
      renew: (ctx, reference, periodDays, asOf) => foreignPartner.renewForeignPreservation(ctx, { country, reference, periodDays, asOf }),
      release: (ctx, reference) => foreignPartner.releaseForeignPreservation(ctx, { country, reference }),
      renewals: rule.renewals,
      renewalPeriod: rule.period,
    };
  }
  const eu = INSTRUMENTS.euPreservation;
  return {
    request: (ctx, periodDays, asOf) => orders.issueEuPreservationOrder(ctx, { country, provider: input.provider, periodDays, asOf }),
    renew: (ctx, reference, periodDays, asOf) => orders.extendEuPreservationOrder(ctx, { country, reference, periodDays, asOf }),
    release: (ctx, reference) => orders.withdrawOrder(ctx, { requestId: preservationWorkflowId(input.caseId), reference }),
    renewals: eu.extensions,
    renewalPeriod: eu.extension,
  };
}

export function preservationWorkflowId(caseId: string): string {
  return `${caseId}/preservation`;
}

export async function preservationWorkflow(input: PreservationInput): Promise<PreservationStatus> {
  const rule = RULES[input.instrument];
  const channel = channelFor(input, patched(PRESERVATION_BY_INSTRUMENT));
  const periodMs = scaledMs(rule.period.value, input.profile);
  const renewalMs = scaledMs(channel.renewalPeriod.value, input.profile);
  const renewBeforeMs = scaledMs(rule.renewBefore.value, input.profile);
  const key = (step: string) => ({ caseId: input.caseId, idempotencyKey: `${input.caseId}/preservation/${step}` });
  const status: PreservationStatus = { workflowId: preservationWorkflowId(input.caseId), state: 'REQUESTED', renewalsUsed: 0 };
  let release: string | null = null;
  setHandler(releasePreservation, ({ reason }) => {
    release ??= reason;
  });
  setHandler(preservationStatusQuery, () => ({ ...status }));
  const parent = getExternalWorkflowHandle(input.caseId);
  const report = async (detail: string, document?: DocumentSummary) => {
    await parent.signal(preservationChanged, { ...status, detail, ...(document ? { document } : {}) }).catch(() => {
      // The case has already closed: nothing left to tell.
    });
  };
  // An alert that cannot be delivered must not end the preservation: the case's timeline still says what happened.
  const alert = (step: string, message: string) =>
    agency.alert(key(step), { to: 'coordinator', kind: 'preservation', message }).catch((err: unknown) => {
      if (!(err instanceof ActivityFailure)) throw err;
    });

  /** The renewal letter, generated before the provider is asked; renewing never waits for the document store. */
  const renewalLetter = async (ref: string): Promise<{ document?: DocumentSummary; missing?: string }> => {
    const n = status.renewalsUsed + 1;
    const facts: DocumentFacts = {
      ...input.renewalFacts!,
      sequence: n,
      preservation: { state: status.state, reference: ref, expiresAt: status.expiresAt, renewalsUsed: status.renewalsUsed },
      preparedAt: new Date().toISOString(),
    };
    try {
      const d = await documents.generateDocument(key(`renew-${n}-letter`), { kind: 'preservation-renewal', facts, language: 'en' });
      return { document: draftOf(d, preservationWorkflowId(input.caseId), 'preservation-renewal') };
    } catch (err) {
      if (!(err instanceof ActivityFailure)) throw err;
      const reason = err.cause?.message ?? err.message;
      await alert(`renew-${n}-letter-alert`, `the renewal letter for preservation ${ref} could not be generated (${reason}); the renewal was asked without it`);
      return { missing: ` without its renewal letter (it could not be generated: ${reason})` };
    }
  };

  let reference: string;
  try {
    const receipt = await channel.request(key('request'), periodMs / DAY_MS, new Date().toISOString());
    reference = receipt.reference;
    status.expiresAt = receipt.expiresAt;
    status.state = 'PRESERVED';
    await report(`${input.instrument} preservation ${reference} in place until ${receipt.expiresAt} (${rule.period.source})`);
  } catch (err) {
    if (!(err instanceof ActivityFailure)) throw err;
    status.state = 'REFUSED';
    await alert('refused-alert', `preservation request refused: ${err.cause?.message ?? err.message}`);
    await report(`preservation refused: ${err.cause?.message ?? err.message}`);
    return status;
  }

  for (;;) {
    const expiresAt = Date.parse(status.expiresAt);
    const canRenew = status.renewalsUsed < channel.renewals.value;
    const wakeAt = canRenew ? expiresAt - renewBeforeMs : expiresAt;
    if (await condition(() => release !== null, Math.max(1, wakeAt - Date.now()))) break;
    if (!canRenew) {
      status.state = 'LAPSED';
      await alert('lapsed-alert', `preservation ${reference} lapsed at ${status.expiresAt}: no renewal left under ${channel.renewals.source}`);
      await report(`preservation lapsed: renewals exhausted (${channel.renewals.value})`);
      return status;
    }
    const letter = input.renewalFacts && input.instrument === 'us-2703f' && patched(PRESERVATION_RENEWAL_LETTERS) ? await renewalLetter(reference) : undefined;
    try {
      const receipt = await channel.renew(key(`renew-${status.renewalsUsed + 1}`), reference, renewalMs / DAY_MS, new Date().toISOString());
      status.renewalsUsed++;
      status.expiresAt = receipt.expiresAt;
      status.state = 'RENEWED';
      const sent = letter?.document
        ? ` with the renewal letter ${letter.document.documentId} version ${letter.document.version} (content sha256 ${letter.document.contentHash})`
        : (letter?.missing ?? '');
      await report(
        `preservation ${reference} renewed (${status.renewalsUsed} of ${channel.renewals.value}) until ${receipt.expiresAt}${sent}`,
        letter?.document,
      );
    } catch (err) {
      if (!(err instanceof ActivityFailure)) throw err;
      const reason = err.cause?.message ?? err.message;
      await alert('renewal-failed-alert', `renewal of preservation ${reference} failed (${reason}); it lapses at ${status.expiresAt}`);
      await report(`renewal failed: ${reason}; lapses at ${status.expiresAt}`);
      if (await condition(() => release !== null, Math.max(1, expiresAt - Date.now()))) break;
      status.state = 'LAPSED';
      await alert('lapsed-alert', `preservation ${reference} lapsed at ${status.expiresAt} after a failed renewal`);
      await report('preservation lapsed after a failed renewal');
      return status;
    }
  }

  try {
    await channel.release(key('release'), reference);
  } catch (err) {
    if (!(err instanceof ActivityFailure)) throw err;
    // Still preserved at the provider: someone must release it there, or it lapses at its expiry.
    await alert(
      'release-failed-alert',
      `release of preservation ${reference} failed (${err.cause?.message ?? err.message}); release it by hand or it lapses at ${status.expiresAt}`,
    );
    await report(`release failed: ${err.cause?.message ?? err.message}; it lapses at ${status.expiresAt} unless released by hand`);
    return status;
  }
  status.state = 'RELEASED';
  await report(`preservation ${reference} released: ${release}`);
  return status;
}

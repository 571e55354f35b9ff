/**
 * Preservation of the suspect's data, beside the case until evidence is in hand or the case closes:
 * request → preserved → renewed before each expiry as the instrument allows → released; or lapsed,
 * with an alert, when renewal fails or the renewals run out. One child workflow per case.
 */
import {
  ActivityFailure,
  condition,
  defineQuery,
  defineSignal,
  getExternalWorkflowHandle,
  proxyActivities,
  setHandler,
} from '@temporalio/workflow';
import type { CaseActivities } from '../activities';
import type { PreservationStatus } from './messages';
import { INSTRUMENTS, scaledMs, type PolicyProfile, DAY_MS } from './policy';
import { SYSTEM_ACTIVITY_OPTIONS } from './retry-policies';

export type PreservationInstrument = 'us-2703f' | 'budapest-art29' | 'eu-preservation-order';

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
}

/** From the case: evidence is in hand or the case is closing. */
export const releasePreservation = defineSignal<[{ reason: string }]>('releasePreservation');
export const preservationStatusQuery = defineQuery<PreservationStatus>('preservationStatus');
/** To the case: the preservation's state changed. */
export const preservationChanged = defineSignal<[PreservationStatus & { detail: string }]>('preservationChanged');

const provider = proxyActivities<CaseActivities>(SYSTEM_ACTIVITY_OPTIONS.provider);
const agency = proxyActivities<CaseActivities>(SYSTEM_ACTIVITY_OPTIONS.agency);

export function preservationWorkflowId(caseId: string): string {
  return `${caseId}/preservation`;
}

export async function preservationWorkflow(input: PreservationInput): Promise<PreservationStatus> {
  const rule = RULES[input.instrument];
  const periodMs = scaledMs(rule.period.value, input.profile);
  const renewBeforeMs = scaledMs(rule.renewBefore.value, input.profile);
  const key = (step: string) => ({ caseId: input.caseId, idempotencyKey: `${input.caseId}/preservation/${step}` });
  const status: PreservationStatus = { workflowId: preservationWorkflowId(input.caseId), state: 'REQUESTED', renewalsUsed: 0 };
  let release: string | null = null;
  setHandler(releasePreservation, ({ reason }) => {
    release ??= reason;
  });
  setHandler(preservationStatusQuery, () => ({ ...status }));
  const parent = getExternalWorkflowHandle(input.caseId);
  const report = async (detail: string) => {
    await parent.signal(preservationChanged, { ...status, detail }).catch(() => {
      // The case has already closed: nothing left to tell.
    });
  };
  const alert = (step: string, message: string) => agency.alert(key(step), { to: 'coordinator', kind: 'preservation', message });

  let reference: string;
  try {
    const receipt = await provider.requestPreservation(key('request'), {
      provider: input.provider,
      instrument: input.instrument,
      periodDays: periodMs / DAY_MS,
      asOf: new Date().toISOString(),
    });
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
    const expiresAt = Date.parse(status.expiresAt!);
    const canRenew = status.renewalsUsed < rule.renewals.value;
    const wakeAt = canRenew ? expiresAt - renewBeforeMs : expiresAt;
    if (await condition(() => release !== null, Math.max(1, wakeAt - Date.now()))) break;
    if (!canRenew) {
      status.state = 'LAPSED';
      await alert('lapsed-alert', `preservation ${reference} lapsed at ${status.expiresAt}: no renewal left under ${rule.renewals.source}`);
      await report(`preservation lapsed: renewals exhausted (${rule.renewals.value})`);
      return status;
    }
    try {
      const receipt = await provider.renewPreservation(key(`renew-${status.renewalsUsed + 1}`), {
        provider: input.provider,
        reference,
        periodDays: periodMs / DAY_MS,
        asOf: new Date().toISOString(),
      });
      status.renewalsUsed++;
      status.expiresAt = receipt.expiresAt;
      status.state = 'RENEWED';
      await report(`preservation ${reference} renewed (${status.renewalsUsed} of ${rule.renewals.value}) until ${receipt.expiresAt}`);
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

  await provider.releasePreservation(key('release'), { provider: input.provider, reference });
  status.state = 'RELEASED';
  await report(`preservation ${reference} released: ${release}`);
  return status;
}

/**
 * Test-only workflows for the encryption tests (test/security/encryption-at-rest.test.ts), until the
 * case workflow lands: they carry a tip's identifiers through every kind of payload Temporal stores
 * (workflow input and result, memo, activity input, activity failure message, update arguments and
 * result, workflow failure message).
 */
import { ApplicationFailure, condition, defineQuery, defineUpdate, proxyActivities, setHandler } from '@temporalio/workflow';

export interface ProbeSubject {
  screenName: string;
  ipAddress: string;
  /** Appears only in the activity's error message: proves failure messages are encoded. */
  failureMarker: string;
}

export interface LookupActivities {
  lookUpAccount(subject: ProbeSubject): Promise<string>;
}

export const addNote = defineUpdate<string, [string]>('addNote');
export const stage = defineQuery<string>('stage');

const { lookUpAccount } = proxyActivities<LookupActivities>({
  startToCloseTimeout: '10s',
  retry: { maximumAttempts: 2, initialInterval: '50ms' },
});

export async function encryptedProbe(subject: ProbeSubject): Promise<{ subject: ProbeSubject; activityError: string; notes: string[] }> {
  const notes: string[] = [];
  let current = 'looking-up';
  setHandler(stage, () => current);
  setHandler(addNote, (note) => {
    notes.push(note);
    return `noted: ${note}`;
  });
  let activityError = '';
  try {
    await lookUpAccount(subject);
  } catch (err) {
    // ActivityFailure -> ApplicationFailure: the message the activity threw, decoded in the sandbox.
    activityError = err instanceof Error && err.cause instanceof Error ? err.cause.message : String(err);
  }
  current = 'waiting-for-note';
  await condition(() => notes.length > 0);
  return { subject, activityError, notes };
}

export async function failingProbe(subject: ProbeSubject): Promise<never> {
  throw ApplicationFailure.nonRetryable(`case cannot proceed: ${subject.screenName} at ${subject.ipAddress} (${subject.failureMarker})`);
}

/**
 * Evidence held abroad through the treaty route: an MLAT request (run by its own child workflow —
 * drafting, the central authority's review, translation, the diplomatic note, the foreign side's
 * answers), or, where the tables know no route, a channel a liaison arranges by hand.
 */
import { ParentClosePolicy, patched, startChild } from '@temporalio/workflow';
import { factsFromCase } from '../../documents';
import { INSTRUMENTS } from '../../policy';
import { mlatWorkflow } from '../../mlat';
import { NeedsAttention, type CaseContext } from '../context';
import { PATCHES } from '../patches';
import type { Next } from '../record';
import { awaitAnswer, awaitChild, liveRequest, newRequestId } from '../requests';
import { haveEvidence } from '../routes';

export async function mlat(ctx: CaseContext): Promise<Next> {
  const { state, rec, caseId } = ctx;
  rec.enterStage('MLAT', 'central-authority', `the MLAT request to ${state.dataCountry} and the foreign central authority's answer`);
  let r = liveRequest(ctx, 'mlat');
  if (!r) {
    const requestId = newRequestId(ctx, 'mlat');
    rec.openRequest(
      requestId,
      'mlat',
      'agency',
      `MLAT request to ${state.dataCountry}: drafting from the case (Criminal Resource Manual 276)`,
      'DRAFTING',
      requestId,
    );
    await startChild(mlatWorkflow, {
      workflowId: requestId,
      args: [
        {
          caseId,
          requestId,
          country: state.dataCountry!,
          homeCountry: state.homeCountry,
          profile: state.profile,
          stage: 'MLAT',
          // The documents are generated from the case's facts (encrypted in the child's input, never in logs or search attributes).
          ...(patched(PATCHES.generatedDocuments) ? { facts: factsFromCase(state, { requestId, at: new Date().toISOString() }) } : {}),
        },
      ],
      // It reports to whichever run of the case is current; the case's continue-as-new must not end it.
      parentClosePolicy: ParentClosePolicy.ABANDON,
    });
    r = rec.request(requestId)!;
  }
  state.currentRequest = r.requestId;
  const answered = await awaitChild(ctx, r.requestId, 'mlat');
  if (answered.status === 'EXECUTED') return haveEvidence(ctx, `MLAT request executed by ${state.dataCountry} (${answered.reference ?? 'no reference'})`);
  return { close: 'REFUSED', reason: `${state.dataCountry} refused the MLAT request: ${answered.reason ?? 'no ground given'}` };
}

export async function foreignEvidence(ctx: CaseContext): Promise<Next> {
  const { state, rec } = ctx;
  rec.enterStage('FOREIGN_EVIDENCE', 'liaison', `the evidence held in ${state.dataCountry}, through a channel a liaison arranges`);
  let current = liveRequest(ctx, 'foreign-evidence');
  if (!current) {
    const requestId = newRequestId(ctx, 'foreign-evidence');
    rec.openRequest(
      requestId,
      'foreign-evidence',
      'liaison',
      `evidence held in ${state.dataCountry} to be requested by a liaison; record the foreign side's answers with respond`,
    );
    current = rec.request(requestId)!;
    rec.clearDeadline('triage-target');
  }
  state.currentRequest = current.requestId;
  const answered = await awaitAnswer(ctx, current.requestId, INSTRUMENTS.foreignEvidence.followUpEvery);
  if (answered.status !== 'PRODUCED') {
    throw new NeedsAttention('foreign-evidence', `${answered.requestId} ${answered.status.toLowerCase()}${answered.reason ? `: ${answered.reason}` : ''}`);
  }
  return haveEvidence(ctx, `produced through the liaison's channel (${answered.reference ?? 'no reference'})`);
}

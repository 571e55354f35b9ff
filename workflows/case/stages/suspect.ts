/**
 * The suspect, once the evidence is in hand: an arrest warrant (also the basis of an extradition
 * request), then an arrest at home, an extradition (run by its own child workflow: provisional
 * arrest, formal request, the foreign proceedings, surrender), or a transfer of proceedings to the
 * state that will not extradite.
 */
import { ParentClosePolicy, patched, startChild } from '@temporalio/workflow';
import { factsFromCase } from '../../documents';
import { extraditionWorkflow } from '../../extradition';
import { INSTRUMENTS } from '../../policy';
import { shortRequestId } from '../../requests/runtime';
import { NeedsAttention, systems, type CaseContext } from '../context';
import { PATCHES } from '../patches';
import { AWAITING_APPROVAL } from '../../requests/machines';
import { documentToSend, documentsForEveryRequest, sentWithDocument } from '../documents';
import type { Next } from '../record';
import { awaitAnswer, awaitChild, liveRequest, newRequestId } from '../requests';
import { beginCustody } from './custody';

export async function arrestWarrant(ctx: CaseContext): Promise<Next> {
  const { state, rec, caseId } = ctx;
  rec.enterStage('ARREST_WARRANT', 'court', 'the court’s decision on the arrest warrant');
  // A retry after a denial files a new application: the denied one stays on record as denied.
  const first = `${caseId}/arrest-warrant`;
  const requestId = rec.request(first) ? (liveRequest(ctx, 'arrest-warrant')?.requestId ?? newRequestId(ctx, 'arrest-warrant')) : first;
  rec.openRequest(requestId, 'arrest-warrant', 'court', 'arrest warrant application filed');
  const decision = await ctx.step('arrest-warrant', (c) => systems.court.applyForArrestWarrant(c, { suspectCountry: state.suspectCountry! }));
  if (!decision.granted) {
    ctx.answered('arrest-warrant', requestId, 'DENIED', decision.reason);
    throw new NeedsAttention('arrest-warrant', `arrest warrant denied: ${decision.reason}`);
  }
  ctx.answered('arrest-warrant', requestId, 'GRANTED', '', decision.warrantId);
  state.arrestWarrantId = decision.warrantId;
  return { decide: 'suspect-route' };
}

export async function localArrest(ctx: CaseContext): Promise<Next> {
  const { state, rec } = ctx;
  rec.enterStage('LOCAL_ARREST', 'agency', 'the arrest');
  // Under a home law that arrests on the search (PACE s.24), the power is the law's and the warrant the search's.
  const onSearch =
    ctx.law.arrestOnSearch && state.premisesSearched && state.warrant ? { rule: ctx.law.arrestOnSearch, warrantId: state.warrant.warrantId } : null;
  const { arrestedAt, warrantless } = await ctx.step('arrest', (c) =>
    systems.agency.arrest(c, onSearch ? { searchWarrantId: onSearch.warrantId, power: onSearch.rule.source } : { arrestWarrantId: state.arrestWarrantId! }),
  );
  const how = onSearch ? ` on the search of the premises: ${onSearch.rule.value} (${onSearch.rule.source})` : warrantless ? ' (without a warrant)' : '';
  rec.log('response', `suspect arrested at ${arrestedAt}${how}`, 'system:agency');
  // Decided after the arrest, so cases recorded before the post-arrest stages replay their closing.
  if (!ctx.input.endAtArrest && patched(PATCHES.afterTheArrest)) return beginCustody(ctx, 'local-arrest', onSearch !== null || warrantless === true);
  return {
    close: 'ARRESTED',
    reason: onSearch ? `arrested on the search under warrant ${onSearch.warrantId}` : `arrested under warrant ${state.arrestWarrantId}`,
  };
}

export async function extradition(ctx: CaseContext): Promise<Next> {
  const { state, rec, caseId } = ctx;
  rec.enterStage('EXTRADITION', 'central-authority', `extradition of the suspect from ${state.suspectCountry}`);
  let r = liveRequest(ctx, 'extradition');
  if (!r) {
    const requestId = newRequestId(ctx, 'extradition');
    const urgent = state.priority !== null && INSTRUMENTS.extradition.provisionalArrestForPriorities.value.includes(state.priority);
    rec.openRequest(
      requestId,
      'extradition',
      'central-authority',
      `extradition from ${state.suspectCountry}${urgent ? ', with a provisional arrest (urgent)' : ''}`,
      'OPENED',
      requestId,
    );
    await startChild(extraditionWorkflow, {
      workflowId: requestId,
      args: [
        {
          caseId,
          requestId,
          country: state.suspectCountry!,
          homeCountry: state.homeCountry,
          profile: state.profile,
          stage: 'EXTRADITION',
          provisionalArrest: urgent,
          arrestWarrantId: state.arrestWarrantId!,
          ...(patched(PATCHES.generatedDocuments) ? { facts: factsFromCase(state, { requestId, at: new Date().toISOString() }) } : {}),
        },
      ],
      parentClosePolicy: ParentClosePolicy.ABANDON,
    });
    r = rec.request(requestId)!;
  }
  state.currentRequest = r.requestId;
  const answered = await awaitChild(ctx, r.requestId, 'extradition');
  state.currentRequest = null;
  const from = state.suspectCountry;
  switch (answered.status) {
    case 'SURRENDERED': {
      rec.enterStage('EXTRADITION', 'agency', 'the arrest on arrival');
      const { arrestedAt } = await ctx.step('arrest-on-arrival', (c) => systems.agency.arrest(c, { arrestWarrantId: state.arrestWarrantId! }));
      rec.log('response', `surrendered by ${from} and arrested on arrival at ${arrestedAt}`, 'system:agency');
      if (!ctx.input.endAtArrest && patched(PATCHES.afterTheArrest)) return beginCustody(ctx, 'extradition', false);
      return { close: 'EXTRADITED', reason: `extradited from ${from} and arrested under warrant ${state.arrestWarrantId}` };
    }
    case 'RELEASED':
      return { close: 'RELEASED', reason: `released in ${from}: ${answered.reason ?? 'the formal request came after the provisional-arrest window'}` };
    case 'DISCHARGED':
      return { close: 'DISCHARGED', reason: `discharged in ${from}: ${answered.reason ?? 'not surrendered within the window after the final order'}` };
    default:
      return { close: 'REFUSED', reason: `${from} refused extradition: ${answered.reason ?? 'no ground given'}` };
  }
}

export async function transferOfProceedings(ctx: CaseContext): Promise<Next> {
  const { state, rec, caseId } = ctx;
  rec.enterStage('TRANSFER_OF_PROCEEDINGS', 'foreign-authority', `the ${state.suspectCountry} prosecutor's decision on the transferred case`);
  let r = liveRequest(ctx, 'transfer-of-proceedings');
  if (!r && documentsForEveryRequest()) {
    const requestId = newRequestId(ctx, 'transfer-of-proceedings');
    rec.openRequest(
      requestId,
      'transfer-of-proceedings',
      'liaison',
      `transfer of proceedings to the ${state.suspectCountry} prosecutor: the request generated from the case`,
      AWAITING_APPROVAL,
    );
    r = rec.request(requestId)!;
  }
  if (r?.status === AWAITING_APPROVAL) {
    const requestId = r.requestId;
    state.currentRequest = requestId;
    const letter = await documentToSend(ctx, requestId, 'transfer-of-proceedings');
    const { reference } = await ctx.step(shortRequestId(caseId, requestId), (c) =>
      systems.foreignPartner.sendCaseFile(c, {
        requestId,
        country: state.suspectCountry!,
        document: { documentId: letter.documentId, language: letter.language },
      }),
    );
    sentWithDocument(
      ctx,
      shortRequestId(caseId, requestId),
      requestId,
      `case file sent to the ${state.suspectCountry} prosecutor (${reference}) with ${letter.documentId} version ${letter.version} (sha256 ${letter.contentHash})`,
      reference,
    );
  }
  if (!r) {
    const requestId = newRequestId(ctx, 'transfer-of-proceedings');
    const { reference } = await ctx.step(shortRequestId(caseId, requestId), (c) =>
      systems.foreignPartner.sendCaseFile(c, { requestId, country: state.suspectCountry!, document: { documentId: `${requestId}/case-file`, language: 'en' } }),
    );
    rec.openRequest(requestId, 'transfer-of-proceedings', 'foreign-authority', `case file sent to the ${state.suspectCountry} prosecutor (${reference})`);
    rec.request(requestId)!.reference = reference;
    r = rec.request(requestId)!;
  }
  state.currentRequest = r.requestId;
  const answered = await awaitAnswer(ctx, r.requestId, INSTRUMENTS.transferOfProceedings.followUpEvery);
  state.currentRequest = null;
  if (answered.status === 'CONCLUDED')
    return { close: 'TRANSFERRED', reason: `prosecuted in ${state.suspectCountry}: ${answered.reason ?? 'proceedings concluded'}` };
  return { close: 'REFUSED', reason: `${state.suspectCountry} declined the transferred proceedings: ${answered.reason ?? 'no reason given'}` };
}

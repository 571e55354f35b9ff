/**
 * Every person's input to a case, one route each, bodies from workflows/messages.ts without the
 * actor fields: the API fills actor, actorId and role from the verified credential. The role is
 * checked against workflows/access.ts before anything reaches Temporal (403); the case's update
 * validator then decides (a `role:` refusal 403, any other 409 with its reason). An accepted input
 * is durable in the case's history before it is answered. `Idempotency-Key` becomes the update id,
 * so a retried POST is recorded once.
 */
import type { UpdateDefinition } from '@temporalio/client';
import type { z } from 'zod';
import {
  addNote,
  amendAndReapply,
  assessDanger,
  disseminate,
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
  reportChildAtRisk,
  requestRecordsOrder,
  resolveJurisdiction,
  respond,
  retryStep,
  returnWarrant,
  statusQuery,
  withdraw,
  type CaseStatus,
} from '../../workflows/messages';
import type { CaseInputName } from '../../workflows/access';
import { parseRequestId, requestIdFromPath, requestWorkflowId } from '../../workflows/requests/ids';
import { admitInput } from '../admit';
import { ProblemSchema, problem } from '../problems';
import { CaseParams, CaseStatusSchema, InputHeaders, RequestParams, RequestSummarySchema, bodies } from '../schemas';
import type { ApiContext, ZodApp } from '../server';
import { temporalProblem, updateProblem, within } from '../temporal';

const errors = { 401: ProblemSchema, 403: ProblemSchema, 404: ProblemSchema, 409: ProblemSchema, 422: ProblemSchema, 429: ProblemSchema, 503: ProblemSchema };

interface CaseInputRoute<A> {
  path: string;
  input: Exclude<CaseInputName, 'respond'>;
  body: z.ZodType;
  update: UpdateDefinition<CaseStatus, [A]>;
  summary: string;
}

export function registerInputRoutes(app: ZodApp, ctx: ApiContext): void {
  const register = <A>(r: CaseInputRoute<A>) =>
    app.post(
      `/cases/:caseId/${r.path}`,
      {
        config: { audit: 'write' },
        schema: {
          summary: r.summary,
          tags: ['inputs'],
          params: CaseParams,
          headers: InputHeaders,
          body: r.body,
          response: { 200: CaseStatusSchema, ...errors },
        },
      },
      async (req) => {
        const { caseId } = req.params;
        const { actor, updateId } = await admitInput(ctx, req, caseId, r.input);
        // The body passed its schema (the payload without the actor fields); the validator checks the whole payload again.
        const args = [{ ...(req.body as object), ...actor } as A] as [A];
        try {
          return (await within(ctx.client, ctx.timeoutMs(req), () =>
            ctx.client.workflow.getHandle(caseId).executeUpdate(r.update, { args, ...(updateId ? { updateId } : {}) }),
          )) as never;
        } catch (err) {
          throw await updateProblem(ctx.client, err, caseId);
        }
      },
    );
  register({
    path: 'resolve-jurisdiction',
    input: 'resolveJurisdiction',
    body: bodies.resolveJurisdiction,
    update: resolveJurisdiction,
    summary: 'say where the suspect is (and where the data is, if not where the provider said)',
  });
  register({ path: 'notes', input: 'addNote', body: bodies.addNote, update: addNote, summary: 'add a note to the case’s timeline' });
  register({
    path: 'withdraw',
    input: 'withdraw',
    body: bodies.withdraw,
    update: withdraw,
    summary: 'close the case as WITHDRAWN: outstanding requests withdrawn, preservation released',
  });
  register({
    path: 'amend-reapply',
    input: 'amendAndReapply',
    body: bodies.amendAndReapply,
    update: amendAndReapply,
    summary: 'file an amended warrant application after a denied or expired one',
  });
  register({ path: 'retry', input: 'retryStep', body: bodies.retryStep, update: retryStep, summary: 'retry the step a case in NEEDS_ATTENTION is stuck on' });
  register({ path: 'close', input: 'closeCase', body: bodies.closeCase, update: closeCase, summary: 'close a case in NEEDS_ATTENTION as UNRESOLVED' });
  // Before the warrant: the analyst's judgement, the child's safety, the subscriber, the warrant's return.
  register({
    path: 'assess-danger',
    input: 'assessDanger',
    body: bodies.assessDanger,
    update: assessDanger,
    summary: 'confirm or downgrade a flagged imminent danger, or re-grade the case (an analyst; a manager once escalated)',
  });
  register({
    path: 'disseminate',
    input: 'disseminate',
    body: bodies.disseminate,
    update: disseminate,
    summary: 'UK: the referrals bureau passes a triaged referral to a force or regional unit; the force’s case starts, this one closes DISSEMINATED',
  });
  register({
    path: 'child-at-risk',
    input: 'reportChildAtRisk',
    body: bodies.reportChildAtRisk,
    update: reportChildAtRisk,
    summary: 'report a child identified or at risk: opens the child’s safeguarding beside the case',
  });
  register({
    path: 'close-while-safeguarding',
    input: 'closeWhileSafeguarding',
    body: bodies.closeWhileSafeguarding,
    update: closeWhileSafeguarding,
    summary: 'let the case close while a child’s safeguarding goes on (the safeguarding is never closed with it)',
  });
  register({
    path: 'records-order',
    input: 'requestRecordsOrder',
    body: bodies.requestRecordsOrder,
    update: requestRecordsOrder,
    summary: 'apply for a § 2703(d) order on the facts, after subscriber identification came back without the subscriber',
  });
  register({
    path: 'warrant-return',
    input: 'returnWarrant',
    body: bodies.returnWarrant,
    update: returnWarrant,
    summary: 'return the executed search warrant with its verified inventory (Rule 41(f))',
  });
  register({
    path: 'review-extension',
    input: 'extendReview',
    body: bodies.extendReview,
    update: extendReview,
    summary: 'record a court’s extension of the off-site review of seized media',
  });
  register({
    path: 'review-complete',
    input: 'completeReview',
    body: bodies.completeReview,
    update: completeReview,
    summary: 'record the off-site review of seized media complete',
  });
  // After the arrest: the court's events, excluded delay and the prosecution decision (US); PACE custody and pre-charge bail (UK).
  register({
    path: 'court-events',
    input: 'recordCourtEvent',
    body: bodies.recordCourtEvent,
    update: recordCourtEvent,
    summary: 'record a court’s event after the arrest (US): initial appearance, detention hearing, preliminary hearing, indictment',
  });
  register({
    path: 'excludable-delay',
    input: 'excludeDelay',
    body: bodies.excludeDelay,
    update: excludeDelay,
    summary: 'record delay the Speedy Trial Act excludes (18 U.S.C. § 3161(h)): the indictment deadline moves by it',
  });
  register({
    path: 'prosecution-decision',
    input: 'decideProsecution',
    body: bodies.decideProsecution,
    update: decideProsecution,
    summary: 'record the prosecution decision (Justice Manual 9-27.220): federal, state (referred to a partner) or declined',
  });
  register({
    path: 'detention-reviews',
    input: 'reviewDetention',
    body: bodies.reviewDetention,
    update: reviewDetention,
    summary: 'record a review of detention (PACE s.40): the next is due 9 hours later',
  });
  register({
    path: 'detention-extensions',
    input: 'extendDetention',
    body: bodies.extendDetention,
    update: extendDetention,
    summary: 'record an extension of detention: a superintendent’s to 36 hours (s.42, a manager) or a magistrates’ court’s warrant (ss.43–44)',
  });
  register({
    path: 'charging-decision',
    input: 'chargingDecision',
    body: bodies.chargingDecision,
    update: chargingDecision,
    summary: 'record how custody or pre-charge bail ends (UK): charged on the CPS’s decision, bailed, released under investigation, no further action',
  });
  register({
    path: 'bail-extensions',
    input: 'extendBail',
    body: bodies.extendBail,
    update: extendBail,
    summary: 'record an extension of pre-charge bail by the rank the law names: inspector to 6 months, superintendent (a manager) to 9, then a court',
  });

  app.post(
    '/cases/:caseId/requests/:requestId/responses',
    {
      config: { audit: 'write' },
      schema: {
        summary: 'record the other side’s response to a request (a foreign authority, a partner, a provider)',
        description:
          'One update to the workflow that runs the request (the case, or its MLAT / extradition child), decided by the request kind’s state machine: ' +
          'the outcome must be allowed in the request’s current status, for the role, with the reference or refusal ground it needs.',
        tags: ['inputs'],
        params: RequestParams,
        headers: InputHeaders,
        body: bodies.respond,
        response: { 200: RequestSummarySchema, ...errors },
      },
    },
    async (req) => {
      const { caseId } = req.params;
      const { requestId, handedOver } = requestIdFromPath(caseId, req.params.requestId);
      req.auditNote.requestId = requestId;
      const { actor, updateId } = await admitInput(ctx, req, caseId, 'respond');
      // Another case's track is answered here only where this case lists it (handed over to it): the unit checked is this case's.
      if (handedOver) {
        const status = await within(ctx.client, ctx.timeoutMs(req), () => ctx.client.workflow.getHandle(caseId).query(statusQuery)).catch((err: unknown) => {
          throw temporalProblem(err, caseId);
        });
        if (!status.requests.some((r) => r.requestId === requestId))
          throw problem('conflict', `requestId: case ${caseId} has no request ${requestId}`, { caseId, field: 'requestId' });
      }
      const parsed = parseRequestId(requestId);
      const runnerId = parsed ? requestWorkflowId(requestId) : undefined;
      if (!parsed || !runnerId) throw problem('conflict', `requestId: case ${caseId} has no request ${requestId}`, { caseId, field: 'requestId' });
      const args = [{ ...req.body, requestId, ...actor }] as const;
      try {
        return (await within(ctx.client, ctx.timeoutMs(req), () =>
          ctx.client.workflow.getHandle(runnerId).executeUpdate(respond, { args: [...args], ...(updateId ? { updateId } : {}) }),
        )) as never;
      } catch (err) {
        throw await updateProblem(ctx.client, err, caseId, { requestId, runnerId });
      }
    },
  );
}

/**
 * What runs beside the stages, whatever stage the case is in: a child's safeguarding opened at once
 * (its own workflow), the escalation of an imminent-danger flag no analyst decided in time, and the
 * search warrant's return (filed with the court once a coordinator verified it; alerts when it or the
 * off-site review is overdue). One loop, started with every run; it sends nothing while there is
 * nothing to do, so cases from before it replay as recorded. Nothing here may fail the workflow: a
 * call that fails for good is a line in the timeline.
 */
import { ParentClosePolicy, condition, log, startChild } from '@temporalio/workflow';
import { IMMINENT_DANGER } from '../policy';
import { safeguardingWorkflow, safeguardingWorkflowId } from '../safeguarding';
import { systems, type CaseContext } from './context';

/** When the next piece of work beside the stages falls due (absolute ms), if any is waiting for a time. */
function nextDue({ state }: CaseContext): number | undefined {
  const due: number[] = [];
  if (state.danger?.state === 'PENDING' && state.danger.decideBy) due.push(Date.parse(state.danger.decideBy));
  const w = state.warrantReturn;
  if (w && !w.returnedAt && !w.returnAlerted && w.returnDueAt) due.push(Date.parse(w.returnDueAt));
  if (w && !w.reviewCompletedAt && w.reviewDueAt && w.reviewAlertedFor !== w.reviewDueAt) due.push(Date.parse(w.reviewDueAt));
  return due.length ? Math.min(...due) : undefined;
}

function workNow(ctx: CaseContext): boolean {
  const { state } = ctx;
  if ((state.safeguarding?.pending.length ?? 0) > 0) return true;
  if (state.warrantReturn?.filing) return true;
  const due = nextDue(ctx);
  return due !== undefined && Date.now() >= due;
}

export async function besideTheStages(ctx: CaseContext): Promise<void> {
  const { state } = ctx;
  const over = () => ctx.stopping || state.stage === 'CLOSED';
  for (;;) {
    const due = nextDue(ctx);
    const ready = () => over() || workNow(ctx) || nextDue(ctx) !== due;
    if (!ready()) {
      if (due === undefined) await condition(ready);
      else await condition(ready, Math.max(1, due - Date.now()));
    }
    if (over()) return;
    try {
      await openSafeguarding(ctx);
      await escalateDanger(ctx);
      await warrantReturn(ctx);
    } catch (err) {
      // Never a failed workflow task from here: the record says what could not be done, and the loop goes on.
      log.warn('work beside the stages failed', { caseId: state.caseId, error: err instanceof Error ? err.message : String(err) });
      ctx.rec.log('alert', `work beside the stages failed: ${err instanceof Error ? err.message : String(err)} (tell the operators)`);
      if (state.safeguarding) state.safeguarding.pending = [];
      if (state.warrantReturn) delete state.warrantReturn.filing;
    }
  }
}

async function openSafeguarding(ctx: CaseContext): Promise<void> {
  const { state, rec, caseId } = ctx;
  const sg = state.safeguarding;
  while (sg && sg.pending.length > 0 && !ctx.stopping) {
    const opening = sg.pending[0];
    const n = sg.opened + 1;
    const requestId = safeguardingWorkflowId(caseId, n);
    const victim = state.tip.victim.find((v) => v.estimatedLocation)?.estimatedLocation;
    rec.openRequest(
      requestId,
      'safeguarding',
      opening.identified ? 'agency' : 'analyst',
      `opened beside the case (${opening.reason}${opening.urgent ? ', urgent' : ''}): ${opening.why}`,
      'OPENED',
      requestId,
    );
    sg.opened = n;
    sg.pending.shift();
    await startChild(safeguardingWorkflow, {
      workflowId: requestId,
      args: [
        {
          caseId,
          requestId,
          country: state.homeCountry,
          homeCountry: state.homeCountry,
          profile: state.profile,
          stage: state.stage,
          reason: opening.reason,
          identified: opening.identified,
          urgent: opening.urgent,
          fileIds: state.tip.files.map((f) => f.fileId),
          hashes: state.tip.files.flatMap((f) => f.originalFileHash),
          ...(victim ? { area: { ...victim } } : {}),
        },
      ],
      // The child's safeguarding outlives the case's runs, and the case itself when a person lets it close first.
      parentClosePolicy: ParentClosePolicy.ABANDON,
    });
    rec.publish();
  }
}

async function escalateDanger(ctx: CaseContext): Promise<void> {
  const { state, rec, caseId } = ctx;
  const d = state.danger;
  if (d?.state !== 'PENDING' || !d.decideBy || Date.now() < Date.parse(d.decideBy)) return;
  const rule = IMMINENT_DANGER.analystDecision;
  await ctx.sideStep('imminent-danger-escalation', (c) =>
    systems.agency.alert(c, {
      to: 'manager',
      kind: 'imminent-danger-escalation',
      message: `case ${caseId}: imminent danger flagged and not decided by an analyst in time; a manager decides`,
    }),
  );
  d.state = 'ESCALATED';
  d.escalatedAt = rec.now();
  rec.clearDeadline('imminent-danger-check');
  rec.log(
    'alert',
    `escalated to a manager: no analyst decided the imminent-danger flag by ${d.decideBy} (${rule.source}); the case still acts on the top grade`,
  );
}

async function warrantReturn(ctx: CaseContext): Promise<void> {
  const { state, rec, caseId } = ctx;
  const w = state.warrantReturn;
  if (!w) return;
  if (w.filing) {
    const { inventory, items, actor } = w.filing;
    const filed = await ctx.sideStep(`warrant-return-${w.warrantId}`, (c) => systems.court.fileWarrantReturn(c, { warrantId: w.warrantId, items, inventory }));
    delete w.filing;
    if (filed) {
      w.returnedAt = rec.now();
      w.returnedBy = actor;
      w.items = items;
      w.courtReference = filed.reference;
      rec.clearDeadline('warrant-return');
      rec.log(
        'response',
        `search warrant ${w.warrantId} returned to the magistrate judge with its inventory (${items} item(s); ${filed.reference})`,
        'system:court',
      );
    } else {
      rec.log('alert', `the return of search warrant ${w.warrantId} could not be filed; send it again (return-warrant)`);
    }
  }
  const now = Date.now();
  if (!w.returnedAt && !w.returnAlerted && w.returnDueAt && now >= Date.parse(w.returnDueAt)) {
    w.returnAlerted = true;
    await ctx.sideStep(`warrant-return-overdue-${w.warrantId}`, (c) =>
      systems.agency.alert(c, { to: 'coordinator', kind: 'warrant-return-overdue', message: `case ${caseId}: search warrant ${w.warrantId} not yet returned` }),
    );
    rec.log('alert', `search warrant ${w.warrantId} not returned by ${w.returnDueAt}: the coordinator is reminded (Rule 41(f)(1)(D): promptly)`);
  }
  if (!w.reviewCompletedAt && w.reviewDueAt && w.reviewAlertedFor !== w.reviewDueAt && now >= Date.parse(w.reviewDueAt)) {
    w.reviewAlertedFor = w.reviewDueAt;
    await ctx.sideStep(`off-site-review-overdue-${w.extensions.length}`, (c) =>
      systems.agency.alert(c, {
        to: 'coordinator',
        kind: 'off-site-review-overdue',
        message: `case ${caseId}: the off-site review under search warrant ${w.warrantId} has run out its time`,
      }),
    );
    rec.log(
      'alert',
      `the off-site review under search warrant ${w.warrantId} ran past ${w.reviewDueAt}: ask the court to extend it, or stop (Rule 41(e)(2)(B))`,
    );
  }
}

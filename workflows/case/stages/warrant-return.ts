/**
 * An executed search warrant's return (Fed. R. Crim. P. 41(f)): the inventory verified and the
 * warrant returned to the magistrate judge "promptly", and the off-site review of the seized data
 * within the time the deployment allows, which a court may extend. Opened when the warrant is
 * executed; the case goes on to the suspect meanwhile. The deadlines are the deployment's
 * (workflows/policy/deployment.ts): unset, the case says so and sets none.
 */
import { WARRANT_RETURN, notConfigured, type DeploymentPolicy } from '../../policy';
import { systems, type CaseContext } from '../context';

export async function openWarrantReturn(ctx: CaseContext, warrantId: string): Promise<void> {
  const { state, rec } = ctx;
  if (state.warrantReturn?.warrantId === warrantId) return;
  // Read beside the stage's own steps: the warrant is executed, and nothing may send the case back into its execution.
  const policy: DeploymentPolicy = (await ctx.sideStep(`warrant-return-policy-${state.warrantApplications}`, (c) =>
    systems.assessment.deploymentPolicy(c),
  )) ?? {
    providerLogRetention: {},
  };
  const executedAt = Date.now();
  state.warrantReturn = { warrantId, executedAt: new Date(executedAt).toISOString(), extensions: [] };
  const w = state.warrantReturn;
  if (policy.warrantReturn) {
    const due = executedAt + ctx.ms({ days: policy.warrantReturn.days });
    w.returnDueAt = new Date(due).toISOString();
    rec.setDeadline('warrant-return', due, `${WARRANT_RETURN.returnPromptly.source}; ${policy.warrantReturn.days} days: ${policy.warrantReturn.source}`);
  } else {
    rec.log('alert', `warrant return: ${notConfigured('warrantReturn')}`);
  }
  if (policy.offSiteReview) {
    const due = executedAt + ctx.ms({ days: policy.offSiteReview.days });
    w.reviewDueAt = new Date(due).toISOString();
    rec.setDeadline('off-site-review', due, `${WARRANT_RETURN.offSiteReview.source}; ${policy.offSiteReview.days} days: ${policy.offSiteReview.source}`);
  } else {
    rec.log('alert', `off-site review: ${notConfigured('offSiteReview')}`);
  }
  rec.log(
    'request',
    `search warrant ${warrantId} executed: its inventory and return to the magistrate judge are due${w.returnDueAt ? ` by ${w.returnDueAt}` : ''}`,
  );
}

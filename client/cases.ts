/**
 * Opening cases from tips. The case id is derived from the NCMEC report number, so a re-submitted
 * tip finds its case instead of opening a second one; a case counts as accepted only once Temporal
 * has durably recorded its start.
 */
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import { caseWorkflow } from '../workflows/case';
import type { PolicyProfile } from '../workflows/policy';
import { caseIdFor, type Tip } from '../workflows/tip';

export interface StartCaseOptions {
  taskQueue: string;
  profile?: PolicyProfile;
  homeCountry?: string;
}

export async function startCase(client: Client, tip: Tip, opts: StartCaseOptions): Promise<{ caseId: string; status: 'started' | 'exists' }> {
  const caseId = caseIdFor(tip.ncmecReportNumber);
  try {
    await client.workflow.start(caseWorkflow, {
      workflowId: caseId,
      taskQueue: opts.taskQueue,
      args: [{ caseId, tip, profile: opts.profile ?? 'standard', homeCountry: opts.homeCountry ?? 'US' }],
      // A closed case keeps its id for good: a re-submitted tip never reopens it.
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
      workflowIdConflictPolicy: 'FAIL',
    });
    return { caseId, status: 'started' };
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) return { caseId, status: 'exists' };
    throw err;
  }
}

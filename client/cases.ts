/**
 * Opening cases from tips. The case id is derived from the NCMEC report number, so a re-submitted
 * tip finds its case instead of opening a second one; a case counts as accepted only once Temporal
 * has durably recorded its start.
 */
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import { caseWorkflow } from '../workflows/case';
import type { PolicyProfile } from '../workflows/policy';
import { CaseUnit } from '../workflows/search-attributes';
import { caseIdFor, type Tip } from '../workflows/tip';

export interface StartCaseOptions {
  taskQueue: string;
  profile?: PolicyProfile;
  homeCountry?: string;
  /** The unit opening the case: it owns the case (need to know). */
  unit?: string;
  /** The deployment's referral unit (CASEBRIDGE_REFERRAL_UNIT): a UK case opened in it is disseminated to a force. */
  referralUnit?: string;
  /** The case closes at the arrest, as before the post-arrest stages (benchmarks, tests of the path to the arrest; never a person's door). */
  endAtArrest?: boolean;
}

export async function startCase(client: Client, tip: Tip, opts: StartCaseOptions): Promise<{ caseId: string; status: 'started' | 'exists' }> {
  const caseId = caseIdFor(tip.ncmecReportNumber);
  try {
    await client.workflow.start(caseWorkflow, {
      workflowId: caseId,
      taskQueue: opts.taskQueue,
      args: [
        {
          caseId,
          tip,
          profile: opts.profile ?? 'standard',
          homeCountry: opts.homeCountry ?? 'US',
          ...(opts.unit ? { unit: opts.unit } : {}),
          ...(opts.referralUnit ? { referralUnit: opts.referralUnit } : {}),
          ...(opts.endAtArrest ? { endAtArrest: true } : {}),
        },
      ],
      ...(opts.unit ? { typedSearchAttributes: [{ key: CaseUnit, value: opts.unit }] } : {}),
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

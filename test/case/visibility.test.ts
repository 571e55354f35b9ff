/**
 * On the dev server: cases in the `demo` profile run end to end, managers find them by search
 * attributes, and no search attribute carries personal data (Temporal does not encrypt them).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { createDocumentPort } from '../../activities/documents';
import { createDocumentLayer } from '../../documents';
import { documentDesk, type DocumentDesk } from './document-desk';
import { createActivities } from '../../activities';
import { createSimulatedSystems } from '../../activities/simulators';
import { startCase } from '../../client/cases';
import { caseWorkflow } from '../../workflows/case';
import { statusQuery, withdraw } from '../../workflows/messages';
import { NextDeadlineName } from '../../workflows/search-attributes';
import { startDevServerWithWorker } from '../harness/servers';
import { waitFor } from '../harness/wait';
import { fixtureTip, uniqueReport } from './case-env';

describe('cases on the dev server', () => {
  let env: TestWorkflowEnvironment | undefined;
  let teardown: (() => Promise<void>) | undefined;
  const systems = createSimulatedSystems({ seed: 'visibility', warrantDenialRate: 0 });

  const documentsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'casebridge-visibility-'));
  const documents = createDocumentLayer({ CASEBRIDGE_DATA_DIR: documentsDir }, {}).service;
  let desk: DocumentDesk | undefined;
  const caseIds = new Set<string>();

  beforeAll(async () => {
    ({ env, teardown } = await startDevServerWithWorker({
      taskQueue: 'visibility',
      activities: createActivities(systems, { documents: createDocumentPort(documents) }),
    }));
    // The people who complete and approve the papers the cases' requests wait for.
    desk = documentDesk(env.client, documents, caseIds);
    desk.start(250);
  });
  afterAll(async () => {
    await desk?.stop();
    await teardown?.();
    fs.rmSync(documentsDir, { recursive: true, force: true });
  });

  it('keeps managers’ search attributes current and free of personal data', async () => {
    const client = env!.client;
    const tip = fixtureTip('domestic-arrest', (t) => void (t.ncmecReportNumber = uniqueReport()));
    const waiting = fixtureTip('jurisdiction-unresolved', (t) => void (t.ncmecReportNumber = uniqueReport()));
    const arrested = await startCase(client, tip, { taskQueue: 'visibility', profile: 'demo', endAtArrest: true });
    const open = await startCase(client, waiting, { taskQueue: 'visibility', profile: 'demo', endAtArrest: true });
    caseIds.add(arrested.caseId).add(open.caseId);
    expect(await client.workflow.getHandle<typeof caseWorkflow>(arrested.caseId).result()).toMatchObject({ outcome: 'ARRESTED' });

    const ids = async (query: string) => {
      const out: string[] = [];
      for await (const wf of client.workflow.list({ query })) out.push(wf.workflowId);
      return out.sort();
    };
    await waitFor(async () => ((await ids(`CaseOutcome = 'ARRESTED'`)).includes(arrested.caseId) ? true : undefined));
    await waitFor(async () =>
      (await ids(`CaseStage = 'JURISDICTION' AND AwaitingParty = 'coordinator' AND ExecutionStatus = 'Running'`)).includes(open.caseId) ? true : undefined,
    );
    expect(await ids(`DataCountry = 'US' AND CasePriority = 2 AND WorkflowType = 'caseWorkflow'`)).toEqual([arrested.caseId, open.caseId].sort());

    const described = await client.workflow.getHandle(open.caseId).describe();
    const attributes = JSON.stringify(described.typedSearchAttributes);
    expect(attributes).toContain('JURISDICTION');
    expect(attributes).toContain('NextDeadlineAt');
    for (const secret of [
      tip.personOrUserReported.screenName!,
      tip.personOrUserReported.espIdentifier,
      tip.personOrUserReported.ipCaptureEvent[0].ipAddress,
      tip.reporter.espName,
      '9f86d081',
    ]) {
      expect(attributes).not.toContain(secret);
      expect(JSON.stringify((await client.workflow.getHandle(arrested.caseId).describe()).typedSearchAttributes)).not.toContain(secret);
    }
    // The attribute names the case's soonest deadline. In the demo profile a policy day is a second, so the
    // deadlines move while we look: compare a description with the status read just after it, until they agree.
    await waitFor(async () => {
      const named = (await client.workflow.getHandle(open.caseId).describe()).typedSearchAttributes.get(NextDeadlineName);
      const { deadlines } = await client.workflow.getHandle(open.caseId).query(statusQuery);
      const soonest = [...deadlines].sort((a, b) => a.dueAt.localeCompare(b.dueAt))[0];
      return soonest !== undefined && named === soonest.name ? true : undefined;
    });
    await client.workflow.getHandle(open.caseId).executeUpdate(withdraw, { args: [{ actor: 'T. Tester', role: 'coordinator', reason: 'test done' }] });
  });
});

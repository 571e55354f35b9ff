/**
 * `make demo`: sample cases end to end on the embedded server, in the `demo` policy profile (a
 * policy day lasts a second). It opens cases from the sample tips, plays the coordinator's part, and
 * prints each case's timeline and the managers' view.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import { loadConfig, PROJECT_ROOT } from './config';
import { connectClient } from './connection';
import { startCase } from './cases';
import { caseWorkflow } from '../workflows/case';
import { resolveJurisdiction, statusQuery, timelineQuery, type CaseStatus } from '../workflows/messages';
import { TipSchema, type Tip } from '../workflows/tip';

const SAMPLES: { fixture: string; story: string }[] = [
  { fixture: 'domestic-arrest', story: 'a domestic upload: preservation, warrant, arrest' },
  { fixture: 'priority-1-emergency', story: 'priority 1: emergency disclosure first' },
  { fixture: 'jurisdiction-unresolved', story: 'suspect behind a proxy: a coordinator decides the jurisdiction' },
  { fixture: 'no-action-viral', story: 'a viral meme: closed without action' },
];

function sampleTip(fixture: string, runTag: string, index: number): Tip {
  const raw = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'test', 'fixtures', 'tips', `${fixture}.json`), 'utf8'));
  // A fresh report number per demo run, so every run opens new cases beside the earlier ones.
  raw.ncmecReportNumber = `${runTag}${index}`;
  return TipSchema.parse(raw);
}

async function waitForStage(client: Client, caseId: string, stage: string, timeoutMs = 60_000): Promise<CaseStatus> {
  const handle = client.workflow.getHandle(caseId);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const status = await handle.query(statusQuery);
    if (status.stage === stage) return status;
    if (Date.now() > deadline) throw new Error(`case ${caseId} did not reach ${stage} (it is in ${status.stage})`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

export async function run(): Promise<void> {
  const config = loadConfig();
  const client = await connectClient();
  const runTag = String(Date.now()).slice(-8);
  console.log('\n== Opening cases from sample CyberTipline reports (demo profile: a policy day lasts 1 s)');
  const opened: { caseId: string; story: string }[] = [];
  for (const [i, s] of SAMPLES.entries()) {
    const { caseId, status } = await startCase(client, sampleTip(s.fixture, runTag, i), { taskQueue: config.CASEBRIDGE_TASK_QUEUE, profile: 'demo' });
    console.log(`  ${caseId}  ${status.padEnd(7)}  ${s.story}`);
    opened.push({ caseId, story: s.story });
  }

  const unresolved = opened[2]!.caseId;
  const waiting = await waitForStage(client, unresolved, 'JURISDICTION');
  console.log(`\n== ${unresolved} waits for ${waiting.awaiting}: ${waiting.waitingFor}`);
  console.log('   deadlines: ' + waiting.deadlines.map((d) => `${d.name} ${d.dueAt}`).join(', '));
  await new Promise((r) => setTimeout(r, 3_000)); // the 2-day reminder fires (2 s in this profile)
  const after = await client.workflow
    .getHandle(unresolved)
    .executeUpdate(resolveJurisdiction, { args: [{ actor: 'Demo Coordinator', role: 'coordinator', suspectCountry: 'US', reason: 'subscriber records place the account in Ohio' }] });
  console.log(`   coordinator resolved it (suspect in US); the case moves on from ${after.stage}`);

  console.log('\n== Waiting for the cases to close');
  for (const { caseId } of opened) {
    const result = await client.workflow.getHandle<typeof caseWorkflow>(caseId).result();
    console.log(`  ${caseId}  ${result.outcome.padEnd(9)}  ${result.reason}`);
  }

  for (const { caseId, story } of opened) {
    const timeline = await client.workflow.getHandle(caseId).query(timelineQuery);
    console.log(`\n== Timeline of ${caseId} (${story})`);
    for (const e of timeline) console.log(`  ${e.at.slice(11, 19)}  ${e.stage.padEnd(20)} ${e.kind.padEnd(8)} ${e.actor.padEnd(20)} ${e.detail}`);
  }

  console.log('\n== Managers: cases by outcome (visibility query on search attributes)');
  for (const outcome of ['ARRESTED', 'NO_ACTION', 'WITHDRAWN']) {
    const { count } = await client.workflow.count(`WorkflowType = 'caseWorkflow' AND CaseOutcome = '${outcome}'`);
    console.log(`  ${outcome.padEnd(10)} ${count}`);
  }
  const open = await client.workflow.count(`WorkflowType = 'caseWorkflow' AND ExecutionStatus = 'Running'`);
  console.log(`  open       ${open.count}`);
  console.log(`\nThe data stays in ${config.CASEBRIDGE_DATA_DIR}: \`make up\` and open the web UI at http://127.0.0.1:${config.CASEBRIDGE_UI_PORT}.`);
  await client.connection.close();
}

if (require.main === module) {
  run().catch((err: unknown) => {
    console.error(`demo: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  });
}

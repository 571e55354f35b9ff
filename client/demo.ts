/**
 * `make demo`: sample cases end to end on the embedded server, in the `demo` policy profile (a
 * policy day lasts a second). Everything a person would do goes through the `casebridge` CLI,
 * printed as it runs: opening cases from the sample tips, the coordinator's part, timelines, views.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import { loadConfig, PROJECT_ROOT } from './config';
import { connectClient } from './connection';
import { caseWorkflow } from '../workflows/case';
import { statusQuery, type CaseStatus } from '../workflows/messages';
import { TipSchema, type Tip } from '../workflows/tip';

const SAMPLES: { fixture: string; story: string; leaveOpen?: boolean }[] = [
  { fixture: 'domestic-arrest', story: 'a domestic upload: preservation, warrant, arrest' },
  { fixture: 'priority-1-emergency', story: 'priority 1: emergency disclosure first' },
  { fixture: 'jurisdiction-unresolved', story: 'suspect behind a proxy: a coordinator decides the jurisdiction' },
  { fixture: 'no-action-viral', story: 'a viral meme: closed without action' },
  { fixture: 'jurisdiction-unresolved', story: 'left waiting for a coordinator, for the managers’ views', leaveOpen: true },
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

/** Runs `casebridge ARGS` as a person would, printing the command first. */
function casebridge(args: string[]): string {
  console.log(`\n$ casebridge ${args.map((a) => (/[\s']/.test(a) ? `'${a}'` : a)).join(' ')}`);
  const r = spawnSync(process.execPath, [path.join(__dirname, 'cli.js'), ...args], { encoding: 'utf8', env: process.env });
  process.stdout.write(r.stdout);
  if (r.status !== 0) throw new Error(`casebridge ${args[0]} ${args[1] ?? ''} exited ${r.status}: ${r.stderr.trim()}`);
  return r.stdout;
}

export async function run(): Promise<void> {
  const config = loadConfig();
  const client = await connectClient();
  const runTag = String(Date.now()).slice(-8);
  const tipsDir = path.join(config.CASEBRIDGE_DATA_DIR, 'demo-tips');
  fs.mkdirSync(tipsDir, { recursive: true });
  console.log('== Opening cases from sample CyberTipline reports (demo profile: a policy day lasts 1 s)');
  const opened: { caseId: string; story: string; leaveOpen?: boolean }[] = [];
  for (const [i, s] of SAMPLES.entries()) {
    const tip = sampleTip(s.fixture, runTag, i);
    const file = path.join(tipsDir, `${tip.ncmecReportNumber}.json`);
    fs.writeFileSync(file, JSON.stringify(tip, null, 2));
    const [started] = JSON.parse(casebridge(['case', 'start', '--tip', file, '--profile', 'demo', '--json'])) as { caseId: string }[];
    console.log(`   ^ ${s.story}`);
    opened.push({ caseId: started!.caseId, story: s.story, leaveOpen: s.leaveOpen });
  }

  const unresolved = opened[2]!.caseId;
  await waitForStage(client, unresolved, 'JURISDICTION');
  await new Promise((r) => setTimeout(r, 3_000)); // the 2-day reminder fires (2 s in this profile)
  casebridge(['case', 'status', unresolved]);
  casebridge(['case', 'resolve-jurisdiction', unresolved, '--suspect-country', 'US', '--reason', 'subscriber records place the account in Ohio', '--actor', 'Demo Coordinator']);

  console.log('\n== Waiting for the cases to close');
  for (const { caseId } of opened.filter((o) => !o.leaveOpen)) {
    const result = await client.workflow.getHandle<typeof caseWorkflow>(caseId).result();
    console.log(`  ${caseId}  ${result.outcome.padEnd(9)}  ${result.reason}`);
  }
  for (const { caseId } of opened.filter((o) => !o.leaveOpen)) casebridge(['case', 'timeline', caseId]);

  console.log('\n== The managers\' views');
  casebridge(['cases', '--closed']);
  casebridge(['stalled', '--idle', '5s']);
  casebridge(['deadlines', '--within', '30d']);
  console.log(`\nThe data stays in ${config.CASEBRIDGE_DATA_DIR}: \`make up\`, then \`npx casebridge cases\` or the web UI at http://127.0.0.1:${config.CASEBRIDGE_UI_PORT}.`);
  await client.connection.close();
}

if (require.main === module) {
  run().catch((err: unknown) => {
    console.error(`demo: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  });
}

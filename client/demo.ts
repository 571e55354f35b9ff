/**
 * `make demo`: sample cases end to end on the embedded server, in the `demo` policy profile (a
 * policy day lasts a second). Everything a person does goes through the real `casebridge` CLI,
 * printed before it runs: opening the cases from sample tips, the coordinators' and liaisons' part,
 * the timelines and the managers' views. The demo only watches the cases (queries) to know when a
 * person's turn has come.
 *
 * Each sample case is one entry of SCENARIOS: a fixture tip, what it shows, and the steps people take
 * when the case waits for them. A new path is a new entry, or new steps in one.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import { loadConfig, PROJECT_ROOT } from './config';
import { connectClient } from './connection';
import { caseWorkflow } from '../workflows/case';
import { statusQuery, type CaseStatus, type Outcome, type Party, type Stage } from '../workflows/messages';
import { allowedOutcomes, isTerminal } from '../workflows/requests';
import { TipSchema } from '../workflows/tip';

const COORDINATOR = 'Dana Coordinator';
const LIAISON = 'Lee Liaison';

/** A person's turn: once the case is in `stage` (waiting for `awaiting`), run these casebridge commands. */
interface InputStep {
  stage: Stage;
  awaiting?: Party;
  commands: (caseId: string) => string[][];
}
/** A liaison records the other side's answer to the case's open request of `kind`, once that outcome is allowed. */
interface ResponseStep {
  respond: { kind: string; outcome: string; reference?: string; reason?: string; note?: string };
}
type Step = InputStep | ResponseStep;

interface Scenario {
  fixture: string;
  story: string;
  steps?: Step[];
  /** The outcome the case must close with; `open`: the case is left waiting, for the managers' views. */
  expect: Outcome | 'open';
}

export const SCENARIOS: Scenario[] = [
  { fixture: 'domestic-arrest', story: 'domestic: preservation, file-view gate, search warrant, arrest', expect: 'ARRESTED' },
  { fixture: 'priority-1-emergency', story: 'priority 1: emergency disclosure before anything else', expect: 'ARRESTED' },
  {
    fixture: 'jurisdiction-unresolved',
    story: 'suspect behind a proxy: a coordinator decides the jurisdiction (after the 2-day reminder)',
    steps: [
      {
        stage: 'JURISDICTION',
        commands: (id) => [
          ['case', 'status', id],
          ['case', 'resolve-jurisdiction', id, '--suspect-country', 'US', '--reason', 'subscriber records place the account in Ohio', '--actor', COORDINATOR],
        ],
      },
    ],
    expect: 'ARRESTED',
  },
  {
    fixture: 'warrant-denied',
    story: 'the court denies the first search warrant; the coordinator amends and reapplies',
    steps: [
      {
        stage: 'WARRANT',
        awaiting: 'coordinator',
        commands: (id) => [['case', 'amend-reapply', id, '--amendment', 'affidavit adds the subscriber records and the upload times', '--actor', COORDINATOR]],
      },
    ],
    expect: 'ARRESTED',
  },
  // Cross-border: the route for the evidence comes from the policy tables (where the data is held),
  // the route for the suspect from the treaty tables; liaisons record the foreign side's answers.
  {
    fixture: 'data-in-uk-cloud-act',
    story: 'data held by a UK provider: a direct CLOUD Act order, produced',
    steps: [{ respond: { kind: 'cloud-act-order', outcome: 'produced', reference: 'EV-UK-0042', note: 'account records and content, delivered by the provider' } }],
    expect: 'ARRESTED',
  },
  {
    fixture: 'data-abroad-mlat',
    story: 'data held in Thailand: an MLAT request (review, translation, diplomatic note), acknowledged then executed',
    steps: [
      { respond: { kind: 'mlat', outcome: 'acknowledged', reference: 'MLA-TH-2026-114' } },
      { respond: { kind: 'mlat', outcome: 'executed', reference: 'EV-TH-114', note: 'returned through the diplomatic channel' } },
    ],
    expect: 'ARRESTED',
  },
  {
    fixture: 'data-in-eu-member',
    story: 'data held in Germany: an EU production order, withdrawn while pending; the order is withdrawn and preservation released',
    steps: [
      {
        stage: 'EU_PRODUCTION_ORDER',
        commands: (id) => [
          ['case', 'note', id, '--text', 'the suspect is already charged in another district', '--actor', COORDINATOR],
          ['case', 'withdraw', id, '--reason', 'merged into the other district’s prosecution', '--actor', COORDINATOR],
        ],
      },
    ],
    expect: 'WITHDRAWN',
  },
  {
    fixture: 'suspect-abroad-extradition',
    story: 'suspect in the UK (urgent): provisional arrest requested, formal request by diplomatic note, hearing, order, surrender',
    steps: [
      { respond: { kind: 'extradition', outcome: 'hearing-scheduled', note: 'Westminster Magistrates’ Court' } },
      { respond: { kind: 'extradition', outcome: 'extradition-ordered', reference: 'WMC-2026-31' } },
      { respond: { kind: 'extradition', outcome: 'surrendered', note: 'handed over at Heathrow' } },
    ],
    expect: 'EXTRADITED',
  },
  {
    fixture: 'suspect-national-not-extradited',
    story: 'suspect a Brazilian national in Brazil (nationals not extradited): transfer of proceedings',
    steps: [
      { respond: { kind: 'transfer-of-proceedings', outcome: 'accepted', reference: 'MPF-SP-2026-12' } },
      { respond: { kind: 'transfer-of-proceedings', outcome: 'prosecution-concluded', reason: 'convicted in São Paulo' } },
    ],
    expect: 'TRANSFERRED',
  },
  { fixture: 'no-action-viral', story: 'a viral meme shared in outrage: closed without action', expect: 'NO_ACTION' },
  { fixture: 'jurisdiction-unresolved', story: 'left waiting for a coordinator, for the managers’ views', expect: 'open' },
];

const STEP_TIMEOUT_MS = 120_000;

/** Runs `casebridge ARGS` as a person would, printing the command first; fails the demo if it fails. */
function casebridge(args: string[]): string {
  console.log(`\n$ casebridge ${args.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ')}`);
  const r = spawnSync(process.execPath, [path.join(__dirname, 'cli.js'), ...args], { encoding: 'utf8', env: process.env });
  process.stdout.write(r.stdout);
  if (r.status !== 0) throw new Error(`casebridge ${args.slice(0, 2).join(' ')} exited ${r.status}: ${r.stderr.trim()}`);
  return r.stdout;
}

/** Watches a case (a query, not a person's action) until `ready` says what to do, or fails naming where it stands. */
async function whenReady<T>(client: Client, caseId: string, what: string, ready: (s: CaseStatus) => T | undefined): Promise<T> {
  const handle = client.workflow.getHandle(caseId);
  const until = Date.now() + STEP_TIMEOUT_MS;
  for (;;) {
    const status = await handle.query(statusQuery);
    const value = ready(status);
    if (value !== undefined) return value;
    if (status.stage === 'CLOSED' || Date.now() > until) throw new Error(`case ${caseId} never came to ${what} (it is in ${status.stage}${status.outcome ? `, ${status.outcome}` : ''})`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function play(client: Client, caseId: string, step: Step): Promise<void> {
  if ('respond' in step) {
    const { kind, outcome, reference, reason, note } = step.respond;
    const requestId = await whenReady(client, caseId, `a ${kind} request that takes '${outcome}'`, (s) =>
      s.requests.find((r) => r.kind === kind && !isTerminal(r.kind, r.status) && allowedOutcomes(r, 'liaison').includes(outcome))?.requestId,
    );
    const extra = [...(reference ? ['--reference', reference] : []), ...(reason ? ['--reason', reason] : []), ...(note ? ['--note', note] : [])];
    casebridge(['respond', caseId, '--request', requestId, '--outcome', outcome, ...extra, '--actor', LIAISON]);
    return;
  }
  await whenReady(client, caseId, `${step.stage}${step.awaiting ? ` awaiting ${step.awaiting}` : ''}`, (s) =>
    s.stage === step.stage && (!step.awaiting || s.awaiting === step.awaiting) ? true : undefined,
  );
  for (const args of step.commands(caseId)) casebridge(args);
}

export async function run(): Promise<void> {
  const config = loadConfig();
  const client = await connectClient();
  try {
    // Fresh report numbers per run: every run opens new cases beside the earlier ones in .data/.
    const runTag = String(Date.now()).slice(-8);
    const cases = SCENARIOS.map((s, i) => {
      const tip = TipSchema.parse(JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'test', 'fixtures', 'tips', `${s.fixture}.json`), 'utf8')));
      // The sample tips name the same account; one suspect per sample keeps deconfliction's links
      // meaningful (the two samples from one fixture share theirs, and are linked).
      const p = tip.personOrUserReported;
      const person = { ...p, espIdentifier: `${p.espIdentifier}-${s.fixture}`, ...(p.screenName ? { screenName: `${p.screenName}_${s.fixture.replace(/-/g, '_')}` } : {}) };
      return { ...s, tip: { ...tip, ncmecReportNumber: `${runTag}${String(i).padStart(2, '0')}`, personOrUserReported: person } };
    });
    const dir = path.join(config.CASEBRIDGE_DATA_DIR, 'demo-tips');
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, `tips-${runTag}.ndjson`);
    fs.writeFileSync(file, cases.map((c) => JSON.stringify(c.tip)).join('\n') + '\n');

    console.log('== Opening a case per sample CyberTipline report (demo profile: a policy day lasts 1 s)');
    const shown = path.relative(process.cwd(), file);
    const started = JSON.parse(casebridge(['case', 'start', '--tip', shown.startsWith('..') ? file : shown, '--profile', 'demo', '--json'])) as { caseId: string }[];
    const opened = cases.map((c, i) => ({ ...c, caseId: started[i]!.caseId }));
    console.log('');
    for (const c of opened) console.log(`  ${c.caseId}  ${c.story}`);

    console.log('\n== Coordinators and liaisons play their part');
    for (const c of opened) for (const step of c.steps ?? []) await play(client, c.caseId, step);

    console.log('\n== Outcomes');
    for (const c of opened) {
      if (c.expect === 'open') {
        const s = await client.workflow.getHandle(c.caseId).query(statusQuery);
        console.log(`  ${c.caseId}  open in ${s.stage}, awaiting ${s.awaiting ?? '-'}`);
        continue;
      }
      const result = await client.workflow.getHandle<typeof caseWorkflow>(c.caseId).result();
      console.log(`  ${c.caseId}  ${result.outcome.padEnd(11)}  ${result.reason}`);
      if (result.outcome !== c.expect) throw new Error(`case ${c.caseId} (${c.fixture}) closed as ${result.outcome}, expected ${c.expect}`);
    }

    console.log('\n== Each case’s timeline');
    for (const c of opened) casebridge(['case', 'timeline', c.caseId]);

    console.log('\n== The managers’ views');
    casebridge(['cases', '--open']);
    casebridge(['stalled', '--idle', '5s']);
    casebridge(['deadlines', '--within', '30d']);

    console.log(
      `\nThe data stays in ${config.CASEBRIDGE_DATA_DIR}: run \`make up\`, then \`npx casebridge cases\`, ` +
        `\`npx casebridge case timeline ${opened[0]!.caseId}\`, or open the web UI at http://127.0.0.1:${config.CASEBRIDGE_UI_PORT}.`,
    );
  } finally {
    await client.connection.close();
  }
}

if (require.main === module) {
  run().catch((err: unknown) => {
    console.error(`demo: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  });
}

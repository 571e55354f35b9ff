/**
 * `make demo`: sample cases end to end on the embedded server, in the `demo` policy profile (a
 * policy day lasts a second). An operator adds the demo's people to the local issuer; each logs in,
 * and everything a person does goes through the real `casebridge` CLI and so through the API as
 * that person, printed before it runs: opening the cases from sample tips, the coordinators' and
 * liaisons' part, the timelines and the managers' views. The demo watches the cases (reads through
 * the API, as the coordinator) to know when a person's turn has come.
 *
 * Each sample case is one entry of SCENARIOS: a fixture tip, what it shows, and the steps people take
 * when the case waits for them. A new path is a new entry, or new steps in one.
 */
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { loadConfig, PROJECT_ROOT } from '../platform/config';
import { closingWaitsForSafeguarding, type CaseStatus, type TimelineEntry } from '../workflows/messages';
import { ApiClient, apiUrl } from './api-client';
import { fillDocxGaps } from './document-drafts';
import { loadLogin } from './login-store';
import { type Outcome, type Party, type Stage } from '../workflows/vocabulary';
import { requestPathId } from '../workflows/requests/ids';
import { allowedOutcomes, isTerminal } from '../workflows/requests/machines';
import { documentKindOf } from '../workflows/case/awaiting-roles';
import { DOCUMENT_RULES } from '../workflows/documents';
import { forceCaseIdFor, TipSchema } from '../workflows/tip';

/** The demo's people, in one unit: who they are is their login, never a flag. */
export const PEOPLE = {
  operator: { name: 'Olu Operator', roles: ['operator'] },
  coordinator: { name: 'Dana Coordinator', roles: ['coordinator'] },
  liaison: { name: 'Lee Liaison', roles: ['liaison'] },
  analyst: { name: 'Nia Analyst', roles: ['analyst'] },
  manager: { name: 'Max Manager', roles: ['manager'] },
} as const;
export type Person = keyof typeof PEOPLE;
export const DEMO_UNIT = 'demo-unit';

/** A person's turn: once the case is in `stage` (waiting for `awaiting`), run these casebridge commands. */
interface InputStep {
  stage: Stage;
  awaiting?: Party;
  /** Commands of the case's coordinator. */
  commands: (caseId: string) => string[][];
}
/** A person's turn that does not wait for a stage: once `when` holds (a check beside the stages, a closing that waits). */
interface WhenStep {
  when: (s: CaseStatus) => boolean;
  what: string;
  /** Who acts (their login); the coordinator unless said. */
  who?: Person;
  commands: (caseId: string) => string[][];
}
/**
 * A person records the other side's answer to the case's open request of `kind`, once that outcome is
 * allowed: a liaison unless `as` says who (an analyst identifying a child, a coordinator for CPS's answer).
 */
interface ResponseStep {
  respond: { kind: string; outcome: string; reference?: string; reason?: string; note?: string; as?: 'analyst' | 'coordinator' };
}
type Step = InputStep | WhenStep | ResponseStep;

/**
 * The document desk: whenever a request of a case the demo watches waits for its document (an MLAT
 * request, a warrant application, a subpoena, an order), a person completes the draft's gaps in
 * the DOCX (as in a word processor) and uploads it, and a person of a role that approves the kind,
 * not the drafter (four eyes), approves the version. What each fills in, by request kind:
 */
const DRAFT_TEXT: Record<string, string> = {
  mlat: 'The account uploaded file f-1, which staff of the provider viewed; its hash matches known material.',
  extradition: 'Set out in the affidavit of the case agent sworn before the magistrate judge, attached.',
};
const DEFAULT_DRAFT_TEXT = 'Set out in the declaration of the case agent in the case file, attached.';

/** A flagged case waits to close while the child's safeguarding is open: a coordinator says why it may close first. */
const closeWhileSafeguarding = (reason: string): WhenStep => ({
  when: closingWaitsForSafeguarding,
  what: 'the closing that waits for the child’s safeguarding',
  commands: (id) => [['case', 'close-while-safeguarding', id, '--reason', reason]],
});

interface Scenario {
  fixture: string;
  story: string;
  steps?: Step[];
  /** The outcome the case must close with; `open`: the case is left waiting, for the managers' views. */
  expect: Outcome | 'open';
  /** Not opened from a tip: the force's case the scenario before disseminated (its id: forceCaseIdFor). */
  forceCaseOfPrevious?: true;
}

const STORIES: Scenario[] = [
  { fixture: 'domestic-arrest', story: 'domestic: preservation, file-view gate, search warrant, arrest', expect: 'ARRESTED' },
  {
    fixture: 'priority-1-emergency',
    story: 'priority 1: emergency disclosure before anything else; the flagged child’s safeguarding goes on after the arrest',
    steps: [closeWhileSafeguarding('the suspect is in custody; CPS carry the child’s safeguarding on')],
    expect: 'ARRESTED',
  },
  // Before the warrant: the analyst's judgement, the child's safety, who is behind the IP.
  {
    fixture: 'child-at-risk-sextortion',
    story:
      'sextortion and a planned meeting: flagged, the case acts as priority 1; the analyst’s hour passes, a manager confirms; the child identified, reported to CPS, safeguarded; the subscriber identified; arrest',
    steps: [
      {
        when: (s) => s.dangerCheck?.state === 'ESCALATED',
        what: 'the imminent-danger check escalated to a manager',
        who: 'manager',
        commands: (id) => [
          ['case', 'status', id],
          ['case', 'assess-danger', id, '--grade', '1', '--reasons', 'threats to publish the images and a meeting planned for Saturday'],
        ],
      },
      { respond: { kind: 'safeguarding', outcome: 'identified', note: 'named by her school from the chat photographs', as: 'analyst' } },
      { respond: { kind: 'safeguarding', outcome: 'cps-case-opened', reference: 'CPS-OH-2026-881', as: 'coordinator' } },
      { respond: { kind: 'safeguarding', outcome: 'safeguarded', reason: 'placed with her mother under a safety plan', as: 'coordinator' } },
    ],
    expect: 'ARRESTED',
  },
  {
    fixture: 'subscriber-behind-cgnat',
    story:
      'an address a mobile carrier shares (CGNAT): the subscriber ambiguous; the coordinator applies for a § 2703(d) order on the facts; identified; arrest',
    steps: [
      {
        stage: 'JURISDICTION',
        commands: (id) => [
          ['case', 'status', id],
          [
            'case',
            'request-records-order',
            id,
            '--facts',
            'two uploads from the shared address at 08:04 UTC; the carrier’s NAT logs with source ports identify the subscriber',
          ],
        ],
      },
    ],
    expect: 'ARRESTED',
  },
  {
    fixture: 'jurisdiction-unresolved',
    story: 'suspect behind a proxy: a coordinator decides the jurisdiction (after the 2-day reminder)',
    steps: [
      {
        stage: 'JURISDICTION',
        commands: (id) => [
          ['case', 'status', id],
          ['case', 'resolve-jurisdiction', id, '--suspect-country', 'US', '--reason', 'subscriber records place the account in Ohio'],
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
        // Once the court has denied it (before, the coordinator is awaited only to approve the application's papers).
        when: (s) => s.stage === 'WARRANT' && s.awaiting === 'coordinator' && s.requests.some((r) => r.kind === 'search-warrant' && r.status === 'DENIED'),
        what: 'the denied search warrant',
        commands: (id) => [['case', 'amend-reapply', id, '--amendment', 'affidavit adds the subscriber records and the upload times']],
      },
    ],
    expect: 'ARRESTED',
  },
  // Cross-border: the route for the evidence comes from the policy tables (where the data is held),
  // the route for the suspect from the treaty tables; liaisons record the foreign side's answers.
  {
    fixture: 'data-in-uk-cloud-act',
    story: 'data held by a UK provider: a direct CLOUD Act order, produced',
    steps: [
      { respond: { kind: 'cloud-act-order', outcome: 'produced', reference: 'EV-UK-0042', note: 'account records and content, delivered by the provider' } },
    ],
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
    // The demo's agency is American: an EU production order needs an issuing authority in a member
    // state (Reg. (EU) 2023/1543 Art. 4), so a US agency asks Germany by MLAT and preserves through Budapest's 24/7 network.
    story: 'data held in Germany, sought by a US agency: an MLAT request, withdrawn while pending; the request is withdrawn and preservation released',
    steps: [
      {
        stage: 'MLAT',
        commands: (id) => [
          ['case', 'note', id, '--text', 'the suspect is already charged in another district'],
          ['case', 'withdraw', id, '--reason', 'merged into the other district’s prosecution'],
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
      closeWhileSafeguarding('the child is in the UK: the NCA carries the safeguarding on'),
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

/**
 * After the arrest (US): the coordinator records the initial appearance (detained, the detention hearing
 * held then), the prosecution decision and the grand jury's indictment, so an arrested or extradited case
 * closes as INDICTED. A closing that waits for a child's safeguarding comes after these steps.
 */
const TO_INDICTMENT: Step[] = [
  {
    stage: 'CUSTODY',
    commands: (id) => [
      ['case', 'court-event', id, '--event', 'initial-appearance', '--custody', 'detained', '--detention-hearing', 'held', '--reference', 'MJ-DEMO'],
    ],
  },
  {
    stage: 'CHARGING',
    commands: (id) => [
      ['case', 'decide-prosecution', id, '--decision', 'federal', '--reason', 'federal interest: distribution across state lines (JM 9-27.220)'],
      ['case', 'court-event', id, '--event', 'indictment', '--reference', 'IND-DEMO'],
    ],
  },
];
const closing = (step: Step) => 'when' in step && step.when === closingWaitsForSafeguarding;

export const SCENARIOS: Scenario[] = STORIES.map((s) =>
  s.expect === 'ARRESTED' || s.expect === 'EXTRADITED'
    ? {
        ...s,
        story: `${s.story}; custody, then indicted`,
        steps: [...(s.steps ?? []).filter((x) => !closing(x)), ...TO_INDICTMENT, ...(s.steps ?? []).filter(closing)],
        expect: 'INDICTED',
      }
    : s,
);

/**
 * A UK force's deployment (CASEBRIDGE_HOME_COUNTRY=GB, scripts/demo.sh runs it second, on its own data dir):
 * a referral of a US provider's user in Leeds. Communications data under the IPA, an overseas production
 * order to the US provider, a PACE s.8 search and the arrest on it, PACE custody reviewed, and the CPS's
 * charge with the DPP's consent.
 */
export const UK_SCENARIOS: Scenario[] = [
  {
    fixture: 'uk-force-referral',
    story: 'the NCA’s referrals bureau: the NCMEC referral graded, a child reported at risk, then disseminated to the force',
    steps: [
      {
        when: (s) => s.stage === 'DISSEMINATION',
        what: 'the referral waiting for the bureau',
        who: 'analyst',
        commands: (id) => [['case', 'child-at-risk', id, '--child', 'at-risk', '--reason', 'the reported images appear recent']],
      },
      {
        when: (s) => s.requests.some((r) => r.kind === 'safeguarding'),
        what: 'the referral waiting for an analyst to disseminate it',
        who: 'analyst',
        commands: (id) => [['case', 'disseminate', id, '--unit', DEMO_UNIT, '--reason', 'the upload address is in the force’s area']],
      },
    ],
    expect: 'DISSEMINATED',
  },
  {
    fixture: 'uk-force-referral',
    forceCaseOfPrevious: true,
    story:
      'the force: the child’s safeguarding handed over and followed to a child protection plan; IPA communications data, an overseas production order to the US provider, a PACE s.8 search, arrest, custody, charged',
    steps: [
      // The track the bureau opened reports to the force's case now: the force's people record its steps there.
      { respond: { kind: 'safeguarding', outcome: 'identified', as: 'analyst', note: 'named by the force’s enquiries' } },
      { respond: { kind: 'safeguarding', outcome: 'referral-decided', reason: 'strategy-discussion', reference: 'LA-DEMO-1', as: 'coordinator' } },
      { respond: { kind: 'safeguarding', outcome: 'strategy-discussion-held', reason: 'section-47-enquiry', as: 'coordinator' } },
      { respond: { kind: 'safeguarding', outcome: 'enquiry-concluded', reason: 'child-protection-plan', as: 'coordinator' } },
      {
        respond: {
          kind: 'cloud-act-order',
          outcome: 'produced',
          reference: 'OPO-EV-0007',
          note: 'content and account records, produced within the seven days',
        },
      },
      {
        stage: 'CUSTODY',
        commands: (id) => [
          [
            'case',
            'charging-decision',
            id,
            '--decision',
            'charged',
            '--cps-reference',
            'CPS-DEMO-1',
            '--dpp-consent',
            '--reason',
            'Full Code Test met: indecent images on the seized devices',
          ],
        ],
      },
    ],
    expect: 'CHARGED',
  },
];

/** The UK demo's referrals bureau (the NCA's): its cases disseminate to DEMO_UNIT, the force (scripts/demo.sh sets CASEBRIDGE_REFERRAL_UNIT). */
export const DEMO_REFERRAL_UNIT = 'nca-referrals';

const STEP_TIMEOUT_MS = 120_000;

const quote = (a: string) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`);

/** Each person's own config dir (their stored login), under the data dir. */
const homeOf = (dataDir: string, who: Person) => path.join(dataDir, 'demo-people', who);

/** Runs `casebridge ARGS` as `who` would (their login), printing the command first; fails the demo if it fails. */
function casebridgeAs(dataDir: string, who: Person, args: string[], stdin?: string): string {
  console.log(`\n${who}$ casebridge ${args.map(quote).join(' ')}`);
  const r = spawnSync(process.execPath, [path.join(__dirname, 'cli.js'), ...args], {
    encoding: 'utf8',
    env: { ...process.env, XDG_CONFIG_HOME: homeOf(dataDir, who) },
    ...(stdin !== undefined ? { input: stdin } : {}),
  });
  process.stdout.write(r.stdout);
  if (r.status !== 0) throw new Error(`casebridge ${args.slice(0, 2).join(' ')} exited ${r.status}: ${r.stderr.trim()}`);
  return r.stdout;
}

let casebridge: (who: Person, args: string[], stdin?: string) => string;
/** Where the desk keeps the drafts it downloads; set once the demo's people are logged in. */
let deskDataDir: string | undefined;

/** Watches a case (a read through the API, not an action) until `ready` says what to do, or fails naming where it stands. */
async function whenReady<T>(reader: ApiClient, caseId: string, what: string, ready: (s: CaseStatus) => T | undefined): Promise<T> {
  const until = Date.now() + STEP_TIMEOUT_MS;
  for (;;) {
    const status = await reader.call<CaseStatus>('GET', `/cases/${caseId}/status`);
    const value = ready(status);
    if (value !== undefined) return value;
    // While a person waits for a case, the desk does what its requests' documents need.
    if (deskDataDir !== undefined && status.stage !== 'CLOSED') await documentDesk(reader, { ...status, caseId }, deskDataDir);
    if (status.stage === 'CLOSED' || Date.now() > until) {
      // The case's last entries say why it went elsewhere (the demo's cases are made up).
      const timeline = await reader.call<TimelineEntry[]>('GET', `/cases/${caseId}/timeline`).catch(() => []);
      const last = timeline.slice(process.env.CASEBRIDGE_DEMO_DEBUG ? 0 : -12).map((e) => `    ${e.at} ${e.kind} ${e.stage}: ${e.detail}`);
      throw new Error(
        `case ${caseId} never came to ${what} (it is in ${status.stage}${status.outcome ? `, ${status.outcome}` : ''}); its timeline ends:\n${last.join('\n')}`,
      );
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** The person of `role` in the demo (the manager where a manager may act: the coordinator stays free to draft). */
function personFor(roles: readonly string[]): Person {
  if (roles.includes('manager')) return 'manager';
  return (Object.keys(PEOPLE) as Person[]).find((p) => (PEOPLE[p].roles as readonly string[]).includes(roles[0]))!;
}

/** Versions the desk has taken in hand: each is completed and approved once. */
const handled = new Set<string>();

/** One pass of the desk over one case: every document a request waits for is completed and approved. */
async function documentDesk(reader: ApiClient, status: CaseStatus & { caseId: string }, dataDir: string): Promise<void> {
  for (const r of status.requests) {
    const pending = r.pendingApproval;
    if (!pending || handled.has(`${pending.documentId}@${pending.version}`)) continue;
    handled.add(`${pending.documentId}@${pending.version}`);
    const caseId = status.caseId;
    const kind = documentKindOf(pending.documentId);
    const approver = personFor(kind ? DOCUMENT_RULES[kind].approvers : ['manager']);
    const drafter: Person = approver === 'liaison' ? 'coordinator' : 'liaison';
    const doc = pending.documentId.slice(caseId.length + 1);
    const { documents: records } = await reader.call<{ documents: { documentId: string; versions: { version: number; incomplete: string[] }[] }[] }>(
      'GET',
      `/cases/${caseId}/documents`,
    );
    const current = records.find((d) => d.documentId === pending.documentId)?.versions.find((v) => v.version === pending.version);
    let version = pending.version;
    if ((current?.incomplete.length ?? 0) > 0) {
      const draft = path.join(dataDir, 'demo-documents', `${caseId}-${doc.replace(/\//g, '_')}-v${version}.docx`);
      fs.mkdirSync(path.dirname(draft), { recursive: true });
      casebridge(drafter, ['document', 'get', caseId, doc, '--format', 'docx', '--out', draft]);
      const completed = draft.replace(/\.docx$/, '.completed.docx');
      fs.writeFileSync(completed, await fillDocxGaps(fs.readFileSync(draft), () => DRAFT_TEXT[r.kind] ?? DEFAULT_DRAFT_TEXT), { mode: 0o600 });
      casebridge(drafter, ['document', 'upload', caseId, doc, completed, '--based-on', String(version)]);
      version = await whenReady(reader, caseId, `the revision of ${doc} pending`, (s) => {
        const v = s.requests.find((x) => x.requestId === r.requestId)?.pendingApproval?.version ?? 0;
        return v > pending.version ? v : undefined;
      });
      handled.add(`${pending.documentId}@${version}`);
    }
    casebridge(approver, ['document', 'approve', caseId, doc]);
  }
}

async function play(reader: ApiClient, caseId: string, step: Step, _dataDir: string): Promise<void> {
  if ('respond' in step) {
    const { kind, outcome, reference, reason, note, as } = step.respond;
    const who = as ?? 'liaison';
    const role = PEOPLE[who].roles[0];
    const requestId = await whenReady(
      reader,
      caseId,
      `a ${kind} request that takes '${outcome}'`,
      (s) => s.requests.find((r) => r.kind === kind && !isTerminal(r.kind, r.status) && allowedOutcomes(r, role).includes(outcome))?.requestId,
    );
    const extra = [...(reference ? ['--reference', reference] : []), ...(reason ? ['--reason', reason] : []), ...(note ? ['--note', note] : [])];
    casebridge(who, ['respond', caseId, '--request', requestPathId(caseId, requestId), '--outcome', outcome, ...extra]);
    return;
  }
  if ('when' in step) {
    await whenReady(reader, caseId, step.what, (s) => (step.when(s) ? true : undefined));
    for (const args of step.commands(caseId)) casebridge(step.who ?? 'coordinator', args);
    return;
  }
  await whenReady(reader, caseId, `${step.stage}${step.awaiting ? ` awaiting ${step.awaiting}` : ''}`, (s) =>
    s.stage === step.stage && (!step.awaiting || s.awaiting === step.awaiting) ? true : undefined,
  );
  for (const args of step.commands(caseId)) casebridge('coordinator', args);
}

export async function run(): Promise<void> {
  const config = loadConfig();
  const dataDir = config.CASEBRIDGE_DATA_DIR;
  casebridge = (who, args, stdin) => casebridgeAs(dataDir, who, args, stdin);
  const uk = config.CASEBRIDGE_HOME_COUNTRY === 'GB';
  {
    console.log(`== The operator adds the demo's people to the local issuer (${apiUrl()}); each logs in`);
    for (const [who, p] of Object.entries(PEOPLE) as [Person, (typeof PEOPLE)[Person]][]) {
      // A fresh password per run, handed over on standard input: never on a command line.
      const password = crypto.randomBytes(18).toString('base64url');
      // A UK force's demo: the coordinator and the analyst also work in the NCA's referrals bureau (they open and disseminate the referral).
      const bureau = uk && (who === 'coordinator' || who === 'analyst') ? ['--unit', DEMO_REFERRAL_UNIT] : [];
      const units = who === 'operator' ? [] : ['--unit', DEMO_UNIT, ...bureau];
      casebridge('operator', ['users', 'add', p.name, ...p.roles.flatMap((r) => ['--role', r]), ...units, '--password-stdin'], password);
      casebridge(who, ['login', p.name, '--password-stdin'], password);
    }
    deskDataDir = dataDir;
    const coordinatorLogin = loadLogin({ ...process.env, XDG_CONFIG_HOME: homeOf(dataDir, 'coordinator') })!;
    const reader = new ApiClient(apiUrl(), coordinatorLogin.token);
    // Fresh report numbers per run: every run opens new cases beside the earlier ones in .data/.
    const runTag = String(Date.now()).slice(-8);
    // One deployment is one agency: a UK force's (home GB) runs its own story.
    const scenarios = uk ? UK_SCENARIOS : SCENARIOS;
    const cases = scenarios.map((s, i) => {
      const tip = TipSchema.parse(JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'test', 'fixtures', 'tips', `${s.fixture}.json`), 'utf8')));
      // The sample tips name the same account; one suspect per sample keeps deconfliction's links
      // meaningful (the two samples from one fixture share theirs, and are linked).
      const p = tip.personOrUserReported;
      // Addresses captured just now: the providers' log retention (the demo's policy file) counts from the capture.
      const person = {
        ...p,
        espIdentifier: `${p.espIdentifier}-${s.fixture}`,
        ...(p.screenName ? { screenName: `${p.screenName}_${s.fixture.replace(/-/g, '_')}` } : {}),
        ipCaptureEvent: p.ipCaptureEvent.map((e) => ({ ...e, dateTime: new Date().toISOString() })),
      };
      return { ...s, tip: { ...tip, ncmecReportNumber: `${runTag}${String(i).padStart(2, '0')}`, personOrUserReported: person } };
    });
    const dir = path.join(config.CASEBRIDGE_DATA_DIR, 'demo-tips');
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, `tips-${runTag}.ndjson`);
    const fromTips = cases.filter((c) => !c.forceCaseOfPrevious);
    fs.writeFileSync(file, fromTips.map((c) => JSON.stringify(c.tip)).join('\n') + '\n');

    console.log('== Opening a case per sample CyberTipline report (demo profile: a policy day lasts 1 s)');
    const shown = path.relative(process.cwd(), file);
    const started = JSON.parse(
      casebridge('coordinator', [
        'case',
        'start',
        '--tip',
        shown.startsWith('..') ? file : shown,
        '--profile',
        'demo',
        ...(uk ? ['--unit', DEMO_REFERRAL_UNIT] : []),
        '--json',
      ]),
    ) as { caseId: string }[];
    let next = 0;
    const opened: ((typeof cases)[number] & { caseId: string })[] = [];
    for (const c of cases) opened.push({ ...c, caseId: c.forceCaseOfPrevious ? forceCaseIdFor(opened[opened.length - 1].caseId) : started[next++].caseId });
    console.log('');
    for (const c of opened) console.log(`  ${c.caseId}  ${c.story}`);

    console.log('\n== Coordinators, analysts, liaisons and managers play their part');
    for (const c of opened) for (const step of c.steps ?? []) await play(reader, c.caseId, step, dataDir);

    console.log('\n== Outcomes');
    for (const c of opened) {
      if (c.expect === 'open') {
        const s = await reader.call<CaseStatus>('GET', `/cases/${c.caseId}/status`);
        console.log(`  ${c.caseId}  open in ${s.stage}, awaiting ${s.awaiting ?? '-'}`);
        continue;
      }
      const result = await whenClosed(reader, c.caseId);
      console.log(`  ${c.caseId}  ${String(result.outcome).padEnd(11)}  ${result.outcomeReason ?? ''}`);
      if (result.outcome !== c.expect) throw new Error(`case ${c.caseId} (${c.fixture}) closed as ${result.outcome}, expected ${c.expect}`);
    }

    console.log('\n== Each case’s timeline');
    for (const c of opened) casebridge('coordinator', ['case', 'timeline', c.caseId]);

    console.log('\n== The managers’ views (their unit’s cases)');
    casebridge('manager', ['cases', '--open']);
    casebridge('manager', ['stalled', '--idle', '5s']);
    casebridge('manager', ['deadlines', '--within', '30d']);

    console.log('\n== The audit log: every read and write above, hash-chained');
    casebridge('operator', ['audit', 'verify']);

    console.log(
      `\nThe data stays in ${config.CASEBRIDGE_DATA_DIR}: run \`make up\`, add yourself (\`npx casebridge users add NAME --role manager --unit ${DEMO_UNIT}\`), ` +
        `\`npx casebridge login NAME\`, then \`npx casebridge cases\` or \`npx casebridge case timeline ${opened[0].caseId}\`; the API's docs are at ${apiUrl()}/docs.`,
    );
  }
}

async function whenClosed(reader: ApiClient, caseId: string): Promise<CaseStatus> {
  return whenReady(reader, caseId, 'its outcome', (s) => (s.stage === 'CLOSED' ? s : undefined)).catch(async (err: unknown) => {
    const s = await reader.call<CaseStatus>('GET', `/cases/${caseId}/status`);
    if (s.stage === 'CLOSED') return s;
    throw err;
  });
}

if (require.main === module) {
  run().catch((err: unknown) => {
    console.error(`demo: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  });
}

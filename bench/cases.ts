/**
 * The cases the bench opens: the product's sample tips (test/fixtures/tips) with a fresh report
 * number and fresh suspect identifiers each (deconfliction would otherwise link every case to every
 * other), scripted through the simulators so each path is walked the same way every time. Cases are
 * opened with the product's own `startCase`; a coordinator's input goes through the same update the
 * CLI sends.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Client, WorkflowHandle } from '@temporalio/client';
import type { CaseScript, SimulatedSystems } from '../activities/simulators';
import { PROJECT_ROOT } from '../platform/config';
import { startCase } from '../client/cases';
import { resolveJurisdiction, statusQuery } from '../workflows/messages';
import type { PolicyProfile } from '../workflows/policy';
import { TipSchema, caseIdFor, type Tip, type TipInput } from '../workflows/tip';
import type { LiaisonPlan } from './liaison';
import { Tally, required } from './samples';
import { delay } from './stats';

export const PATHS = ['domestic-arrest', 'priority-1', 'no-action', 'jurisdiction', 'cloud-act', 'mlat', 'eu-order'] as const;
export type PathName = (typeof PATHS)[number];

export interface CasePath {
  fixture: string;
  script: CaseScript;
  /** The coordinator resolves the jurisdiction once the case waits for it. */
  coordinatorResolves: boolean;
  /** The agency's country, where not the US (only a member state's authority issues an EU production order). */
  homeCountry?: string;
  /** A flagged tip opens a child's safeguarding: the coordinator closes it once the case waits to close. */
  closesWhileSafeguarding?: boolean;
  /**
   * The answers from abroad a liaison records (bench/liaison.ts), per request kind, in order: without
   * them a cross-border case waits for ever on its order or its MLAT.
   */
  liaison?: LiaisonPlan;
  outcome: string;
  story: string;
}

/** Evidence abroad: preserved by the provider and the foreign 24/7 contact, the central authority clears at once, the suspect arrested at home. */
const ABROAD: CaseScript = { preservation: 'preserve', foreignPreservation: 'preserve', centralAuthorityReviews: ['clear'], arrestWarrant: 'grant' };

export const CASE_PATHS: Record<PathName, CasePath> = {
  'domestic-arrest': {
    fixture: 'domestic-arrest',
    script: { searchWarrants: ['grant'], executionDelaysDays: [1], arrestWarrant: 'grant', preservation: 'preserve' },
    coordinatorResolves: false,
    outcome: 'ARRESTED',
    story: 'triage, preservation child, file review, warrant, execution, arrest warrant, arrest',
  },
  'priority-1': {
    fixture: 'priority-1-emergency',
    script: { emergencyDisclosure: 'disclose', searchWarrants: ['grant'], executionDelaysDays: [1], arrestWarrant: 'grant', preservation: 'preserve' },
    coordinatorResolves: false,
    closesWhileSafeguarding: true,
    outcome: 'ARRESTED',
    story: 'as domestic-arrest, with an emergency disclosure first',
  },
  'no-action': {
    fixture: 'no-action-viral',
    script: { criminal: false },
    coordinatorResolves: false,
    outcome: 'NO_ACTION',
    story: 'triage finds a viral meme: closed without action',
  },
  jurisdiction: {
    fixture: 'jurisdiction-unresolved',
    script: { suspectCountry: null, searchWarrants: ['grant'], executionDelaysDays: [1], arrestWarrant: 'grant', preservation: 'preserve' },
    coordinatorResolves: true,
    outcome: 'ARRESTED',
    story: 'suspect behind a proxy: a coordinator resolves the jurisdiction (an update), then to arrest',
  },
  'cloud-act': {
    fixture: 'data-in-uk-cloud-act',
    script: ABROAD,
    coordinatorResolves: false,
    liaison: { 'cloud-act-order': ['produced'] },
    outcome: 'ARRESTED',
    story: 'data held in the UK: a CLOUD Act order the case runs, produced (a liaison’s update), then to arrest',
  },
  mlat: {
    fixture: 'data-abroad-mlat',
    script: ABROAD,
    coordinatorResolves: false,
    liaison: { mlat: ['acknowledged', 'executed'] },
    outcome: 'ARRESTED',
    story:
      'data held in Thailand: an MLAT child (review, translation, transmission), acknowledged then executed (a liaison’s updates to the child), then to arrest',
  },
  'eu-order': {
    fixture: 'data-in-eu-member',
    script: { ...ABROAD, suspectCountry: 'IE' },
    homeCountry: 'IE',
    coordinatorResolves: false,
    liaison: { 'eu-production-order': ['produced'] },
    outcome: 'ARRESTED',
    story:
      'an Irish agency, data held in Germany: an EU production order the case runs, produced (a liaison’s update), usable once the refusal window closes, then to arrest',
  },
};

const fixtures = new Map<string, TipInput>();
function fixture(name: string): TipInput {
  let raw = fixtures.get(name);
  if (!raw) {
    raw = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'test', 'fixtures', 'tips', `${name}.json`), 'utf8')) as TipInput;
    fixtures.set(name, raw);
  }
  return structuredClone(raw);
}

let seq = 0;
/** A fresh 12-digit report number (each bench run has its own server, so numbers never clash). */
export function nextReport(): string {
  seq++;
  return String(800_000_000_000 + seq);
}

export function benchTip(fixtureName: string, report = nextReport()): Tip {
  const raw = fixture(fixtureName);
  raw.ncmecReportNumber = report;
  raw.personOrUserReported.espIdentifier = `bench-user-${report}`;
  raw.personOrUserReported.screenName = `bench-${report}`;
  raw.personOrUserReported.deviceId = [];
  return TipSchema.parse(raw);
}

export interface OpenOptions {
  taskQueue: string;
  profile: PolicyProfile;
}

/** Further attempts to open a case when the server fails to answer (opening is setup, not measured). */
const OPEN_RETRIES = 2;
const openTally = new Tally('opening cases');

/**
 * Opens one case on `path`, scripted in the simulators, through the product's `startCase`. A start
 * the server failed to answer is retried with the same tip: the case id is the report number's, so
 * a start that had landed answers `exists` and is the same case, never a second one.
 */
export async function openCase(client: Client, systems: SimulatedSystems, p: CasePath, opts: OpenOptions, script: CaseScript = p.script): Promise<string> {
  const tip = benchTip(p.fixture);
  const caseId = caseIdFor(tip.ncmecReportNumber);
  systems.setScript(caseId, script);
  let attempt = 0;
  return required(
    openTally,
    `opening ${caseId}`,
    async () => {
      attempt++;
      const { status } = await startCase(client, tip, { taskQueue: opts.taskQueue, profile: opts.profile, homeCountry: 'US', endAtArrest: true });
      // On the first attempt `exists` is a harness bug (report numbers are fresh); on a retry it is the earlier start.
      if (status !== 'started' && attempt === 1) throw new Error(`bench case ${caseId} already existed`);
      return caseId;
    },
    { retries: OPEN_RETRIES },
  );
}

/** The size in bytes of the case's input, so the bare baseline can carry as much. */
export function caseInputBytes(fixtureName: string, homeCountry = 'US'): number {
  const tip = benchTip(fixtureName, '800000000000');
  return JSON.stringify({ caseId: caseIdFor(tip.ncmecReportNumber), tip, profile: 'demo', homeCountry }).length;
}

export const COORDINATOR = { actor: 'Bench Coordinator', role: 'coordinator' as const };

/** Polls `status` (every `everyMs`) until the case waits in JURISDICTION, then resolves it as a coordinator would. */
export async function resolveWhenAsked(handle: WorkflowHandle, everyMs: number, suspectCountry = 'US'): Promise<void> {
  for (;;) {
    await delay(everyMs);
    const s = await handle.query(statusQuery);
    if (s.stage === 'JURISDICTION') break;
    if (s.stage === 'CLOSED') throw new Error(`case ${handle.workflowId} closed before asking for a jurisdiction`);
  }
  await handle.executeUpdate(resolveJurisdiction, { args: [{ ...COORDINATOR, suspectCountry, reason: 'bench' }] });
}

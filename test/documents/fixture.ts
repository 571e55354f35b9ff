/**
 * A made-up case as the workflow keeps it (CaseState), turned into document facts by the same pure
 * function a workflow calls. Every identifier is invented and unique to this file, so a test can
 * look for each one in documents and make sure it is absent from logs.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DocumentService } from '../../documents/service';
import { DEMONSTRATION_AGENCY } from '../../documents/agency';
import { loadTemplates } from '../../documents/settings';
import { FileDocumentStore } from '../../platform/store/documents';
import { parseKeyList } from '../../platform/crypto/keys';
import type { CaseState } from '../../workflows/case/record';
import { factsFromCase, type DocumentAdditions, type DocumentFacts, type DocumentKind } from '../../workflows/documents';
import { TipSchema } from '../../workflows/tip';
import type { Logger } from 'pino';

const nonce = randomBytes(3).toString('hex');
export const PERSONAL = {
  screenName: `quietfern_${nonce}`,
  espIdentifier: `acct-${nonce}-5521`,
  displayName: `Ştefan Łomża ${nonce}`,
  deviceId: `device-${nonce}-ab`,
  ip: '198.51.100.23',
  ip6: '2001:db8::77:1',
  fileName: `holiday_${nonce}.jpg`,
};
export const NCMEC = '190005521';
export const CASE_ID = `case-${NCMEC}`;

const tip = TipSchema.parse({
  ncmecReportNumber: NCMEC,
  priority: 1,
  incidentSummary: {
    incidentType: 'Child Pornography (possession, manufacture, and distribution)',
    escalateToHighPriority: true,
    incidentDateTime: '2026-02-02T10:15:00Z',
  },
  reporter: { espName: 'Lantern Social Ltd.', dataCountry: 'DE' },
  personOrUserReported: {
    espIdentifier: PERSONAL.espIdentifier,
    espService: 'Lantern Photos',
    screenName: PERSONAL.screenName,
    displayName: [PERSONAL.displayName],
    deviceId: [PERSONAL.deviceId],
    ipCaptureEvent: [
      { ipAddress: PERSONAL.ip, eventName: 'Upload', dateTime: '2026-02-02T10:14:03Z', port: 40222, countryCode: 'DE' },
      { ipAddress: PERSONAL.ip6, eventName: 'Login', dateTime: '2026-02-01T07:00:00Z' },
    ],
    estimatedLocation: { countryCode: 'DE', city: 'Musterstadt' },
    nationality: 'DE',
  },
  files: [
    { fileId: 'LF-101', originalFileName: PERSONAL.fileName, fileViewedByEsp: true, originalFileHash: ['sha1:aaaabbbbccccdddd'] },
    { fileId: 'LF-102', fileViewedByEsp: false },
    { fileId: 'LF-103', fileViewedByEsp: false },
  ],
  victim: [{ ageRange: '8-10' }],
});

/** The case as the workflow would hold it mid-way: preservation in place, an MLAT open, a warrant granted. */
export function caseState(): CaseState {
  return {
    caseId: CASE_ID,
    tip,
    profile: 'standard',
    homeCountry: 'US',
    stage: 'MLAT',
    outcome: null,
    outcomeReason: null,
    priority: 1,
    suspectCountry: 'DE',
    dataCountry: 'DE',
    awaiting: 'foreign-authority',
    waitingFor: 'the German central authority',
    stageEnteredAt: '2026-02-10T00:00:00Z',
    deadlines: [],
    requests: [
      {
        requestId: `${CASE_ID}/preservation`,
        kind: 'preservation',
        status: 'PRESERVED',
        awaiting: null,
        openedAt: '2026-02-02T11:00:00Z',
        reference: 'P247-DE-4411',
      },
      {
        requestId: `${CASE_ID}/mlat-1`,
        kind: 'mlat',
        status: 'MORE_INFO_REQUESTED',
        awaiting: 'agency',
        openedAt: '2026-02-05T00:00:00Z',
        reference: 'BfJ-RH-2026-77',
        reason: 'Which subscriber records link the account to the suspect?',
        workflowId: `${CASE_ID}/mlat-1`,
      },
      { requestId: `${CASE_ID}/extradition-1`, kind: 'extradition', status: 'OPENED', awaiting: 'central-authority', openedAt: '2026-02-06T00:00:00Z' },
      {
        requestId: `${CASE_ID}/search-warrant-1`,
        kind: 'search-warrant',
        status: 'GRANTED',
        awaiting: 'agency',
        openedAt: '2026-02-03T00:00:00Z',
        reference: 'SW-77-1',
      },
      {
        requestId: `${CASE_ID}/arrest-warrant`,
        kind: 'arrest-warrant',
        status: 'GRANTED',
        awaiting: null,
        openedAt: '2026-02-04T00:00:00Z',
        reference: 'AW-77-2',
      },
    ],
    timeline: [],
    linkedCases: [],
    preservation: { workflowId: `${CASE_ID}/preservation`, state: 'PRESERVED', expiresAt: '2026-04-03T11:00:00Z', renewalsUsed: 0 },
    attention: null,
    retries: {},
    warrantApplications: 1,
    warrant: { warrantId: 'SW-77-1', grantedAt: '2026-02-03T12:00:00Z' },
    pendingAmendment: false,
    jurisdictionReminderSent: false,
    jurisdictionEscalated: false,
    emergencyDone: true,
    filesReviewed: true,
    evidenceInHand: false,
    arrestWarrantId: 'AW-77-2',
    withdrawal: null,
    runs: 1,
  };
}

/** Which request (and destination) each kind belongs to in this case. */
const REQUEST_OF: Partial<Record<DocumentKind, { requestId?: string; destinationCountry?: string | null }>> = {
  'preservation-letter': { requestId: `${CASE_ID}/preservation`, destinationCountry: null },
  'preservation-renewal': { requestId: `${CASE_ID}/preservation`, destinationCountry: null },
  'emergency-disclosure-request': { destinationCountry: null },
  'subscriber-subpoena': { destinationCountry: null },
  'court-order-application': { destinationCountry: null },
  'search-warrant-application': { requestId: `${CASE_ID}/search-warrant-1`, destinationCountry: null },
  'search-warrant-affidavit': { requestId: `${CASE_ID}/search-warrant-1`, destinationCountry: null },
  'cloud-act-order': { destinationCountry: 'GB' },
  'mlat-request': { requestId: `${CASE_ID}/mlat-1` },
  'mlat-supplement': { requestId: `${CASE_ID}/mlat-1` },
  'diplomatic-note': { requestId: `${CASE_ID}/mlat-1` },
  'extradition-request': { requestId: `${CASE_ID}/extradition-1` },
  'provisional-arrest-request': { requestId: `${CASE_ID}/extradition-1` },
  'transfer-of-proceedings': { destinationCountry: 'DE' },
  'budapest-preservation-request': { requestId: `${CASE_ID}/preservation` },
  'pace-search-warrant-application': { requestId: `${CASE_ID}/search-warrant-1`, destinationCountry: null },
  'overseas-production-order-application': { destinationCountry: 'US' },
};

export const ADDITIONS: DocumentAdditions = {
  probableCause: `The account uploaded file LF-101, which staff of the provider viewed (narrative ${nonce}).`,
  emergencyNarrative: `The account holder announced a meeting with a child (narrative ${nonce}).`,
  affiant: { name: 'Officer Q. Testwell', title: 'Special Agent' },
  judicialOfficer: { name: 'Judge R. Placeholder', title: 'Magistrate judge' },
};

/** The kinds only a UK force sends: their case is a UK agency's. */
export const UK_KINDS: readonly DocumentKind[] = ['pace-search-warrant-application', 'overseas-production-order-application'];

export function factsFor(kind: DocumentKind, additions: DocumentAdditions = ADDITIONS): DocumentFacts {
  const o = REQUEST_OF[kind] ?? {};
  const state = caseState();
  if (UK_KINDS.includes(kind)) Object.assign(state, { homeCountry: 'GB', suspectCountry: 'GB', dataCountry: o.destinationCountry ?? 'GB' });
  return factsFromCase(state, {
    ...(o.requestId ? { requestId: o.requestId } : {}),
    ...(o.destinationCountry !== undefined ? { destinationCountry: o.destinationCountry } : {}),
    additions,
    preparedBy: { actor: 'Coordinator Una Test', role: 'coordinator' },
    at: '2026-02-20T09:00:00Z',
  });
}

export function tempDir(label: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `casebridge-${label}-`));
}

export const key = (): string => randomBytes(32).toString('base64');

export function service(dir: string, keys: string | undefined = `k1:${key()}`, log?: Logger): DocumentService {
  const store = new FileDocumentStore(dir, keys ? parseKeyList(keys) : undefined);
  return new DocumentService({ store, templates: loadTemplates(undefined, DEMONSTRATION_AGENCY), agency: DEMONSTRATION_AGENCY, ...(log ? { log } : {}) });
}

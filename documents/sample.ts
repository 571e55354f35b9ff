/**
 * A made-up case for checking templates at start-up and for the example pages in docs/documents/.
 * Every identifier is invented: documentation IP ranges (RFC 5737, RFC 3849), example domains, and
 * names that belong to no one. Every list has entries and every addition is written, so a template
 * check exercises every field.
 */
import type { DocumentFacts, DocumentKind } from '../workflows/documents';

/** Where each kind goes in the sample: the country its addressee sits in (null: at home). */
const SAMPLE_DESTINATION: Record<DocumentKind, string | null> = {
  'preservation-letter': null,
  'preservation-renewal': null,
  'emergency-disclosure-request': null,
  'subscriber-subpoena': null,
  'court-order-application': null,
  'search-warrant-application': null,
  'search-warrant-affidavit': null,
  'eu-production-order-certificate': 'DE',
  'eu-preservation-order-certificate': 'DE',
  'cloud-act-order': 'GB',
  'mlat-request': 'DE',
  'mlat-supplement': 'DE',
  'extradition-request': 'GB',
  'provisional-arrest-request': 'GB',
  'diplomatic-note': 'DE',
  'transfer-of-proceedings': 'BR',
  'budapest-preservation-request': 'PH',
  'pace-search-warrant-application': null,
  'overseas-production-order-application': 'US',
};

/** The kinds a UK force sends (home-law.ts): their sample is a UK agency's case. */
const UK_KINDS: ReadonlySet<DocumentKind> = new Set(['pace-search-warrant-application', 'overseas-production-order-application']);

const SAMPLE_REQUEST: Record<DocumentKind, { id: string; kind: string }> = {
  'preservation-letter': { id: 'case-190000042/preservation', kind: 'preservation' },
  'preservation-renewal': { id: 'case-190000042/preservation', kind: 'preservation' },
  'emergency-disclosure-request': { id: 'case-190000042/emergency-disclosure', kind: 'emergency-disclosure' },
  'subscriber-subpoena': { id: 'case-190000042/subscriber-identification', kind: 'subscriber-identification' },
  'court-order-application': { id: 'case-190000042/subscriber-identification', kind: 'subscriber-identification' },
  'search-warrant-application': { id: 'case-190000042/search-warrant-1', kind: 'search-warrant' },
  'search-warrant-affidavit': { id: 'case-190000042/search-warrant-1', kind: 'search-warrant' },
  'eu-production-order-certificate': { id: 'case-190000042/eu-production-order-1', kind: 'eu-production-order' },
  'eu-preservation-order-certificate': { id: 'case-190000042/preservation', kind: 'preservation' },
  'cloud-act-order': { id: 'case-190000042/cloud-act-order-1', kind: 'cloud-act-order' },
  'mlat-request': { id: 'case-190000042/mlat-1', kind: 'mlat' },
  'mlat-supplement': { id: 'case-190000042/mlat-1', kind: 'mlat' },
  'extradition-request': { id: 'case-190000042/extradition-1', kind: 'extradition' },
  'provisional-arrest-request': { id: 'case-190000042/extradition-1', kind: 'extradition' },
  'diplomatic-note': { id: 'case-190000042/mlat-1', kind: 'mlat' },
  'transfer-of-proceedings': { id: 'case-190000042/transfer-of-proceedings-1', kind: 'transfer-of-proceedings' },
  'budapest-preservation-request': { id: 'case-190000042/preservation', kind: 'preservation' },
  'pace-search-warrant-application': { id: 'case-190000042/search-warrant-1', kind: 'search-warrant' },
  'overseas-production-order-application': { id: 'case-190000042/cloud-act-order-1', kind: 'cloud-act-order' },
};

export function sampleFacts(kind: DocumentKind): DocumentFacts {
  const destination = SAMPLE_DESTINATION[kind];
  const request = SAMPLE_REQUEST[kind];
  const home = UK_KINDS.has(kind) ? 'GB' : 'US';
  return {
    caseId: 'case-190000042',
    ncmecReportNumber: '190000042',
    homeCountry: home,
    destinationCountry: destination,
    suspectCountry: home === 'GB' ? 'GB' : (destination ?? 'US'),
    dataCountry: destination ?? home,
    priority: 1,
    emergency: true,
    incident: { type: 'Child Pornography (possession, manufacture, and distribution)', dateTime: '2026-03-14T21:07:00Z', escalated: true },
    provider: { name: 'ExampleChat Inc.', service: 'ExampleChat Messenger', dataCountry: destination ?? 'US' },
    account: {
      espIdentifier: 'ec-user-7731905',
      screenName: 'nightowl_example',
      displayNames: ['Night Owl', 'Łukasz Example'],
      deviceIds: ['android-5f2e9c0a'],
      priorReports: ['180000311'],
      location: { countryCode: home === 'GB' ? 'GB' : (destination ?? 'US'), region: 'Example Region', city: 'Exampletown' },
      nationality: home === 'GB' ? 'GB' : (destination ?? 'US'),
    },
    ipEvents: [
      { ipAddress: '203.0.113.57', event: 'Upload', dateTime: '2026-03-14T21:05:12Z', port: 50411, possibleProxy: false, countryCode: destination ?? 'US' },
      { ipAddress: '2001:db8::4a:17', event: 'Login', dateTime: '2026-03-13T08:41:55Z', possibleProxy: false },
    ],
    files: [
      {
        fileId: 'F-1',
        originalFileName: 'IMG_2231.jpg',
        viewedByProvider: true,
        exifViewedByProvider: false,
        publiclyAvailable: false,
        hashes: ['md5:5d41402abc4b2a76b9719d911017c592'],
      },
      { fileId: 'F-2', originalFileName: 'VID_0042.mp4', viewedByProvider: true, publiclyAvailable: false, hashes: ['md5:7d793037a0760186574b0282f2f435e7'] },
      { fileId: 'F-3', originalFileName: 'archive.zip', viewedByProvider: false, publiclyAvailable: false, hashes: ['md5:9e107d9d372bb6826bd81d3542a419d6'] },
    ],
    victims: [{ ageRange: '10-12', countryCode: destination ?? 'US' }],
    request: {
      requestId: request.id,
      kind: request.kind,
      status: 'SENT',
      reference: 'REF-2026-0042',
      reason: 'Please state how the account was linked to the suspect.',
    },
    relatedRequests: [
      { requestId: 'case-190000042/preservation', kind: 'preservation', status: 'PRESERVED', reference: 'PRES-55120' },
      { requestId: 'case-190000042/mlat-1', kind: 'mlat', status: 'TRANSMITTED', reference: 'OIA-182-44871' },
      { requestId: 'case-190000042/search-warrant-1', kind: 'search-warrant', status: 'GRANTED', reference: 'SW-26-0311' },
      { requestId: 'case-190000042/arrest-warrant', kind: 'arrest-warrant', status: 'GRANTED', reference: 'AW-26-0129' },
      { requestId: 'case-190000042/extradition-1', kind: 'extradition', status: 'OPENED' },
    ],
    preservation: { state: 'PRESERVED', reference: 'PRES-55120', expiresAt: '2026-06-12T00:00:00Z', renewalsUsed: 0 },
    warrant: { warrantId: 'SW-26-0311', grantedAt: '2026-03-20T15:00:00Z' },
    arrestWarrantId: 'AW-26-0129',
    warrantApplications: 1,
    linkedCases: ['case-180000311'],
    sequence: 1,
    additions: {
      probableCause:
        'On 14 March 2026 the provider reported that the account uploaded three files; two were viewed by the provider’s staff and depict ' +
        'the sexual abuse of a prepubescent child. The upload IP address resolves to a residential subscriber in Exampletown.',
      emergencyNarrative:
        'Messages in the report state that the account holder has daily access to the child depicted and plans to meet a second child this week.',
      affiant: { name: 'Investigator A. Example', title: 'Task Force Officer' },
      judicialOfficer: { name: 'Judge B. Sample', title: 'Investigating judge' },
      answers: [
        {
          question: 'How was the account linked to the suspect?',
          answer: 'Subscriber records for the upload IP address name the suspect as the account holder.',
        },
      ],
      edits: 'State the facts establishing the link for each account.',
      amendment: 'Adds the subscriber records obtained on 18 March 2026.',
      procedures: 'Please provide a certificate of authenticity for business records in the form attached.',
    },
    preparedAt: '2026-03-21T10:00:00Z',
    preparedBy: { actor: 'Investigator A. Example', role: 'coordinator' },
  };
}

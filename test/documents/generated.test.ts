/**
 * Every document kind, generated from a made-up case through the document service (encrypted store),
 * rendered to PDF and DOCX and read back with independent parsers: the case's facts, the statutory
 * language and the citations and periods from the policy tables are in both files; a draft carries
 * the DRAFT mark, an approved version does not and carries its approval and content hash.
 */
import { CITATIONS, COUNTRIES, GB_PARTNERS, HOME_LAW, INSTRUMENTS, OFFENCES, provisionalArrestWindow } from '../../workflows/policy';
import { GB_OFFENCES } from '../../workflows/policy/offences-gb';
import { DOCUMENT_KINDS, DOCUMENT_RULES, type DocumentKind } from '../../workflows/documents';
import { formatPeriod } from '../../documents/i18n';
import { CASE_ID, NCMEC, PERSONAL, UK_KINDS, factsFor, service, tempDir } from './fixture';
import { docxText, flat, pdfText, squeeze } from './parse';

const period = (r: { value: { months?: number; days?: number; hours?: number } }) => formatPeriod(r.value, 'en');
const c = CITATIONS;

/** What each kind must say, straight from the tables (citations, quoted statutory language, periods with their sources). */
const FROM_TABLES: Record<DocumentKind, string[]> = {
  'preservation-letter': [
    c.preservation.cite,
    c.preservation.text,
    period(INSTRUMENTS.domesticPreservation.period),
    INSTRUMENTS.domesticPreservation.period.source,
  ],
  'preservation-renewal': [c.preservationRenewal.cite, c.preservationRenewal.text, INSTRUMENTS.domesticPreservation.period.source, 'P247-DE-4411'],
  'emergency-disclosure-request': [c.emergencyContents.cite, c.emergencyContents.text, c.emergencyRecords.cite, c.emergencyRecords.text],
  'subscriber-subpoena': [c.administrativeSubpoena.cite, c.subscriberRecords.cite, c.subscriberRecords.text, c.noSubscriberNotice.text, c.nondisclosure.cite],
  'court-order-application': [c.courtOrder.cite, c.courtOrder.text, c.nondisclosure.cite],
  'search-warrant-application': [
    c.searchWarrant.cite,
    c.fileViewGate.cite,
    c.fileViewGate.text,
    INSTRUMENTS.warrant.execution.source,
    INSTRUMENTS.warrant.delayedNotice.source,
  ],
  'search-warrant-affidavit': [c.searchWarrant.cite, c.fileViewGate.cite, c.ncmecReport.cite],
  'eu-production-order-certificate': [
    c.eEvidence.cite,
    c.eEvidenceExecution.text,
    c.eEvidenceNecessity.text,
    INSTRUMENTS.euProductionOrder.emergencyProduction.source,
    period(INSTRUMENTS.euProductionOrder.emergencyProduction),
    'Section A',
    'Section B',
    'Section C',
    'Section I',
    'Section J',
    'Section L',
  ],
  'eu-preservation-order-certificate': [
    c.eEvidencePreservation.cite,
    c.eEvidencePreservation.text,
    INSTRUMENTS.euPreservation.period.source,
    'Section A',
    'Section B',
  ],
  'cloud-act-order': [c.cloudActAgreement.cite, c.cloudActOrderRequirements.text, c.cloudActSeriousCrime.text, COUNTRIES.GB.cloudActAgreementSince!.source],
  'mlat-request': [c.mlatModelRequest.cite, 'Offences and penalties', 'Procedures to be followed', 'Confidentiality', 'Assistance requested', 'P247-DE-4411'],
  'mlat-supplement': ['Which subscriber records link the account to the suspect?', 'BfJ-RH-2026-77', `${CASE_ID}/mlat-1`],
  'extradition-request': [c.extradition.cite, 'AW-77-2'],
  'provisional-arrest-request': [c.provisionalArrest.cite, period(provisionalArrestWindow('DE')), provisionalArrestWindow('DE').source, 'AW-77-2'],
  'diplomatic-note': ['presents its compliments', 'assurances of its highest consideration', 'BfJ-RH-2026-77'],
  'transfer-of-proceedings': [c.budapestProsecuteNationals.cite, c.budapestProsecuteNationals.text, 'aut dedere aut judicare'],
  'pace-search-warrant-application': [
    c.paceSearchWarrant.cite,
    c.paceSearchWarrant.text,
    HOME_LAW.GB.searchWarrant.execution.source,
    '3 months',
    'a justice of the peace',
  ],
  'overseas-production-order-application': [
    c.overseasProductionOrder.cite,
    c.overseasProductionOrder.text,
    HOME_LAW.GB.directOrder.production!.source,
    period(HOME_LAW.GB.directOrder.production!),
    GB_PARTNERS.US.cloudActAgreementSince!.source,
    'does not target a United States person',
    `non-disclosure requirement (${c.opoNonDisclosure.cite})`,
    c.opoNonDisclosure.text,
  ],
  'budapest-preservation-request': [
    c.budapestPreservation.cite,
    c.budapestPreservation.text,
    c.budapestNoDualCriminality.text,
    INSTRUMENTS.budapestPreservation.period.source,
  ],
};

/** The gaps a kind leaves for a person when the case does not know the answer (the identity of a person sought by extradition). */
const GAPS: Partial<Record<DocumentKind, string[]>> = {
  'extradition-request': ['the identity of the person sought, with a photograph and fingerprints where available'],
  'provisional-arrest-request': ['the name, date of birth and description of the person sought'],
  // The foreign side's question is in the case; the answer is a person's to write.
  'mlat-supplement': ['the answers to the questions above'],
};

/** Kinds that name the offences (every one but the letters that only preserve or transmit). */
const NAMES_OFFENCES: readonly DocumentKind[] = DOCUMENT_KINDS.filter(
  (k) => !['preservation-letter', 'preservation-renewal', 'emergency-disclosure-request', 'diplomatic-note'].includes(k),
);
/** Kinds that identify the account in full. */
const IDENTIFIES_ACCOUNT: readonly DocumentKind[] = DOCUMENT_KINDS.filter((k) => k !== 'diplomatic-note' && k !== 'mlat-supplement');

describe('every document kind, generated from a case and parsed back', () => {
  const docs = service(tempDir('generated'));

  it.each(DOCUMENT_KINDS.map((k) => [k]))('%s: the case, the law and the DRAFT mark in the PDF and the DOCX', async (kind) => {
    const ref = await docs.generate({
      idempotencyKey: `${CASE_ID}/test/${kind}`,
      kind,
      facts: factsFor(kind),
      author: { actor: 'Coordinator Una Test', role: 'coordinator' },
    });
    expect(ref).toMatchObject({ kind, language: 'en', version: 1, incomplete: GAPS[kind] ?? [] });
    expect(ref.documentId.startsWith(`${CASE_ID}/`)).toBe(true);
    expect(ref.contentHash).toMatch(/^[0-9a-f]{64}$/);

    const { body: pdf, all: pdfPages } = await pdfText((await docs.render(ref.documentId, 1, 'pdf')).bytes);
    const docx = await docxText((await docs.render(ref.documentId, 1, 'docx')).bytes);
    const expected = [NCMEC, ...FROM_TABLES[kind].map(flat)];
    if (IDENTIFIES_ACCOUNT.includes(kind)) expected.push(PERSONAL.espIdentifier, 'Lantern Social Ltd.');
    if (IDENTIFIES_ACCOUNT.includes(kind) && !kind.startsWith('extradition') && kind !== 'provisional-arrest-request' && kind !== 'transfer-of-proceedings') {
      expected.push(PERSONAL.ip, PERSONAL.ip6, PERSONAL.displayName);
    }
    // A UK force's papers name the offences of England and Wales, never the US Code's.
    if (NAMES_OFFENCES.includes(kind) && UK_KINDS.includes(kind)) {
      expected.push(GB_OFFENCES.indecentPhotographs.cite, GB_OFFENCES.indecentPhotographs.penalty, GB_OFFENCES.possession.cite);
      expect(squeeze(pdf)).not.toContain(squeeze(OFFENCES.distribution.cite));
    } else if (NAMES_OFFENCES.includes(kind)) expected.push(OFFENCES.distribution.cite, OFFENCES.distribution.penalty, OFFENCES.possession.cite);
    for (const gap of GAPS[kind] ?? []) expected.push(`[[TO COMPLETE: ${gap}]]`);
    for (const s of expected) {
      expect(squeeze(pdf)).toContain(squeeze(s));
      expect(docx.body).toContain(s);
    }
    // The DRAFT mark: on every PDF page, in the DOCX header; never in the DOCX body (it is not content).
    expect(pdfPages).toContain('DRAFT — not approved for sending');
    expect(docx.headers).toContain('DRAFT — not approved for sending');
    expect(docx.body).not.toContain('DRAFT');
    expect(docx.footers).toContain(ref.contentHash);
  });

  it('the search warrant documents list which files the provider viewed and which need the warrant (Wilson)', async () => {
    for (const kind of ['search-warrant-affidavit', 'search-warrant-application'] as const) {
      const ref = await docs.generate({ idempotencyKey: `${CASE_ID}/wilson/${kind}`, kind, facts: factsFor(kind) });
      const { body: text } = await pdfText((await docs.render(ref.documentId, ref.version, 'pdf')).bytes);
      expect(text).toContain(`Viewed by the provider: file LF-101 (${PERSONAL.fileName})`);
      expect(text).toContain('Not viewed by the provider (warrant needed before it is opened): file LF-102');
      expect(text).toContain('Not viewed by the provider (warrant needed before it is opened): file LF-103');
      expect(text).not.toContain('Not viewed by the provider (warrant needed before it is opened): file LF-101');
      expect(text).toContain(
        'Files in the report: 3. Viewed by a person at the provider: 1. Reported without being viewed, and not opened by investigators: 2.',
      );
    }
  });

  it('the German MLAT request is in German, with the same facts and the citations from the tables', async () => {
    const ref = await docs.generate({ idempotencyKey: `${CASE_ID}/mlat-de`, kind: 'mlat-request', facts: factsFor('mlat-request'), language: 'de' });
    expect(ref.documentId).toBe(`${CASE_ID}/mlat-1/mlat-request.de`);
    const { body: pdf, all: pdfPages } = await pdfText((await docs.render(ref.documentId, 1, 'pdf')).bytes);
    for (const s of [
      'Ersuchen um Rechtshilfe in einer Strafsache',
      'Zentrale Behörde von Deutschland',
      'Vertraulichkeit',
      CITATIONS.mlatModelRequest.cite,
      OFFENCES.distribution.cite,
      PERSONAL.screenName,
      PERSONAL.ip,
      '2. Februar 2026',
    ]) {
      expect(pdf).toContain(s);
    }
    expect(pdfPages).toContain('ENTWURF — nicht zur Versendung freigegeben');
    await expect(
      docs.generate({ idempotencyKey: `${CASE_ID}/x`, kind: 'preservation-letter', facts: factsFor('preservation-letter'), language: 'de' }),
    ).rejects.toThrow('language: no de template for preservation-letter (available: en)');
  });

  it('an approved version has no DRAFT mark and carries who approved it, in which role, when, and its content hash', async () => {
    const kind = 'mlat-request';
    const ref = await docs.generate({ idempotencyKey: `${CASE_ID}/approve`, kind, facts: factsFor(kind), author: { actor: 'Liaison Lee', role: 'liaison' } });
    await docs.recordApproval({ ...ref, approver: { actor: 'Manager Mo', role: 'manager' }, at: '2026-02-21T16:45:00Z' });
    const { all: pdf } = await pdfText((await docs.render(ref.documentId, ref.version, 'pdf')).bytes);
    const docx = await docxText((await docs.render(ref.documentId, ref.version, 'docx')).bytes);
    for (const text of [pdf, docx.headers, docx.body, docx.footers]) expect(text).not.toContain('DRAFT');
    for (const text of [pdf, docx.footers]) {
      expect(text).toContain('Approved for sending by Manager Mo (manager) on February 21, 2026, 16:45:00 UTC');
      expect(text).toContain(ref.contentHash);
    }
    expect(DOCUMENT_RULES[kind].approvers).toContain('manager');
  });
});

/**
 * The view a template is filled from: the document's facts, formatted for its language, with the
 * law from the policy tables (citations, periods, their sources) and the agency's letterhead. Every
 * key is always present (null or an empty list when the case does not know it), so templates run in
 * Handlebars' strict mode and a misspelt field fails at start-up, not in a sent document.
 */
import { CITATIONS, COUNTRIES, GB_PARTNERS, HOME_LAW, INSTRUMENTS, offencesFor, provisionalArrestWindow, type Period, type Rule } from '../workflows/policy';
import type { DocumentFacts } from '../workflows/documents';
import type { DocumentKind } from '../workflows/documents';
import type { AgencyProfile } from './agency';
import { placeholder } from './content';
import { countryName, formatDate, formatDateTime, formatPeriod, joinList, type Language } from './i18n';

const periodOf = (r: Rule<Period>, lang: Language) => ({ period: formatPeriod(r.value, lang), source: r.source });

function country(code: string | null | undefined, lang: Language) {
  return code ? { code, name: countryName(code, lang), language: COUNTRIES[code]?.language ?? null } : null;
}

/** The view for `facts` in `lang`. Pure. */
export function buildView(kind: DocumentKind, facts: DocumentFacts, agency: AgencyProfile, lang: Language) {
  const date = (iso: string) => formatDate(iso, lang);
  const dateTime = (iso: string) => formatDateTime(iso, lang);
  const a = facts.additions;
  const files = facts.files.map((f) => ({
    fileId: f.fileId,
    name: f.originalFileName ?? null,
    hashes: f.hashes.length ? f.hashes.join(', ') : null,
    viewed: f.viewedByProvider,
    exifViewed: f.exifViewedByProvider ?? null,
    publiclyAvailable: f.publiclyAvailable,
  }));
  const offences = offencesFor(facts.incident.type, facts.homeCountry).map((o) => ({ cite: o.cite, title: o.title, penalty: o.penalty, source: o.source }));
  const maxYears = Math.max(...offencesFor(facts.incident.type, facts.homeCountry).map((o) => o.maxYears));
  const destination = country(facts.destinationCountry, lang);
  // The destination as the agency's own table sees it (a UK force's: gb-partners.ts).
  const partners = facts.homeCountry === 'GB' ? GB_PARTNERS : COUNTRIES;
  const cloud = facts.destinationCountry ? partners[facts.destinationCountry]?.cloudActAgreementSince : undefined;
  const eu = facts.destinationCountry ? COUNTRIES[facts.destinationCountry]?.euEEvidenceSince : undefined;
  const related = facts.relatedRequests.map((r) => ({ id: r.requestId, kind: r.kind, status: r.status, reference: r.reference ?? null }));
  const relatedOf = (kind: string) => related.find((r) => r.kind === kind) ?? null;
  // The foreign side's questions as the liaison recorded them (the request's latest reason), when no answers were written yet.
  const questions = a.answers?.length ? null : (facts.request?.reason ?? null);
  const cite = Object.fromEntries(
    Object.entries(CITATIONS).map(([k, c]) => [k, { cite: c.cite, text: 'text' in c ? c.text : null, source: c.source }]),
  ) as Record<keyof typeof CITATIONS, { cite: string; text: string | null; source: string }>;
  // An order to a provider in Australia goes under the US–Australia agreement, not the US–UK one the template names by default.
  if (facts.destinationCountry === 'AU') {
    cite.cloudActAgreement = cite.cloudActAgreementAustralia;
    cite.cloudActSeriousCrime = cite.cloudActSeriousCrimeAustralia;
    cite.cloudActOrderRequirements = cite.cloudActOrderRequirementsAustralia;
  }
  const reference = facts.request?.requestId ?? facts.caseId;

  return {
    doc: {
      kind,
      language: lang,
      date: date(facts.preparedAt),
      reference: facts.sequence > 1 ? `${reference} (${facts.sequence})` : reference,
      sequence: facts.sequence,
    },
    agency: {
      name: agency.name,
      unit: agency.unit ?? null,
      address: agency.address,
      addressLine: agency.address.join(' · '),
      phone: agency.phone,
      email: agency.email,
      contact: agency.contact,
      twentyFourSeven: agency.twentyFourSeven ?? null,
      court: agency.court,
      prosecutor: agency.prosecutor,
      centralAuthority: agency.centralAuthority,
      embassy: agency.embassy,
      demonstration: agency.demonstration,
      home: country(facts.homeCountry, lang)!,
      /** An EU order can only be issued by a Member State's authority bound by the Regulation. */
      homeBoundByEEvidence: COUNTRIES[facts.homeCountry]?.euEEvidenceSince !== undefined,
    },
    case: {
      id: facts.caseId,
      ncmecReportNumber: facts.ncmecReportNumber,
      priority: facts.priority,
      emergency: facts.emergency,
      incidentType: facts.incident.type,
      incidentDate: dateTime(facts.incident.dateTime),
      escalated: facts.incident.escalated,
      linkedCases: facts.linkedCases.length ? facts.linkedCases.join(', ') : null,
    },
    provider: { name: facts.provider.name, service: facts.provider.service ?? null, country: country(facts.provider.dataCountry, lang)! },
    account: {
      espIdentifier: facts.account.espIdentifier,
      screenName: facts.account.screenName ?? null,
      displayNames: facts.account.displayNames.length ? joinList(facts.account.displayNames, lang) : null,
      deviceIds: facts.account.deviceIds.length ? facts.account.deviceIds.join(', ') : null,
      priorReports: facts.account.priorReports.length ? facts.account.priorReports.join(', ') : null,
      location: facts.account.location
        ? [
            facts.account.location.city,
            facts.account.location.region,
            facts.account.location.countryCode && countryName(facts.account.location.countryCode, lang),
          ]
            .filter(Boolean)
            .join(', ') || null
        : null,
      nationality: country(facts.account.nationality, lang),
    },
    ipEvents: facts.ipEvents.map((e) => ({
      ipAddress: e.ipAddress,
      event: e.event,
      dateTime: dateTime(e.dateTime),
      port: e.port ?? null,
      possibleProxy: e.possibleProxy,
      country: e.countryCode ? countryName(e.countryCode, lang) : null,
    })),
    files: {
      all: files,
      count: files.length,
      viewed: files.filter((f) => f.viewed),
      unviewed: files.filter((f) => !f.viewed),
      viewedCount: files.filter((f) => f.viewed).length,
      unviewedCount: files.filter((f) => !f.viewed).length,
    },
    victims: {
      count: facts.victims.length,
      list: facts.victims.map((v) => ({ ageRange: v.ageRange ?? null, country: v.countryCode ? countryName(v.countryCode, lang) : null })),
    },
    destination,
    /** What the destination's policy row says (treaty questions a letter must answer). */
    destinationPolicy: facts.destinationCountry
      ? {
          budapestParty: partners[facts.destinationCountry]?.budapestParty ?? false,
          extraditionTreaty: partners[facts.destinationCountry]?.extraditionTreatyWithHome ?? false,
          extraditesOwnNationals: partners[facts.destinationCountry]?.extraditesOwnNationals ?? false,
          nationalOfDestination: facts.account.nationality === facts.destinationCountry,
        }
      : null,
    homeBudapestParty: COUNTRIES[facts.homeCountry]?.budapestParty ?? false,
    suspectCountry: country(facts.suspectCountry, lang),
    dataCountry: country(facts.dataCountry, lang),
    request: facts.request
      ? { id: facts.request.requestId, kind: facts.request.kind, status: facts.request.status, reference: facts.request.reference ?? null }
      : null,
    related: {
      all: related,
      mlat: relatedOf('mlat'),
      extradition: relatedOf('extradition'),
      searchWarrant: relatedOf('search-warrant'),
      arrestWarrant: relatedOf('arrest-warrant'),
    },
    preservation: facts.preservation
      ? {
          state: facts.preservation.state,
          reference: facts.preservation.reference ?? placeholder('the provider’s reference of the first preservation request'),
          expiresAt: facts.preservation.expiresAt ? date(facts.preservation.expiresAt) : null,
          renewalsUsed: facts.preservation.renewalsUsed,
        }
      : null,
    warrant: facts.warrant ? { id: facts.warrant.warrantId, grantedAt: date(facts.warrant.grantedAt) } : null,
    arrestWarrant: facts.arrestWarrantId ?? relatedOf('arrest-warrant')?.reference ?? placeholder('the arrest warrant’s number and date'),
    offences,
    seriousCrime: maxYears >= 3,
    law: {
      cite,
      providerRetention: periodOf(INSTRUMENTS.providerRetention, lang),
      domesticPreservation: {
        ...periodOf(INSTRUMENTS.domesticPreservation.period, lang),
        renewals: INSTRUMENTS.domesticPreservation.renewals.value,
        renewalsSource: INSTRUMENTS.domesticPreservation.renewals.source,
      },
      budapestPreservation: periodOf(INSTRUMENTS.budapestPreservation.period, lang),
      euPreservation: periodOf(INSTRUMENTS.euPreservation.period, lang),
      euProduction: periodOf(INSTRUMENTS.euProductionOrder.production, lang),
      euEmergencyProduction: periodOf(INSTRUMENTS.euProductionOrder.emergencyProduction, lang),
      euRefusalWindow: periodOf(INSTRUMENTS.euProductionOrder.refusalWindow, lang),
      euEmergencyRefusalWindow: periodOf(INSTRUMENTS.euProductionOrder.emergencyRefusalWindow, lang),
      warrantExecution: periodOf(INSTRUMENTS.warrant.execution, lang),
      /** A UK force's papers: the PACE s.8 warrant's entry window, the overseas production order's period to produce. */
      paceEntry: periodOf(HOME_LAW.GB.searchWarrant.execution, lang),
      overseasProduction: periodOf(HOME_LAW.GB.directOrder.production!, lang),
      delayedNotice: periodOf(INSTRUMENTS.warrant.delayedNotice, lang),
      provisionalArrestWindow: facts.destinationCountry ? periodOf(provisionalArrestWindow(facts.destinationCountry), lang) : null,
      cloudActSince: cloud ? { date: date(cloud.value), source: cloud.source } : null,
      eEvidenceSince: eu ? { date: date(eu.value), source: eu.source } : null,
    },
    add: {
      probableCause: a.probableCause ?? placeholder('the affiant’s statement of the facts'),
      emergencyNarrative: a.emergencyNarrative ?? placeholder('the facts showing the emergency'),
      affiant: a.affiant ?? { name: placeholder('affiant’s name'), title: placeholder('affiant’s title') },
      judicialOfficer: a.judicialOfficer ?? { name: placeholder('judge or prosecutor issuing the order'), title: placeholder('their office') },
      answers: a.answers ?? [],
      questions: questions ?? (a.answers?.length ? null : placeholder('the questions the requested state asked')),
      edits: a.edits ?? null,
      amendment: a.amendment ?? null,
      procedures: a.procedures ?? null,
    },
    preparedBy: facts.preparedBy ?? null,
  };
}

export type DocumentView = ReturnType<typeof buildView>;

/**
 * Legal process already served (NCMEC's `lawEnforcement`), read at triage behind patch
 * legal-process-already-served, and the assessment's flags kept in the case.
 *
 * "Do not request twice" means, here: served domestically, the subscriber records already exist in
 * that agency's hands, so the case serves no subscriber process of its own — a coordinator obtains
 * the records from the agency (named, with its case number, in the timeline and in what the case waits
 * for) and resolves the jurisdiction. Everything after the jurisdiction is still the case's own: a
 * search warrant is particular to the agency that applies for it and its investigation (it cannot be
 * borrowed), and preservation is a request to keep, harmless to repeat. Served abroad: that process
 * went to a foreign agency and does not give ours the records; the liaison is told the country, to
 * coordinate, and the path is unchanged.
 *
 * The agency's name and case number are agency data, not the child's or the suspect's, but they are
 * tip content: they go to the case's timeline and status only, never to an alert's message (the
 * agency's alert system may log it) nor to the worker's log.
 */
import { legalProcessAlreadyServed } from '../../tip';
import { systems, type CaseContext } from '../context';
import type { PriorProcess } from '../record';
import { subscriberTarget } from './subscriber';

/** A flag is a code (`file:generativeAi`, `legalProcessServed:international:DE`): anything else an assessment returned is dropped, never kept. */
const FLAG_CODE = /^[A-Za-z][A-Za-z0-9_-]{0,63}(:[A-Za-z0-9_-]{1,64}){0,2}$/;

/** The assessment's flags as the case keeps them: codes only, sorted, each once. */
export function flagCodes(flags: readonly string[] | undefined): string[] {
  return [...new Set((flags ?? []).filter((f) => FLAG_CODE.test(f)))].sort();
}

/**
 * Reads the tip's `lawEnforcement` once per case (a retried triage finds it recorded). Returns true when
 * the case must not serve subscriber process of its own: served domestically, and the tip gives an
 * address the case would have asked about.
 */
export async function readPriorProcess(ctx: CaseContext): Promise<boolean> {
  const { state, rec, caseId } = ctx;
  if (state.priorProcess) return state.priorProcess.subscriberFromAgency;
  const served = legalProcessAlreadyServed(state.tip);
  const le = state.tip.lawEnforcement;
  if (!le || (!served.domestic && !served.international)) return false;
  const agency = `${le.agencyName}${le.caseNumber ? ` (case ${le.caseNumber})` : ''}`;
  const subscriberFromAgency = served.domestic && !state.subscriber && subscriberTarget(state.tip) !== undefined;
  if (served.domestic) {
    await ctx.sideStep('prior-process-alert', (c) =>
      systems.agency.alert(c, {
        to: 'coordinator',
        kind: 'legal-process-already-served',
        message: `case ${caseId}: legal process was already served domestically by another agency (named in the case's timeline): obtain its records before serving any`,
      }),
    );
    rec.log(
      'alert',
      `legal process already served domestically by ${agency} (NCMEC lawEnforcement)${
        subscriberFromAgency
          ? ': no subscriber process of this case’s own; a coordinator obtains the subscriber records from that agency and resolves the jurisdiction'
          : ''
      }; the search warrant is still this agency’s own`,
    );
  }
  if (served.international) {
    const where = served.internationalCountry ?? 'a country the report does not name';
    await ctx.sideStep('prior-process-abroad-alert', (c) =>
      systems.agency.alert(c, {
        to: 'liaison',
        kind: 'legal-process-served-abroad',
        message: `case ${caseId}: legal process was already served by law enforcement in ${served.internationalCountry ?? 'another country'}`,
      }),
    );
    rec.log(
      'alert',
      `legal process already served by law enforcement in ${where} (NCMEC lawEnforcement, reported by ${agency}): a liaison may coordinate with it; this case’s own process goes on as usual`,
    );
  }
  const record: PriorProcess = { agency: le.agencyName, domestic: served.domestic, subscriberFromAgency };
  if (le.caseNumber) record.caseNumber = le.caseNumber;
  if (served.internationalCountry) record.country = served.internationalCountry;
  state.priorProcess = record;
  if (subscriberFromAgency) {
    // The assessment's placing rested on the address the other agency's records will settle.
    record.geolocatedTo = state.suspectCountry;
    state.suspectCountry = null;
    rec.publish();
  }
  return subscriberFromAgency;
}

/** What JURISDICTION waits for when the subscriber records are the other agency's. */
export function fromAgencyQuestion(p: PriorProcess): string {
  const agency = `${p.agency}${p.caseNumber ? ` (case ${p.caseNumber})` : ''}`;
  const geo = p.geolocatedTo ? `; the address geolocates to ${p.geolocatedTo}` : '';
  return `the subscriber records from ${agency}, which already served legal process, and a decision on where the suspect is (resolve-jurisdiction)${geo}`;
}

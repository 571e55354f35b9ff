/**
 * Which legal instrument a case uses, decided from the policy tables: for evidence held abroad
 * (LEGAL-PROCESS.md §7) and for a suspect abroad (§8). Pure: the case logs the answer and its reason.
 */
import { COUNTRIES } from './countries';

export type EvidenceRoute = 'domestic-warrant' | 'cloud-act-order' | 'eu-production-order' | 'mlat' | 'foreign-evidence';
export type SuspectRoute = 'local-arrest' | 'extradition' | 'transfer-of-proceedings' | 'liaison';

export interface Routed<R> {
  route: R;
  /** Why, in words, with the rule's source: goes to the timeline. */
  why: string;
}

/** How to obtain evidence held in `dataCountry`, as of `isoDate` (the Regulation and agreements have start dates). */
export function evidenceRoute(a: { dataCountry: string; suspectCountry: string | null; home: string; isoDate: string }): Routed<EvidenceRoute> {
  if (a.dataCountry === a.home) return { route: 'domestic-warrant', why: `data held at home (${a.home}): search warrant (18 U.S.C. § 2703(a))` };
  const c = COUNTRIES[a.dataCountry];
  if (!c) return { route: 'foreign-evidence', why: `no policy for ${a.dataCountry}: a liaison arranges the channel` };
  const day = a.isoDate.slice(0, 10);
  const cloud = c.cloudActAgreementSince;
  if (cloud && day >= cloud.value) {
    // The agreement may not be used to target a person located in the receiving country.
    if (a.suspectCountry !== a.dataCountry) return { route: 'cloud-act-order', why: `data held in ${a.dataCountry}: direct order under ${cloud.source}` };
  }
  const eu = c.euEEvidenceSince;
  if (eu && day >= eu.value) return { route: 'eu-production-order', why: `data held in ${a.dataCountry}: EU production order (${eu.source})` };
  if (c.mlatWithHome) {
    const reason = cloud && a.suspectCountry === a.dataCountry ? ' (a CLOUD Act order may not target a person located there)' : '';
    return { route: 'mlat', why: `data held in ${a.dataCountry}: MLAT request through the central authorities (Criminal Resource Manual 276)${reason}` };
  }
  return { route: 'foreign-evidence', why: `no treaty route to ${a.dataCountry}: a liaison arranges the channel` };
}

/** What to do about a suspect located in `suspectCountry` (nationality, where known, decides extradition of nationals). */
export function suspectRoute(a: { suspectCountry: string; nationality: string | undefined; home: string }): Routed<SuspectRoute> {
  if (a.suspectCountry === a.home) return { route: 'local-arrest', why: 'suspect at home: arrest warrant and arrest' };
  const c = COUNTRIES[a.suspectCountry];
  if (!c) return { route: 'liaison', why: `no policy for ${a.suspectCountry}: extradition or transfer of proceedings must be arranged by a liaison` };
  if (!c.extraditionTreatyWithHome) {
    return { route: 'transfer-of-proceedings', why: `no extradition treaty with ${a.suspectCountry}: transfer of proceedings (aut dedere aut judicare)` };
  }
  if (a.nationality === a.suspectCountry && !c.extraditesOwnNationals) {
    return { route: 'transfer-of-proceedings', why: `${c.name} does not extradite its own nationals: transfer of proceedings (aut dedere aut judicare)` };
  }
  return { route: 'extradition', why: `extradition from ${a.suspectCountry} under the treaty (Criminal Resource Manual 602)` };
}

/** Whether a request to `country` must be translated (its language differs from the home country's). */
export function needsTranslation(country: string, home: string): string | null {
  const to = COUNTRIES[country]?.language;
  const from = COUNTRIES[home]?.language ?? 'en';
  return to && to !== from ? to : null;
}

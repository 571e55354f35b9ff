/**
 * Which legal instrument a case uses, decided from the policy tables: for evidence held abroad
 * (docs/legal-process.md, "The evidence") and for a suspect abroad ("The suspect"). Pure: the case logs the answer and its reason.
 */
import { COUNTRIES, isGap, type CountryTable } from './countries';
import { HOME_LAW, type HomeLaw } from './home-law';

export type EvidenceRoute = 'domestic-warrant' | 'cloud-act-order' | 'eu-production-order' | 'mlat' | 'foreign-evidence';
export type SuspectRoute = 'local-arrest' | 'extradition' | 'transfer-of-proceedings' | 'liaison';

export interface Routed<R> {
  route: R;
  /** Why, in words, with the rule's source: goes to the timeline. */
  why: string;
}

/**
 * Whether an agency in `home` may issue an EU order (production or preservation) for data held in
 * `dataCountry` on `day`: both must be member states bound by Regulation (EU) 2023/1543 — only a
 * member state's issuing authority issues one (Art. 4), to a provider in the Union. With `issuerRule`
 * false (cases routed before the rule, patch eu-orders-need-an-eu-issuer), any home did.
 */
export function euOrderAvailable(dataCountry: string, home: string, day: string, issuerRule = true, countries: CountryTable = COUNTRIES): boolean {
  const bound = (code: string) => {
    const since = countries[code]?.euEEvidenceSince?.value;
    return since !== undefined && day.slice(0, 10) >= since;
  };
  return bound(dataCountry) && (!issuerRule || bound(home));
}

/** How to obtain evidence held in `dataCountry`, as of `isoDate` (the Regulation and agreements have start dates). */
export function evidenceRoute(a: {
  dataCountry: string;
  suspectCountry: string | null;
  home: string;
  isoDate: string;
  euIssuerRule?: boolean;
  /** The suspect's nationality, where known: some CLOUD Act agreements protect the receiving country's nationals wherever they are. */
  nationality?: string | undefined;
  /** The table the case routes by (countryTable(): the full one, or the ten-country table of cases routed before it). */
  countries?: CountryTable;
  /** The home law the case follows: its search warrant and direct order (home-law.ts); the US's by default. */
  law?: HomeLaw;
}): Routed<EvidenceRoute> {
  const law = a.law ?? HOME_LAW.US;
  if (a.dataCountry === a.home) return { route: 'domestic-warrant', why: `data held at home (${a.home}): search warrant (${law.searchWarrant.citation})` };
  const countries = a.countries ?? COUNTRIES;
  const c = countries[a.dataCountry];
  if (!c) return { route: 'foreign-evidence', why: `no policy for ${a.dataCountry}: a liaison arranges the channel` };
  const day = a.isoDate.slice(0, 10);
  const cloud = c.cloudActAgreementSince;
  const protectsNationals = c.facts?.cloudActProtectsNationals?.value === true && a.nationality === a.dataCountry;
  if (cloud && day >= cloud.value) {
    // The agreement may not be used to target a person located in the receiving country (nor, for some, one of its nationals).
    if (a.suspectCountry !== a.dataCountry && !protectsNationals) {
      const order = law === HOME_LAW.US ? 'direct order' : `${law.directOrder.name} (${law.directOrder.citation})`;
      return { route: 'cloud-act-order', why: `data held in ${a.dataCountry}: ${order} under ${cloud.source}` };
    }
  }
  if (euOrderAvailable(a.dataCountry, a.home, day, a.euIssuerRule ?? true, countries)) {
    return { route: 'eu-production-order', why: `data held in ${a.dataCountry}: EU production order (${c.euEEvidenceSince!.source})` };
  }
  const mlatGap = c.facts && isGap(c.facts.mlatWithHome) && c.facts.mlatWithHome.value === null ? c.facts.mlatWithHome.gap : null;
  if (mlatGap) return { route: 'foreign-evidence', why: `no MLAT with ${a.dataCountry} on record (${mlatGap}): a liaison arranges the channel` };
  if (c.mlatWithHome) {
    const reason =
      cloud && a.suspectCountry === a.dataCountry
        ? ' (a CLOUD Act order may not target a person located there)'
        : cloud && day >= cloud.value && protectsNationals
          ? ` (a CLOUD Act order may not target a national of ${a.dataCountry}: ${c.facts!.cloudActProtectsNationals!.source})`
          : euOrderAvailable(a.dataCountry, a.home, day, false, countries)
            ? ` (an EU production order is issued only by a member state's authority, Reg. (EU) 2023/1543 Art. 4; ${a.home} is not one)`
            : '';
    return { route: 'mlat', why: `data held in ${a.dataCountry}: MLAT request through the central authorities (${law.mlatChannel})${reason}` };
  }
  return { route: 'foreign-evidence', why: `no treaty route to ${a.dataCountry}: a liaison arranges the channel` };
}

/** What to do about a suspect located in `suspectCountry` (nationality, where known, decides extradition of nationals). */
export function suspectRoute(a: {
  suspectCountry: string;
  nationality: string | undefined;
  home: string;
  countries?: CountryTable;
  law?: HomeLaw;
}): Routed<SuspectRoute> {
  if (a.suspectCountry === a.home) {
    const onSearch = a.law?.arrestOnSearch;
    return {
      route: 'local-arrest',
      why: onSearch
        ? `suspect at home: a search of the premises under warrant (${a.law!.searchWarrant.citation}) and the arrest on it (${onSearch.source})`
        : 'suspect at home: arrest warrant and arrest',
    };
  }
  const c = (a.countries ?? COUNTRIES)[a.suspectCountry];
  if (!c) return { route: 'liaison', why: `no policy for ${a.suspectCountry}: extradition or transfer of proceedings must be arranged by a liaison` };
  // A gap is a question for a person, never a guess: neither extradition nor a transfer is started on it.
  const treaty = c.facts?.extraditionTreatyWithHome;
  if (treaty && isGap(treaty) && treaty.value === null) {
    return {
      route: 'liaison',
      why: `no extradition treaty with ${a.suspectCountry} on record (${treaty.gap}): a liaison must arrange extradition or a transfer of proceedings`,
    };
  }
  const nationals = c.facts?.extraditesOwnNationals;
  if (a.nationality === a.suspectCountry && nationals && isGap(nationals) && nationals.value === null) {
    return {
      route: 'liaison',
      why: `whether ${c.name} extradites its own nationals is not on record (${nationals.gap}): a liaison must arrange extradition or a transfer of proceedings`,
    };
  }
  if (!c.extraditionTreatyWithHome) {
    return { route: 'transfer-of-proceedings', why: `no extradition treaty with ${a.suspectCountry}: transfer of proceedings (aut dedere aut judicare)` };
  }
  if (a.nationality === a.suspectCountry && !c.extraditesOwnNationals) {
    return { route: 'transfer-of-proceedings', why: `${c.name} does not extradite its own nationals: transfer of proceedings (aut dedere aut judicare)` };
  }
  return { route: 'extradition', why: `extradition from ${a.suspectCountry} under the treaty (Criminal Resource Manual 602)` };
}

/** Whether a request to `country` must be translated (its language differs from the home country's). */
export function needsTranslation(country: string, home: string, countries: CountryTable = COUNTRIES): string | null {
  const to = countries[country]?.language;
  const from = countries[home]?.language ?? 'en';
  return to && to !== from ? to : null;
}

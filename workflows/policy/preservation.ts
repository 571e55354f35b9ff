/** Which preservation instrument applies to data held in a country, as of a date (docs/legal-process.md, "Preservation"). */
import { COUNTRIES, type CountryTable } from './countries';
import { euOrderAvailable } from './routing';

export type PreservationInstrument = 'us-2703f' | 'budapest-art29' | 'eu-preservation-order';

/**
 * § 2703(f) at home (a US agency); abroad an EU preservation order where the agency may issue one
 * (both states bound by the Regulation: see euOrderAvailable), else the Budapest 24/7 network.
 */
export function preservationInstrument(
  country: string,
  home: string,
  at: Date,
  euIssuerRule = true,
  countries: CountryTable = COUNTRIES,
): PreservationInstrument | null {
  if (country === home) return home === 'US' ? 'us-2703f' : null;
  const c = countries[country];
  if (!c) return null;
  if (euOrderAvailable(country, home, at.toISOString(), euIssuerRule, countries)) return 'eu-preservation-order';
  // A party from the Convention's entry into force for it (where the date is known).
  const inForce = c.facts?.budapestInForce?.value;
  return c.budapestParty && (inForce == null || at.toISOString().slice(0, 10) >= inForce) ? 'budapest-art29' : null;
}

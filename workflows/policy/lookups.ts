/** Questions the stages ask of the tables, answered in one place (country rule, else the instrument's default). */
import { COUNTRIES, type CountryTable } from './countries';
import { INSTRUMENTS } from './instruments';
import type { Period, Rule } from './rule';

/** Days after a provisional arrest by which the formal extradition request must arrive in `country`. */
export function provisionalArrestWindow(country: string): Rule<Period> {
  const own = COUNTRIES[country]?.provisionalArrestWindowDays;
  return own ? { value: { days: own.value }, source: own.source, kind: own.kind } : INSTRUMENTS.extradition.formalRequestAfterProvisionalArrest;
}

/** Whether the e-Evidence Regulation binds `country` on `isoDate` (YYYY-MM-DD…). */
export function eEvidenceApplies(country: string, isoDate: string, countries: CountryTable = COUNTRIES): boolean {
  const since = countries[country]?.euEEvidenceSince?.value;
  return since !== undefined && isoDate.slice(0, 10) >= since;
}

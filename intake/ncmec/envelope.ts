/**
 * CaseBridge's envelope around NCMEC's documents — not part of NCMEC's schema, which has no element
 * for what NCMEC adds when it hands a report on (its report number, its priority, the reporting
 * company):
 *
 *   <receivedReport reportId="190000001" priority="1" espName="ExampleChat Inc." dataCountry="US">
 *     <report>…NCMEC's report, as the provider wrote it…</report>
 *     <fileDetails>…one per file, as the provider wrote them…</fileDetails>
 *     <simulatorDirective>casebridge-sim:searchWarrants=grant</simulatorDirective>   (sample reports only)
 *   </receivedReport>
 *
 * and a batch of them, read one at a time (streamed): `<receivedReports>` holding any number of
 * `<receivedReport>`. Every attribute is optional: docs/ncmec-intake.md says where each value comes
 * from when it is absent. The `<report>` and `<fileDetails>` inside are validated as NCMEC's schema
 * defines them.
 */
import { CountryCodeSchema } from '../../workflows/policy/iso-countries';
import { attr, complex, el, many, seq, simple } from './schema/content-model';
import { FILE_DETAILS, REPORT } from './schema/model';
import { enumeration, pattern, xsString } from './schema/simple-types';

export const RECEIVED_REPORT_NAME = 'receivedReport';
export const RECEIVED_REPORTS_NAME = 'receivedReports';

export const RECEIVED_REPORT = el(
  RECEIVED_REPORT_NAME,
  complex(
    seq(REPORT, { ...FILE_DETAILS, min: 0, max: Infinity }, el('simulatorDirective', simple(xsString), many)),
    attr('reportId', pattern(/[0-9]{1,19}/, 'an NCMEC report number (digits)')),
    attr('priority', enumeration(['1', '2', '3'])),
    attr('espName', xsString),
    attr('dataCountry', CountryCodeSchema),
  ),
);

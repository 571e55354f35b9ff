/**
 * The name and request language of every listed country. The language is the one CaseBridge
 * translates requests into (an official language of the country, ISO 639-1); where a country has
 * several (BE, CH, CA, LU, …) the first listed is a default a liaison overrides for the region that
 * executes the request.
 */
const ROWS =
  'AD Andorra ca|AE United Arab Emirates ar|AG Antigua and Barbuda en|AL Albania sq|AM Armenia hy|AR Argentina es|AT Austria de|AU Australia en|' +
  'AZ Azerbaijan az|BA Bosnia and Herzegovina bs|BB Barbados en|BE Belgium nl|BG Bulgaria bg|BJ Benin fr|BM Bermuda en|BO Bolivia es|BR Brazil pt|' +
  'BS Bahamas en|BZ Belize en|CA Canada en|CG Republic of the Congo fr|CH Switzerland de|CI Côte d’Ivoire fr|CL Chile es|CM Cameroon fr|CN China zh|' +
  'CO Colombia es|CR Costa Rica es|CU Cuba es|CV Cabo Verde pt|CY Cyprus el|CZ Czech Republic cs|DE Germany de|DK Denmark da|DM Dominica en|' +
  'DO Dominican Republic es|EC Ecuador es|EE Estonia et|EG Egypt ar|ES Spain es|FI Finland fi|FJ Fiji en|FM Micronesia en|FR France fr|' +
  'GB United Kingdom en|GD Grenada en|GE Georgia ka|GH Ghana en|GM Gambia en|GR Greece el|GT Guatemala es|HK Hong Kong zh|HN Honduras es|' +
  'HR Croatia hr|HT Haiti fr|HU Hungary hu|IE Ireland en|IL Israel he|IN India en|IQ Iraq ar|IS Iceland is|IT Italy it|JM Jamaica en|JO Jordan ar|' +
  'JP Japan ja|KE Kenya en|KI Kiribati en|KN Saint Kitts and Nevis en|KR South Korea ko|LC Saint Lucia en|LI Liechtenstein de|LK Sri Lanka si|' +
  'LR Liberia en|LS Lesotho en|LT Lithuania lt|LU Luxembourg fr|LV Latvia lv|MA Morocco ar|MC Monaco fr|MD Moldova ro|ME Montenegro sr|' +
  'MK North Macedonia mk|MM Myanmar my|MT Malta en|MU Mauritius en|MX Mexico es|MY Malaysia ms|NG Nigeria en|NI Nicaragua es|NL Netherlands nl|' +
  'NO Norway no|NZ New Zealand en|PA Panama es|PE Peru es|PG Papua New Guinea en|PH Philippines en|PL Poland pl|PT Portugal pt|PW Palau en|' +
  'PY Paraguay es|RO Romania ro|RS Serbia sr|RU Russia ru|SC Seychelles en|SE Sweden sv|SG Singapore en|SI Slovenia sl|SK Slovakia sk|' +
  'SL Sierra Leone en|SM San Marino it|SN Senegal fr|SR Suriname nl|SV El Salvador es|SZ Eswatini en|TH Thailand th|TO Tonga en|TR Türkiye tr|' +
  'TT Trinidad and Tobago en|TV Tuvalu en|TZ Tanzania en|UA Ukraine uk|US United States en|UY Uruguay es|VC Saint Vincent and the Grenadines en|' +
  'VE Venezuela es|ZA South Africa en|ZM Zambia en|ZW Zimbabwe en';

export const NAMES: Readonly<Record<string, { name: string; language: string }>> = Object.fromEntries(
  ROWS.split('|').map((row) => {
    const code = row.slice(0, 2);
    const language = row.slice(row.lastIndexOf(' ') + 1);
    return [code, { name: row.slice(3, row.lastIndexOf(' ')), language }];
  }),
);

/**
 * NCMEC reports in: the maximal report (every element and attribute of the schema at least once)
 * maps onto the tip; malformed XML and schema violations are refused naming the element path and
 * line; file details come with their report or are refused; the report number comes from where it
 * is given and must agree.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import yazl from 'yazl';
import { readIntakeFile, type IntakeEntry, type IntakeOptions } from '../../intake/ncmec';
import type { ElementDef, GroupDef } from '../../intake/ncmec/schema/content-model';
import { FILE_DETAILS, REPORT } from '../../intake/ncmec/schema/model';
import { validateElement, type Issue, type Node } from '../../intake/ncmec/validate';
import { readXmlUnits, type XmlElement } from '../../intake/ncmec/xml-units';
import { sampleFileDetails, sampleReceivedReport, sampleReport } from '../../bench/ncmec-sample';
import type { Tip } from '../../workflows/tip';

const MAXIMAL = fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'ncmec', 'maximal.xml'), 'utf8');

async function read(name: string, input: string | Buffer | AsyncIterable<Uint8Array | string>, opts?: IntakeOptions): Promise<IntakeEntry[]> {
  const source = typeof input === 'string' ? Buffer.from(input) : input;
  const out: IntakeEntry[] = [];
  for await (const e of readIntakeFile(name, source, opts)) out.push(e);
  return out;
}

async function tipOf(xml: string, opts?: IntakeOptions): Promise<Tip> {
  const [e, ...rest] = await read('report.xml', xml, opts);
  expect(rest).toEqual([]);
  if (!('tip' in e)) throw new Error(`refused: ${e.issues.join('\n')}`);
  return e.tip;
}

async function refusal(xml: string, opts?: IntakeOptions): Promise<{ position: number; line: number; issues: string[] }> {
  const entries = await read('report.xml', xml, opts);
  expect(entries).toHaveLength(1);
  const [e] = entries;
  if ('tip' in e) throw new Error('accepted, expected a refusal');
  return { position: e.position, line: e.line, issues: e.issues };
}

/** The line (1-based) of the first occurrence of `text` in `xml`. */
const lineOf = (xml: string, text: string): number => {
  const at = xml.indexOf(text);
  if (at < 0) throw new Error(`${text} not in the document`);
  return xml.slice(0, at).split('\n').length;
};

function zip(entries: Record<string, string>): Promise<Buffer> {
  const z = new yazl.ZipFile();
  for (const [name, text] of Object.entries(entries)) z.addBuffer(Buffer.from(text), name);
  z.end();
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    z.outputStream.on('data', (c: Buffer) => chunks.push(c));
    z.outputStream.on('end', () => resolve(Buffer.concat(chunks)));
    z.outputStream.on('error', reject);
  });
}

describe('the maximal report', () => {
  it('holds every element and attribute of NCMEC report and fileDetails schema at least once (the fixture is complete)', async () => {
    const units: XmlElement[] = [];
    for await (const ev of readXmlUnits([MAXIMAL], { batchRoots: [] })) if (ev.kind === 'unit') units.push(ev.element);
    const [envelope] = units;
    // A declaration is an element or attribute of one type (NCMEC's `person`, `address`, … are each
    // one type wherever they are used): each must occur at least once somewhere in the fixture.
    const ids = new Map<object, number>();
    const id = (t: object): number => ids.get(t) ?? (ids.set(t, ids.size), ids.size - 1);
    const defined = new Set<string>();
    const declared = (def: ElementDef, parent: string, seen: Set<object> = new Set()): void => {
      defined.add(`${parent} ${def.name}`);
      const t = id(def.type);
      for (const a of def.type.attributes) defined.add(`${t} @${a.name}`);
      if (def.type.content !== 'elements' || seen.has(def.type)) return;
      seen.add(def.type);
      const group = (g: GroupDef): void => g.items.forEach((p) => (p.kind === 'element' ? declared(p, String(t), seen) : group(p)));
      group(def.type.group);
    };
    declared(REPORT, 'root');
    declared(FILE_DETAILS, 'root');
    const covered = new Set<string>();
    const issues: Issue[] = [];
    const visit = (n: Node, def: ElementDef, parent: string): void => {
      covered.add(`${parent} ${def.name}`);
      const t = id(def.type);
      for (const a of Object.keys(n.attrs)) covered.add(`${t} @${a}`);
      if (def.type.content !== 'elements') return;
      const defs = new Map<string, ElementDef>();
      const group = (g: GroupDef): void => g.items.forEach((p) => (p.kind === 'element' ? defs.set(p.name, p) : group(p)));
      group(def.type.group);
      for (const c of n.children) visit(c, defs.get(c.name)!, String(t));
    };
    for (const el of envelope.children) {
      if (el.name === 'report') visit(validateElement(el, REPORT, 'report', issues), REPORT, 'root');
      if (el.name === 'fileDetails') visit(validateElement(el, FILE_DETAILS, 'fileDetails', issues), FILE_DETAILS, 'root');
    }
    expect(issues).toEqual([]);
    expect(defined.size).toBeGreaterThan(200);
    const names = (keys: string[]) => keys.map((k) => k.split(' ')[1]);
    expect(names([...defined].filter((k) => !covered.has(k)))).toEqual([]);
  });

  it('maps onto the tip: escalation reason, annotations, file annotations, law enforcement, batch, contacts, location, recipients, victims', async () => {
    const tip = await tipOf(MAXIMAL);
    expect(tip).toMatchObject({
      ncmecReportNumber: '190000101',
      priority: 2,
      batchedReport: { reason: 'VIRAL_POTENTIAL_MEME' },
      incidentSummary: {
        incidentType: 'Online Enticement of Children for Sexual Acts',
        platform: 'ExampleChat',
        escalateToHighPriority: 'The reported user arranged to meet the child tomorrow.',
        reportAnnotations: ['sextortion', 'csamSolicitation', 'minorToMinorInteraction', 'spam', 'sadisticOnlineExploitation'],
        incidentDateTime: '2026-10-15T08:00:00-07:00',
      },
      reporter: {
        espName: 'ExampleChat Inc.',
        dataCountry: 'US',
        reportingPerson: { firstName: 'Robin', lastName: 'Reporter', phone: ['+1 5550102 ext. 7'], email: ['safety@example.com'] },
        contactPerson: { firstName: 'Casey', email: ['le-requests@example.com'] },
      },
      personOrUserReported: {
        espIdentifier: 'user-8841203',
        screenName: 'nightowl_77',
        displayName: ['Night Owl', 'N.O.'],
        deviceId: ['356938035643809'],
        priorCTReports: ['180000001', '180000002'],
        ipCaptureEvent: [
          { ipAddress: '198.51.100.23', eventName: 'Upload', possibleProxy: false, port: 443 },
          { ipAddress: '2001:db8::17', eventName: 'Login', possibleProxy: true },
        ],
        estimatedLocation: { city: 'Columbus', region: 'OH', countryCode: 'US', verified: false, timestamp: '2026-10-15T08:00:00Z' },
        person: { firstName: 'Sam', age: 34, dateOfBirth: '1992-05-06' },
        groupIdentifier: 'group-x',
      },
      intendedRecipient: [{ espIdentifier: 'user-5550001', person: { firstName: 'Alex', age: 13 }, estimatedLocation: { region: 'OH', countryCode: 'US' } }],
      victim: [{ espIdentifier: 'user-5550002', schoolName: 'Example Middle School', person: { firstName: 'Jo', age: 12, dateOfBirth: '2014-03-04' } }],
      lawEnforcement: {
        agencyName: 'Example County Sheriff',
        caseNumber: 'ECS-2026-0042',
        officerContact: { lastName: 'Officer' },
        reportedToLe: true,
        servedLegalProcessDomestic: true,
        servedLegalProcessInternational: { served: true, country: 'GB' },
      },
      additionalInfo: 'Reported after a user flagged the chat.',
      simulatorDirectives: ['casebridge-sim:searchWarrants=grant'],
    });
    expect(tip.files).toEqual([
      expect.objectContaining({
        fileId: 'f-1',
        originalFileName: 'IMG_0001.jpg',
        fileViewedByEsp: true,
        exifViewedByEsp: false,
        publiclyAvailable: false,
        fileRelevance: 'Reported',
        industryClassification: 'A1',
        originalFileHash: ['9f86d081884c7d659a2feaa0c55ad015', '2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae'],
        fileAnnotations: expect.arrayContaining(['generativeAi', 'viral', 'potentialMeme', 'infant']),
      }),
      // The older <potentialMeme>true</potentialMeme> reads as the annotation.
      expect.objectContaining({ fileId: 'f-2', fileViewedByEsp: false, fileRelevance: 'Supplemental Reported', fileAnnotations: ['potentialMeme'] }),
    ]);
    expect(tip.files[0].fileAnnotations).toHaveLength(10);
  });

  it('a file the provider does not say it viewed is taken as not viewed (Wilson: a warrant first)', async () => {
    const xml = sampleReceivedReport('190000102', { files: 1 }).replace(/<fileViewedByEsp>[a-z]+<\/fileViewedByEsp>/, '');
    expect((await tipOf(xml)).files[0].fileViewedByEsp).toBe(false);
  });
});

describe('malformed XML: refused as a whole (position 0), with the line', () => {
  const good = sampleReceivedReport('190000201');
  it.each([
    ['a mismatched close tag', good.replace('</platform>', '</platfrm>'), lineOf(good, '</platform>'), /not well-formed XML: unexpected close tag/],
    ['an unclosed element (found at the end)', good.replace('</receivedReport>', ''), good.split('\n').length, /not well-formed XML: unclosed tag/],
    [
      'an undefined entity',
      good.replace('ExampleChat Messenger', 'Example &chat; Messenger'),
      lineOf(good, 'ExampleChat Messenger'),
      /not well-formed XML: undefined entity/,
    ],
    ['two roots', `${good}\n${good}`, good.split('\n').length + 1, /not well-formed XML/],
    ['a DOCTYPE (no entities, ever)', `<?xml version="1.0"?>\n<!DOCTYPE report [<!ENTITY x "y">]>\n${good}`, 2, /a DOCTYPE is not allowed/],
    ['another encoding', `<?xml version="1.0" encoding="ISO-8859-1"?>\n${good}`, 1, /encoding ISO-8859-1: NCMEC reports are UTF-8/],
    [
      'an unknown root',
      '<tip><ncmecReportNumber>1</ncmecReportNumber></tip>',
      1,
      /the root element <tip> is none of <report>, <fileDetails>, <receivedReport>, <receivedReports>/,
    ],
    ['nothing but whitespace', '   \n  ', 2, /document must contain a root element/],
    ['neither XML nor a ZIP', 'ncmecReportNumber,incidentType\n', 1, /is neither NCMEC XML .* nor a ZIP of them/],
  ])('%s', async (_what, xml, line, message) => {
    const entries = await read('bad.xml', xml);
    expect(entries).toEqual([{ position: 0, line, error: expect.stringMatching(message), issues: [expect.stringMatching(message)] }]);
    expect((entries[0] as { error: string }).error.startsWith(`line ${line}: `)).toBe(true);
  });

  it('bytes that are not UTF-8', async () => {
    const bytes = Buffer.concat([Buffer.from(good.slice(0, 200)), Buffer.from([0xff, 0xfe, 0xfd]), Buffer.from(good.slice(200))]);
    expect(await read('bad.xml', bytes)).toEqual([expect.objectContaining({ position: 0, error: expect.stringMatching(/not UTF-8/) })]);
  });

  it('a JSON tip file is not taken for XML', async () => {
    expect(await read('tip.json', '{"ncmecReportNumber":"190000001"}')).toEqual([
      expect.objectContaining({ position: 0, error: expect.stringMatching(/is JSON/) }),
    ]);
  });
});

describe('schema violations: the element path and line, nothing else read into a tip', () => {
  const good = sampleReceivedReport('190000301');
  const at = (xml: string, text: string) => lineOf(xml, text);
  it.each<[string, string, string, string | RegExp, string]>([
    [
      'an incident type NCMEC does not define',
      good.replace('Child Pornography (possession, manufacture, and distribution)', 'Jaywalking'),
      'receivedReport/report/incidentSummary/incidentType',
      /must be one of Child Pornography .*Online Enticement of Children for Sexual Acts/,
      '<incidentType>',
    ],
    [
      'elements out of order',
      good.replace('<platform>ExampleChat</platform>', '').replace('</incidentSummary>', '<platform>ExampleChat</platform></incidentSummary>'),
      'receivedReport/report/incidentSummary/platform',
      /out of order or repeated too often: in NCMEC's schema <incidentSummary> holds incidentType, platform/,
      '<platform>',
    ],
    [
      'a required element missing',
      good.replace(/<reporter>[\s\S]*<\/reporter>/, ''),
      'receivedReport/report/reporter',
      "is missing: NCMEC's schema requires it here",
      '<personOrUserReported>',
    ],
    [
      'an element the schema does not have',
      good.replace('<espService>', '<shoeSize>9</shoeSize><espService>'),
      'receivedReport/report/personOrUserReported[1]/shoeSize',
      "is not an element of <personOrUserReported> in NCMEC's schema",
      '<shoeSize>',
    ],
    [
      'a boolean that is not one',
      good.replace('<publiclyAvailable>false', '<publiclyAvailable>no'),
      'receivedReport/fileDetails[1]/publiclyAvailable',
      'must be true or false',
      '<publiclyAvailable>',
    ],
    [
      'a date-time that is not one',
      good.replace('<incidentDateTime>2026-10-30T21:14:00Z', '<incidentDateTime>30/10/2026'),
      'receivedReport/report/incidentSummary/incidentDateTime',
      /must be an xs:dateTime/,
      '<incidentDateTime>',
    ],
    [
      'a flag with a value other than true',
      good.replace('<incidentDateTime>', '<reportAnnotations><sextortion>false</sextortion></reportAnnotations><incidentDateTime>'),
      'receivedReport/report/incidentSummary/reportAnnotations/sextortion',
      'must be empty (a flag) or true: the schema fixes its value to true',
      '<reportAnnotations>',
    ],
    [
      'a flag twice',
      good.replace('<incidentDateTime>', '<reportAnnotations><spam/><spam/></reportAnnotations><incidentDateTime>'),
      'receivedReport/report/incidentSummary/reportAnnotations/spam',
      'appears more than once',
      '<reportAnnotations>',
    ],
    [
      'an attribute value outside its enumeration',
      good.replace('<address type="Business">', '<address type="Castle">'),
      'receivedReport/report/reporter/reportingPerson/address[1]/@type',
      'must be one of Home, Business, Billing, Shipping, Technical',
      '<address type',
    ],
    [
      'an attribute the schema does not have',
      good.replace('<espIdentifier>', '<espIdentifier verified="true">'),
      'receivedReport/report/personOrUserReported[1]/espIdentifier/@verified',
      "is not an attribute of <espIdentifier> in NCMEC's schema",
      '<espIdentifier',
    ],
    [
      'a required attribute missing',
      good.replace('<originalFileHash hashType="MD5">', '<originalFileHash>'),
      'receivedReport/fileDetails[1]/originalFileHash[1]/@hashType',
      "is required by NCMEC's schema",
      '<originalFileHash',
    ],
    [
      'an empty internetDetails (a choice of one incident kind)',
      good.replace('</incidentSummary>', '</incidentSummary><internetDetails></internetDetails>'),
      'receivedReport/report/internetDetails[1]',
      /needs one of <webPageIncident>, <emailIncident>/,
      '<internetDetails>',
    ],
    ['text among elements', good.replace('<reporter>', '<reporter>hello'), 'receivedReport/report/reporter', 'holds elements only, not text', '<reporter>'],
    [
      'an element inside a value',
      good.replace('<screenName>', '<screenName><b>x</b>'),
      'receivedReport/report/personOrUserReported[1]/screenName',
      /holds a value, not elements/,
      '<b>',
    ],
    [
      'a namespace NCMEC does not use',
      good.replace('<report>', '<report xmlns="urn:other">'),
      'receivedReport/report',
      /is in the XML namespace urn:other/,
      '<report',
    ],
    [
      'xsi:type',
      good.replace('<report>', '<report xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="x">'),
      'receivedReport/report/@xsi:type',
      /is not supported/,
      '<report',
    ],
    [
      'a report id that is no xs:long',
      good.replace('<reportId>190000301</reportId>', '<reportId>19e7</reportId>'),
      'receivedReport/fileDetails[1]/reportId',
      /xs:long/,
      '<reportId>',
    ],
  ])('%s', async (_what, xml, where, message, lineText) => {
    const r = await refusal(xml);
    expect(r.position).toBe(1);
    const issue = r.issues.find((i) => i.includes(`: ${where}: `));
    expect(issue).toBeDefined();
    expect(issue!.slice(issue!.indexOf(`${where}: `) + where.length + 2)).toMatch(
      typeof message === 'string' ? new RegExp(message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')) : message,
    );
    expect(issue!.startsWith(`line ${at(xml, lineText)}: `)).toBe(true);
    // Messages name fields and rules, never the report's content.
    expect(r.issues.join('\n')).not.toMatch(/user-190000301|sample_190000301|safety@example\.com/);
  });
});

describe("CaseBridge's own rules, said of the element the field comes from", () => {
  const good = sampleReceivedReport('190000401');
  it.each<[string, string, string, RegExp]>([
    [
      'an IP address that is none',
      good.replace('198.51.100.23', '999.1.1.1'),
      'receivedReport/report/personOrUserReported[1]/ipCaptureEvent[1]/ipAddress',
      /must be an IPv4 or IPv6 address/,
    ],
    [
      'a date-time without a time zone',
      good.replace('2026-10-30T21:14:00Z', '2026-10-30T21:14:00'),
      'receivedReport/report/incidentSummary/incidentDateTime',
      /with a time zone/,
    ],
    [
      'no reported person or user',
      good.replace(/<personOrUserReported>[\s\S]*<\/personOrUserReported>/, ''),
      'receivedReport/report/personOrUserReported',
      /CaseBridge needs the reported person or user/,
    ],
    [
      'two reported persons',
      good.replace(/(<personOrUserReported>[\s\S]*<\/personOrUserReported>)/, '$1$1'),
      'receivedReport/report/personOrUserReported[2]',
      /NCMEC's documentation allows 0 or 1 per report/,
    ],
    ['no espIdentifier', good.replace(/<espIdentifier>.*<\/espIdentifier>/, ''), 'receivedReport/report/personOrUserReported[1]', /espIdentifier/],
    ['no file details', good.replace(/<fileDetails>[\s\S]*<\/fileDetails>/, ''), 'receivedReport/report', /came without <fileDetails>/],
    [
      'the same file twice',
      good.replace('<fileId>f-2</fileId>', '<fileId>f-1</fileId>'),
      'receivedReport/fileDetails[2]/fileId',
      /an earlier <fileDetails> of this report already described/,
    ],
    [
      'no provider anywhere',
      good
        .replace(' espName="ExampleChat Inc."', '')
        .replace('<platform>ExampleChat</platform>', '')
        .replace(/<espService>.*<\/espService>/, ''),
      'receivedReport/report/reporter',
      /names no provider/,
    ],
    [
      'no country for the data anywhere',
      good.replace(' dataCountry="US"', '').replace('<country>US</country>', ''),
      'receivedReport/report/reporter',
      /where the provider holds the data/,
    ],
  ])('%s', async (_what, xml, where, message) => {
    const r = await refusal(xml);
    expect(r.issues).toEqual(expect.arrayContaining([expect.stringMatching(new RegExp(`^line \\d+: ${where.replace(/[[\]]/g, '\\$&')}: `))]));
    expect(r.issues.join('\n')).toMatch(message);
  });

  it('falls back to the platform for the provider and to the company address for the data country', async () => {
    const tip = await tipOf(good.replace(' espName="ExampleChat Inc."', '').replace(' dataCountry="US"', ''));
    expect(tip.reporter).toMatchObject({ espName: 'ExampleChat', dataCountry: 'US' });
  });
});

describe('the report number', () => {
  const n = '190000501';
  it('comes from the envelope, or from the file details (NCMEC echoes its reportId there), or from the caller', async () => {
    expect((await tipOf(sampleReceivedReport(n))).ncmecReportNumber).toBe(n);
    expect((await tipOf(sampleReceivedReport(n, { envelopeReportId: false }))).ncmecReportNumber).toBe(n);
    expect((await tipOf(sampleReceivedReport(n), { reportNumber: n })).ncmecReportNumber).toBe(n);
  });

  it('every place that gives it must agree', async () => {
    const r = await refusal(sampleReceivedReport(n), { reportNumber: '190000502' });
    expect(r.issues.join('\n')).toMatch(/report number 190000502 differs from 190000501 in <receivedReport reportId>/);
    const mixed = sampleReceivedReport(n).replace(`<reportId>${n}</reportId>\n    <fileId>f-2`, `<reportId>190000503</reportId>\n    <fileId>f-2`);
    expect((await refusal(mixed)).issues).toEqual([
      expect.stringMatching(/^line \d+: receivedReport\/fileDetails\[2\]\/reportId: report number 190000503 differs/),
    ]);
  });

  it('is one xs:long however it is written: leading zeros in one place and not another agree, and the case is named canonically', async () => {
    const padded = sampleReceivedReport('00073504');
    const mixed = padded.replace('<reportId>00073504</reportId>', '<reportId>73504</reportId>');
    expect(mixed).not.toBe(padded);
    expect((await tipOf(mixed)).ncmecReportNumber).toBe('73504');
    expect((await tipOf(padded, { reportNumber: '73504' })).ncmecReportNumber).toBe('73504');
  });

  it('a bare <report> has none, and no files: refused with the reason', async () => {
    const r = await refusal(`<?xml version="1.0"?>\n${sampleReport(n)}`);
    expect(r.issues).toEqual([
      expect.stringMatching(/^line 2: report: has no NCMEC report number, so no case can be opened for it/),
      expect.stringMatching(/^line 2: report: came without <fileDetails>/),
    ]);
  });

  it('a number NCMEC would not assign (outside what a case id takes) is refused', async () => {
    const r = await refusal(sampleReceivedReport('12'));
    expect(r.issues.join('\n')).toMatch(/receivedReport: must be 5 to 12 digits \(CaseBridge's tip field ncmecReportNumber\)/);
  });
});

describe('file details', () => {
  const n = '190000601';
  it('a report with five file-details documents, in the envelope and as a ZIP of separate documents', async () => {
    const five = [1, 2, 3, 4, 5];
    const wrapped = await tipOf(sampleReceivedReport(n, { files: 5 }));
    expect(wrapped.files.map((f) => f.fileId)).toEqual(five.map((i) => `f-${i}`));
    const entries: Record<string, string> = { 'report.xml': `<?xml version="1.0" encoding="UTF-8"?>\n${sampleReport(n)}` };
    for (const i of five) entries[`fileDetails-${i}.xml`] = `<?xml version="1.0" encoding="UTF-8"?>\n${sampleFileDetails(n, i)}`;
    entries['IMG_0001.jpg'] = '\u00ff\u00d8 not read';
    const fromZip = await read('report.zip', await zip(entries));
    expect(fromZip).toEqual([{ position: 1, line: 2, source: 'report.xml', tip: expect.objectContaining({ ncmecReportNumber: n }) }]);
    const tip = (fromZip[0] as { tip: Tip }).tip;
    expect(tip.files).toEqual(wrapped.files);
  });

  it('file details without their report are refused, whether alone or in a ZIP; nothing waits for the report', async () => {
    const alone = await read('fd.xml', sampleFileDetails(n, 1));
    expect(alone).toEqual([
      { position: 1, line: 1, error: expect.stringMatching(/fileDetails: for report 190000601 came without its <report>/), issues: [expect.any(String)] },
    ]);
    const zipped = await read('fd.zip', await zip({ 'a.xml': sampleFileDetails(n, 1), 'b.xml': sampleFileDetails(n, 2) }));
    expect(zipped.map((e) => ('error' in e ? [e.position, e.source, /came without its <report>/.test(e.error)] : e))).toEqual([
      [1, 'a.xml', true],
      [2, 'b.xml', true],
    ]);
  });

  it('a ZIP refuses as a whole: two bare reports, a malformed entry, an entry over the size limit', async () => {
    const two = await read('two.zip', await zip({ 'a.xml': sampleReport(n), 'b.xml': sampleReport('190000602') }));
    expect(two).toEqual([expect.objectContaining({ position: 0, source: 'b.xml', error: expect.stringMatching(/a ZIP holds one bare <report>/) })]);
    const broken = await read('broken.zip', await zip({ 'a.xml': sampleReport(n), 'b.xml': `${sampleFileDetails(n, 1)}`.replace('</fileId>', '') }));
    expect(broken).toEqual([expect.objectContaining({ position: 0, error: expect.stringMatching(/^line \d+: entry b.xml: not well-formed XML/) })]);
    const big = await read('big.zip', await zip({ 'a.xml': sampleReceivedReport(n, { additionalInfo: 'x'.repeat(5000) }) }), {
      zipLimits: { maxEntries: 10, maxEntryBytes: 4096, maxTotalBytes: 8192 },
    });
    expect(big).toEqual([expect.objectContaining({ position: 0, error: expect.stringMatching(/entry a.xml is larger than 4096 bytes/) })]);
    expect(await read('junk.zip', Buffer.from('PK\u0003\u0004 this is no zip'))).toEqual([
      expect.objectContaining({ position: 0, error: expect.stringMatching(/not a readable ZIP/) }),
    ]);
  });
});

describe('batches', () => {
  const batch = (reports: string[]) => `<?xml version="1.0" encoding="UTF-8"?>\n<receivedReports>\n${reports.join('\n')}\n</receivedReports>\n`;

  it('each report on its own: a bad one is refused with its position, the others are read', async () => {
    const xml = batch([
      sampleReceivedReport('190000701'),
      sampleReceivedReport('190000702').replace('<platform>', '<platfrom>').replace('</platform>', '</platfrom>'),
      sampleReceivedReport('190000703'),
    ]);
    const entries = await read('batch.xml', xml);
    expect(entries.map((e) => [e.position, 'tip' in e ? e.tip.ncmecReportNumber : e.error.replace(/^line \d+: /, '')])).toEqual([
      [1, '190000701'],
      [2, "receivedReports/receivedReport[2]/report/incidentSummary/platfrom: is not an element of <incidentSummary> in NCMEC's schema"],
      [3, '190000703'],
    ]);
    expect(entries[1].line).toBe(lineOf(xml, '<platfrom>'));
  });

  it('a file that is not well-formed at its end: re-readable sources start nothing; a stream read once has given what came before', async () => {
    const xml = batch([sampleReceivedReport('190000711'), sampleReceivedReport('190000712')]).replace('</receivedReports>', '</receivedReport>');
    expect(await read('batch.xml', xml)).toEqual([expect.objectContaining({ position: 0, error: expect.stringMatching(/not well-formed XML/) })]);
    const once = await read('batch.xml', Readable.from([Buffer.from(xml)]));
    expect(once.map((e) => [e.position, 'tip' in e])).toEqual([
      [1, true],
      [2, true],
      [3, false],
    ]);
  });

  it('refuses anything but <receivedReport> in a batch', async () => {
    const entries = await read('batch.xml', batch([sampleReport('190000721')]));
    expect(entries).toEqual([
      expect.objectContaining({ position: 1, error: expect.stringMatching(/receivedReports\/report\[1\]: is not a <receivedReport>/) }),
    ]);
    expect(entries[0]).toMatchObject({ issues: [expect.any(String)] });
  });
});

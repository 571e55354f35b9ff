/**
 * The tip model in NCMEC's meaning, both shapes read: a JSON tip of today and a tip recorded inside a
 * running case keep working; the assessment (the simulated one, behind the same port as a real one)
 * gets the fields the process needs: escalation, viral/meme files, generative-AI flags, legal process
 * already served.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createSimulatedSystems } from '../../activities/simulators';
import { readIntakeFile } from '../../intake/ncmec';
import { compareWithXsd } from '../../intake/ncmec/schema/compare-xsd';
import { TipSchema, escalationReason, legalProcessAlreadyServed, tipFlags, viralOrMemeReason, type Tip } from '../../workflows/tip';

const FIXTURES = path.join(__dirname, '..', 'fixtures');
const json = (name: string) => JSON.parse(fs.readFileSync(path.join(FIXTURES, 'tips', `${name}.json`), 'utf8'));

async function maximalTip(): Promise<Tip> {
  for await (const e of readIntakeFile('maximal.xml', fs.readFileSync(path.join(FIXTURES, 'ncmec', 'maximal.xml')))) if ('tip' in e) return e.tip;
  throw new Error('the maximal report did not map');
}

describe('the tip model', () => {
  it("keeps reading today's JSON: a boolean escalation, the old spelling of an incident type", () => {
    const old = json('domestic-arrest');
    old.incidentSummary.escalateToHighPriority = true;
    old.incidentSummary.incidentType = 'Online Enticement of Children for Sexual Act';
    const tip = TipSchema.parse(old);
    expect(tip.incidentSummary.incidentType).toBe('Online Enticement of Children for Sexual Acts');
    expect(escalationReason(tip.incidentSummary)).toBe('escalated by the provider (no reason given)');
    expect(escalationReason({ escalateToHighPriority: false })).toBeUndefined();
    expect(escalationReason({})).toBeUndefined();
    expect(escalationReason({ escalateToHighPriority: 'a child at immediate risk' })).toBe('a child at immediate risk');
  });

  it('report annotations are NCMEC flags: free text and directives are refused with where they belong', () => {
    const t = json('domestic-arrest');
    t.incidentSummary.reportAnnotations = ['sextortion', 'Viral'];
    expect(TipSchema.safeParse(t).error?.issues).toEqual([
      expect.objectContaining({
        path: ['incidentSummary', 'reportAnnotations', 1],
        message: expect.stringMatching(/viral or meme content is a file annotation/),
      }),
    ]);
  });

  it('flags for the analyst, legal process already served, viral or meme content', async () => {
    const tip = await maximalTip();
    expect(tipFlags(tip)).toEqual(
      expect.arrayContaining([
        'sextortion',
        'sadisticOnlineExploitation',
        'escalatedToHighPriority',
        'file:generativeAi',
        'file:viral',
        'batchedReport:VIRAL_POTENTIAL_MEME',
        'legalProcessServed:domestic',
        'legalProcessServed:international:GB',
      ]),
    );
    expect(legalProcessAlreadyServed(tip)).toEqual({ domestic: true, international: true, internationalCountry: 'GB' });
    expect(legalProcessAlreadyServed({})).toEqual({ domestic: false, international: false });
    const plain = TipSchema.parse(json('domestic-arrest'));
    expect(tipFlags(plain)).toEqual([]);
    expect(viralOrMemeReason(plain)).toBeUndefined();
    // Only the reported files count: a supplemental file tagged viral does not make the report viral.
    const oneViral = { ...plain, files: [{ ...plain.files[0], fileAnnotations: ['viral' as const] }, plain.files[1]] };
    expect(viralOrMemeReason(oneViral)).toBeUndefined();
    const supplemental = { ...oneViral, files: [oneViral.files[0], { ...plain.files[1], fileRelevance: 'Supplemental Reported' as const }] };
    expect(viralOrMemeReason(supplemental)).toMatch(/every reported file is tagged viral or potential meme/);
  });
});

describe('the assessment gets what the process needs', () => {
  const systems = createSimulatedSystems({ warrantDenialRate: 0 });
  let n = 0;
  const assess = (tip: Tip) => {
    n++;
    return systems.assessment.assess({ caseId: `case-9900000${n}`, idempotencyKey: `case-9900000${n}/assess` }, tip);
  };

  it('an escalation reason (or the old boolean) makes priority 1; none, priority 2', async () => {
    const t = TipSchema.parse(json('domestic-arrest'));
    expect((await assess({ ...t, incidentSummary: { ...t.incidentSummary, escalateToHighPriority: 'meeting arranged' } })).priority).toBe(1);
    expect((await assess({ ...t, incidentSummary: { ...t.incidentSummary, escalateToHighPriority: true } })).priority).toBe(1);
    expect((await assess(t)).priority).toBe(2);
  });

  it('closes viral or meme content with its reason, and flags generative AI without closing', async () => {
    const viral = TipSchema.parse(json('no-action-viral'));
    expect(await assess(viral)).toMatchObject({
      criminal: false,
      noActionReason: expect.stringMatching(/tagged viral or potential meme/),
      flags: ['file:potentialMeme', 'file:viral'],
    });
    const t = TipSchema.parse(json('domestic-arrest'));
    const ai = { ...t, files: t.files.map((f) => ({ ...f, fileAnnotations: ['generativeAi' as const] })) };
    expect(await assess(ai)).toMatchObject({ criminal: true, flags: ['file:generativeAi'] });
    const batched = { ...t, batchedReport: { reason: 'VIRAL_POTENTIAL_MEME' as const } };
    expect(await assess(batched)).toMatchObject({ criminal: false, noActionReason: expect.stringMatching(/batched report/) });
  });

  it('a tip recorded in a running case before NCMEC intake (free-text annotations, boolean escalation, no file annotations) is still assessed', async () => {
    const recorded = {
      ...TipSchema.parse(json('domestic-arrest')),
      incidentSummary: {
        incidentType: 'Online Enticement of Children for Sexual Act',
        escalateToHighPriority: false,
        reportAnnotations: ['Viral', 'casebridge-sim:priority=3'],
        incidentDateTime: '2026-10-30T21:14:00Z',
      },
      simulatorDirectives: undefined,
    } as unknown as Tip;
    for (const f of recorded.files) delete (f as Partial<typeof f>).fileAnnotations;
    expect(await assess(recorded)).toMatchObject({ criminal: false, priority: 3, noActionReason: expect.stringMatching(/viral/) });
  });
});

describe('the check of the content model against an XSD', () => {
  it('names what differs', async () => {
    const xsd = `<?xml version="1.0"?>
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">
  <xs:element name="report"><xs:complexType><xs:sequence>
    <xs:element name="incidentSummary"><xs:complexType><xs:sequence>
      <xs:element name="incidentType" type="xs:string"/>
    </xs:sequence></xs:complexType></xs:element>
  </xs:sequence></xs:complexType></xs:element>
  <xs:element name="fileDetails"><xs:complexType><xs:sequence>
    <xs:element name="reportId" type="xs:long"/>
    <xs:element name="fileId" type="xs:token" maxOccurs="unbounded"/>
  </xs:sequence><xs:attribute name="version" type="xs:int" use="required"/></xs:complexType></xs:element>
</xs:schema>`;
    const diffs = await compareWithXsd(xsd);
    expect(diffs).toEqual(
      expect.arrayContaining([
        'XSD has, model lacks: report sequence(incidentSummary)',
        'XSD has, model lacks: fileDetails/fileId 1..n',
        'XSD has, model lacks: fileDetails/@version required',
        'model has, XSD lacks: report/reporter 1..1',
        "report/incidentSummary/incidentType: the model refuses 'any text', a valid xs:string",
      ]),
    );
  });
});

/**
 * The pure parts of the steps before the warrant: what a tip flags in either shape a case may hold,
 * the grade scales per home country, UK working days on the deployment's calendar, the deployment's
 * policy file (no defaults), and the safeguarding and subscriber machines.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadDeploymentPolicy } from '../../worker/activities';
import { dangerIndicators, describeIndicators } from '../../workflows/indicators';
import { GRADE_SCALES, addWorkingDays, gradeOf, gradeScaleFor, topGrade, DeploymentPolicySchema } from '../../workflows/policy';
import { allowedOutcomes, checkResponse, isTerminal, systemTransition } from '../../workflows/requests/machines';

const DAY = 86_400_000;

describe('imminent-danger indicators, from either tip shape', () => {
  it('reads the hand-written shape: a boolean escalation and free-text annotations', () => {
    const flag = dangerIndicators({
      incidentSummary: {
        incidentType: 'Child Pornography (possession, manufacture, and distribution)',
        escalateToHighPriority: true,
        reportAnnotations: ['Sextortion', 'casebridge-sim:searchWarrants=grant', 'minor-to-minor', 'planned meeting Friday'],
      },
      files: [{ fileId: 'f-1' }],
      victim: [{ estimatedLocation: { countryCode: 'US', region: 'OH' } }],
    });
    expect(flag).toEqual({ indicators: ['provider-escalation', 'sextortion', 'minor-to-minor', 'planned-meeting', 'victim-location'] });
  });

  it("reads NCMEC's shape: the escalation's reason as text, annotation flags, file annotations", () => {
    const flag = dangerIndicators({
      incidentSummary: {
        incidentType: 'Online Enticement of Children for Sexual Acts',
        escalateToHighPriority: 'user asked the child to meet tonight',
        reportAnnotations: ['csamSolicitation', 'sadisticOnlineExploitation', 'spam'],
      },
      files: [{ fileId: 'f-1', fileAnnotations: ['liveStreaming'] }],
    });
    expect(flag.indicators).toEqual(['provider-escalation', 'csam-solicitation', 'sadistic-online-exploitation', 'enticement', 'real-time']);
    expect(flag.providerReason).toBe('user asked the child to meet tonight');
    expect(describeIndicators(flag)).toContain('the provider asked for high priority: "user asked the child to meet tonight"');
  });

  it('flags nothing in an ordinary tip; NCMEC priority 1, trafficking and what the assessment found in the content do flag', () => {
    const ordinary = { incidentSummary: { incidentType: 'Child Pornography (possession, manufacture, and distribution)', escalateToHighPriority: false } };
    expect(dangerIndicators(ordinary).indicators).toEqual([]);
    expect(dangerIndicators({ ...ordinary, priority: 1 }).indicators).toEqual(['ncmec-priority-1']);
    expect(dangerIndicators({ incidentSummary: { incidentType: 'Child Sex Trafficking' } }).indicators).toEqual(['trafficking']);
    expect(dangerIndicators(ordinary, ['threats', 'not-a-code']).indicators).toEqual(['threats']);
  });
});

describe('grade scales per home country', () => {
  it('grades US cases on NCMEC priority 1–3 and UK cases on KIRAT with 1 day / 1 week / 2 weeks / 30 days', () => {
    expect(gradeScaleFor('US').name).toBe('ncmec-priority');
    expect(gradeScaleFor('GB').grades.map((g) => [g.value, g.actWithin.value.days, g.priority])).toEqual([
      ['very-high', 1, 1],
      ['high', 7, 2],
      ['medium', 14, 3],
      ['low', 30, 3],
    ]);
    expect(topGrade(GRADE_SCALES.kirat).value).toBe('very-high');
    expect(gradeOf(gradeScaleFor('US'), 'high')).toBeUndefined();
    // A home the table does not list grades as NCMEC does (the tips are NCMEC's).
    expect(gradeScaleFor('DE').name).toBe('ncmec-priority');
    for (const scale of Object.values(GRADE_SCALES)) for (const g of scale.grades) expect(g.actWithin.source).toMatch(/\S/);
  });
});

describe('UK working days', () => {
  const at = (iso: string) => Date.parse(iso);
  it('counts Monday to Friday at the same time of day, skipping the calendar’s bank holidays', () => {
    expect(new Date(addWorkingDays(at('2026-12-01T10:00:00Z'), 1, [])).toISOString()).toBe('2026-12-02T10:00:00.000Z'); // Tue → Wed
    expect(new Date(addWorkingDays(at('2026-12-04T16:00:00Z'), 1, [])).toISOString()).toBe('2026-12-07T16:00:00.000Z'); // Fri → Mon
    // Christmas Day and Boxing Day (substitute Monday 28th) are not working days.
    expect(new Date(addWorkingDays(at('2026-12-24T09:00:00Z'), 1, ['2026-12-25', '2026-12-28'])).toISOString()).toBe('2026-12-29T09:00:00.000Z');
    // A referral on a Saturday counts from Monday's start.
    expect(new Date(addWorkingDays(at('2026-12-05T11:00:00Z'), 1, [])).toISOString()).toBe('2026-12-08T00:00:00.000Z');
    expect(addWorkingDays(at('2026-12-01T10:00:00Z'), 15, []) - at('2026-12-01T10:00:00Z')).toBe(21 * DAY); // three weeks
  });
});

describe("the deployment's policy file", () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'casebridge-policy-'));
  const file = (name: string, content: string) => {
    const p = path.join(tmp, name);
    fs.writeFileSync(p, content);
    return p;
  };

  it('has no defaults: without a file every setting is reported missing and none is assumed', () => {
    const { policy, missing } = loadDeploymentPolicy({});
    expect(policy).toEqual({ providerLogRetention: {} });
    expect(missing.map((m) => m.split(':')[0])).toEqual(['providerLogRetention', 'ukBankHolidays', 'warrantReturn', 'offSiteReview', 'initialAppearance']);
  });

  it('reads a file with sources, and refuses one naming the file and the field', () => {
    const good = file(
      'good.json',
      JSON.stringify({
        providerLogRetention: { 'ExampleNet Broadband': { days: 180, source: 'ExampleNet LE guide 2026' } },
        warrantReturn: { days: 10, source: 'district practice' },
      }),
    );
    const { policy, missing } = loadDeploymentPolicy({ CASEBRIDGE_POLICY_FILE: good });
    expect(policy.providerLogRetention['ExampleNet Broadband']).toEqual({ days: 180, source: 'ExampleNet LE guide 2026' });
    expect(missing.map((m) => m.split(':')[0])).toEqual(['ukBankHolidays', 'offSiteReview', 'initialAppearance']);
    const noSource = file('bad.json', JSON.stringify({ providerLogRetention: { X: { days: 30, source: '' } } }));
    expect(() => loadDeploymentPolicy({ CASEBRIDGE_POLICY_FILE: noSource })).toThrow(
      /bad\.json: providerLogRetention\.X\.source: must say where the value comes from/,
    );
    const notJson = file('broken.json', '{');
    expect(() => loadDeploymentPolicy({ CASEBRIDGE_POLICY_FILE: notJson })).toThrow(/CASEBRIDGE_POLICY_FILE: cannot read .*broken\.json as JSON/);
    expect(DeploymentPolicySchema.safeParse({ warrantReturn: { days: 0, source: 'x' } }).success).toBe(false);
    expect(DeploymentPolicySchema.safeParse({ unknownSetting: 1 }).success).toBe(false);
  });
});

describe('the safeguarding and subscriber machines', () => {
  const sg = (status: string) => ({ requestId: 'case-1/safeguarding-1', kind: 'safeguarding', status });
  it('lets an analyst identify the child, a coordinator record the other side, and never the case withdraw it', () => {
    expect(allowedOutcomes(sg('IDENTIFYING'), 'analyst').sort()).toEqual(['identified', 'known-series', 'unidentified']);
    expect(allowedOutcomes(sg('REFERRED'), 'coordinator').sort()).toEqual(['closed', 'police-protection', 'protection-ended', 'referral-decided']);
    expect(checkResponse(sg('REPORTED'), { outcome: 'police-protection', role: 'coordinator' })).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/^outcome: .*REPORTED/),
    });
    expect(checkResponse(sg('S47_ENQUIRY'), { outcome: 'enquiry-concluded', role: 'coordinator', reason: 'adopted' })).toMatchObject({
      ok: false,
      reason: expect.stringContaining('child-protection-plan, child-in-need-plan, no-further-action'),
    });
    expect(checkResponse(sg('IDENTIFYING'), { outcome: 'known-series', role: 'analyst' })).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/^reference:/),
    });
    expect(checkResponse(sg('IDENTIFYING'), { outcome: 'identified', role: 'liaison' })).toMatchObject({ ok: false, reason: expect.stringMatching(/^role:/) });
    expect(checkResponse(sg('REFERRED'), { outcome: 'police-protection', role: 'coordinator' })).toMatchObject({ ok: true, transition: { to: 'REFERRED' } });
    for (const status of ['OPENED', 'IDENTIFYING', 'REPORTED', 'REFERRED', 'S47_ENQUIRY']) expect(systemTransition(sg(status), 'WITHDRAWN')).toBeUndefined();
    expect(isTerminal('safeguarding', 'SAFEGUARDED')).toBe(true);
    expect(isTerminal('safeguarding', 'SCREENED_OUT')).toBe(false);
  });

  it('answers subscriber identification from the provider’s system only, and lets the case withdraw it', () => {
    const r = { requestId: 'case-1/subscriber-identification-1', kind: 'subscriber-identification', status: 'SERVED' };
    expect(allowedOutcomes(r, 'coordinator')).toEqual([]);
    expect(systemTransition(r, 'AMBIGUOUS')).toMatchObject({ outcome: 'ambiguous' });
    expect(systemTransition(r, 'WITHDRAWN')).toBeDefined();
    expect(checkResponse(r, { outcome: 'identified', role: 'coordinator' })).toMatchObject({ ok: false });
  });
});

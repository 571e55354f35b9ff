/**
 * The case page's forms after the arrest (web/pages/post-arrest-inputs.ts) against the API's bodies
 * and the case's rules: every form, filled in, is a body the API's zod schema takes (its fields named
 * as the schema names them, the court event's kind from the form itself); and each is offered only
 * where the validator would take it — US or UK law, the stage, what is on record, and the rank a role
 * stands for (a superintendent's step is a manager's). The browser test (test/web) submits the US
 * ones against a real case; the UK ones are rendered here from statuses as the case reports them.
 */
import { bodies } from '../../api/schemas';
import { caseBody, offeredInputs } from '../../web/pages/case';
import { formName } from '../../web/pages/input-spec';
import { POST_ARREST_INPUTS } from '../../web/pages/post-arrest-inputs';
import type { Session } from '../../web/sessions';
import type { CaseStatus, CustodyStatus } from '../../workflows/messages';
import type { PersonRole } from '../../workflows/vocabulary';

const HOUR = 3_600_000;
const arrested = new Date(Date.now() - 2 * HOUR).toISOString();
const later = (h: number) => new Date(Date.parse(arrested) + h * HOUR).toISOString();

function custody(law: 'US' | 'GB', more: Partial<CustodyStatus> = {}): CustodyStatus {
  return { law, arrestedAt: arrested, via: 'local-arrest', warrantless: false, excluded: [], reviews: [], extensions: [], missed: [], ...more };
}

function status(stage: CaseStatus['stage'], c: CustodyStatus, deadlines: string[]): CaseStatus {
  return {
    caseId: 'case-700000001',
    suspect: { espIdentifier: 'esp-1', screenName: null, ipAddresses: [] },
    stage,
    outcome: null,
    outcomeReason: null,
    priority: 2,
    suspectCountry: c.law,
    dataCountry: 'US',
    awaiting: 'coordinator',
    waitingFor: null,
    stageEnteredAt: arrested,
    deadlines: deadlines.map((name) => ({ name, dueAt: later(24), stage, source: 'test' })),
    requests: [],
    linkedCases: [],
    preservation: null,
    attention: null,
    warrantApplications: 1,
    custody: c,
  };
}

const person = (...roles: PersonRole[]) => ({ roles });
/** The post-arrest forms offered, each with the choices of its narrowed fields. */
const offered = (roles: PersonRole[], s: CaseStatus) =>
  offeredInputs(person(...roles), s)
    .filter((o) => POST_ARREST_INPUTS.includes(o.i))
    .map((o) => [formName(o.i), o.role, Object.fromEntries(o.choices)]);

/** A value for each field, as a person would type or choose it (the page turns counts and yes-no into numbers and booleans). */
const SAMPLE: Record<string, unknown> = {
  until: later(30),
  days: 10,
  dppConsent: true,
  reference: 'REF-1',
  cpsReference: 'CPS-1',
  partner: 'the state’s attorney',
};

describe('the case page’s forms after the arrest', () => {
  it('are bodies the API’s schemas take, every field named as the schema names it', () => {
    expect(POST_ARREST_INPUTS.map(formName)).toHaveLength(new Set(POST_ARREST_INPUTS.map(formName)).size);
    for (const i of POST_ARREST_INPUTS) {
      const body = {
        ...i.fixed,
        ...Object.fromEntries(i.fields.map((f) => [f.name, SAMPLE[f.name] ?? f.options?.[f.name === 'decision' ? 1 : 0] ?? `a ${f.name}`])),
      };
      const parsed = bodies[i.input as keyof typeof bodies].safeParse(body);
      expect([formName(i), parsed.success ? 'ok' : parsed.error.issues]).toEqual([formName(i), 'ok']);
    }
    // Each court event's form records its own event: the event comes from the form, never from the browser.
    expect(
      POST_ARREST_INPUTS.filter((i) => i.path === 'court-events').map((i) => [formName(i), i.fixed?.event, i.fields.some((f) => f.name === 'event')]),
    ).toEqual([
      ['initial-appearance', 'initial-appearance', false],
      ['detention-hearing', 'detention-hearing', false],
      ['preliminary-hearing', 'preliminary-hearing', false],
      ['indictment', 'indictment', false],
    ]);
  });

  it('US: nothing before the clocks are set; then the appearance, delay and decision; in CHARGING the indictment unless referred', () => {
    // In CUSTODY before the case has read the deployment's policy: no indictment clock yet, and the validators refuse meanwhile.
    expect(offered(['coordinator'], status('CUSTODY', custody('US'), []))).toEqual([]);
    expect(offered(['coordinator'], status('CUSTODY', custody('US'), ['indictment']))).toEqual([
      ['initial-appearance', 'coordinator', {}],
      ['excludable-delay', 'coordinator', {}],
      ['prosecution-decision', 'coordinator', {}],
    ]);
    // A manager records delay and the decision, never a court's event (workflows/access.ts).
    expect(offered(['manager'], status('CUSTODY', custody('US'), ['indictment'])).map((o) => o[0])).toEqual(['excludable-delay', 'prosecution-decision']);
    const appeared = custody('US', { initialAppearanceAt: later(1), custody: 'released', detentionHearing: 'not-sought' });
    expect(offered(['coordinator'], status('CHARGING', appeared, ['indictment', 'preliminary-hearing'])).map((o) => o[0])).toEqual([
      'preliminary-hearing',
      'indictment',
      'excludable-delay',
      'prosecution-decision',
    ]);
    const referred = { ...appeared, prosecution: { decision: 'state' as const, partner: 'the state’s attorney', reason: 'r', actor: 'A', at: later(2) } };
    expect(offered(['coordinator'], status('CHARGING', referred, ['indictment'])).map((o) => o[0])).toEqual(['preliminary-hearing', 'excludable-delay']);
    // A UK case is never offered US process.
    expect(
      offered(['coordinator', 'manager'], status('CUSTODY', custody('GB', { relevantTime: arrested, detentionUntil: later(24) }), ['custody-limit'])).map(
        (o) => o[0],
      ),
    ).not.toContain('initial-appearance');
  });

  it('UK: in custody a review, an extension (a superintendent’s only for a manager, before the limit) and the decision; on bail the decision without bailing again and the extension the step’s rank may give', () => {
    const held = custody('GB', { relevantTime: arrested, detentionUntil: later(24) });
    expect(offered(['coordinator'], status('CUSTODY', held, ['custody-review', 'custody-limit']))).toEqual([
      ['detention-reviews', 'coordinator', {}],
      ['detention-extensions', 'coordinator', { authority: ['magistrates-court'] }],
      ['charging-decision', 'coordinator', { decision: ['charged', 'bailed', 'released-under-investigation', 'no-further-action'] }],
    ]);
    expect(offered(['manager'], status('CUSTODY', held, ['custody-limit']))[1]).toEqual([
      'detention-extensions',
      'manager',
      { authority: ['superintendent', 'magistrates-court'] },
    ]);
    const overrun = { ...held, detentionUntil: new Date(Date.now() - HOUR).toISOString() };
    expect(offered(['manager'], status('CUSTODY', overrun, ['custody-limit']))[1]).toEqual([
      'detention-extensions',
      'manager',
      { authority: ['magistrates-court'] },
    ]);

    const bail = (extensions: number) => ({
      startedAt: later(1),
      endsAt: new Date(Date.now() + 30 * 24 * HOUR).toISOString(),
      extensions: Array.from({ length: extensions }, () => ({ authority: 'inspector', until: later(100), actor: 'A', at: later(1) })),
    });
    const bailed = (n: number) => ({ ...held, decision: { decision: 'bailed', reason: 'r', actor: 'A', at: later(1) }, bail: bail(n) });
    expect(offered(['coordinator'], status('CHARGING', bailed(0), ['pre-charge-bail']))).toEqual([
      ['charging-decision', 'coordinator', { decision: ['charged', 'released-under-investigation', 'no-further-action'] }],
      ['bail-extensions', 'coordinator', { authority: ['inspector'] }],
    ]);
    // The second extension is a superintendent's (s.47ZDA): a coordinator is not offered it, a manager is; the third is a court's.
    expect(offered(['coordinator'], status('CHARGING', bailed(1), ['pre-charge-bail'])).map((o) => o[0])).toEqual(['charging-decision']);
    expect(offered(['manager'], status('CHARGING', bailed(1), ['pre-charge-bail']))[1]).toEqual([
      'bail-extensions',
      'manager',
      { authority: ['superintendent'] },
    ]);
    expect(offered(['coordinator'], status('CHARGING', bailed(2), ['pre-charge-bail']))[1]).toEqual([
      'bail-extensions',
      'coordinator',
      { authority: ['magistrates-court'] },
    ]);
    // Bail run out: no extension, only the decision.
    const ended = { ...bailed(0), bail: { ...bail(0), endsAt: new Date(Date.now() - HOUR).toISOString() } };
    expect(offered(['coordinator'], status('CHARGING', ended, ['pre-charge-bail'])).map((o) => o[0])).toEqual(['charging-decision']);
  });

  it('renders the narrowed choices, a yes-no for the DPP’s consent, and the custody line', () => {
    const session: Session = {
      id: 's',
      csrf: 'c',
      token: 't',
      lastSeen: Date.now(),
      tokenExpiresAt: Date.now() + HOUR,
      person: { id: 'iss|sub', issuer: 'iss', subject: 'sub', name: 'Ann', roles: ['coordinator'], units: ['unit-a'] },
    };
    const page = caseBody(session, status('CUSTODY', custody('GB', { relevantTime: arrested, detentionUntil: later(24) }), ['custody-limit']), []).text;
    const form = (name: string) =>
      page.slice(page.indexOf(`data-form="input:${name}"`), page.indexOf('</fieldset>', page.indexOf(`data-form="input:${name}"`)));
    const options = (html: string, field: string) => {
      const select = html.slice(html.indexOf(`name="${field}"`), html.indexOf('</select>', html.indexOf(`name="${field}"`)));
      return [...select.matchAll(/<option value="([^"]*)"/g)].map((m) => m[1]);
    };
    expect(options(form('detention-extensions'), 'authority')).toEqual(['magistrates-court']);
    expect(options(form('charging-decision'), 'dppConsent')).toEqual(['', 'yes', 'no']);
    expect(form('charging-decision')).toContain('action="/web/cases/case-700000001/inputs/charging-decision"');
    expect(page).toContain('data-custody="GB"');
    expect(page).toMatch(/GB law, arrested [^<]*; detention until /);
  });
});

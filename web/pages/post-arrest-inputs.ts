/**
 * The seven inputs after the arrest as the case page's forms: the court's events (one form each:
 * their fields differ), excludable delay and the prosecution decision under US law; PACE reviews and
 * extensions, the charging decision and pre-charge bail extensions under UK law. Each is offered as
 * workflows/case/post-arrest-inputs.ts would take it — the case's law and stage, its custody clocks
 * set, what is on record already, and the rank a role stands for (a superintendent's step is a
 * manager's). The validator still decides, and its refusal comes back next to the field.
 */
import type { CaseStatus, CustodyStatus } from '../../workflows/messages';
import { EXCLUDABLE_DELAY_GROUNDS, EXCLUDABLE_DELAY_GROUND_NAMES, US_AFTER_ARREST } from '../../workflows/policy';
import type { Role } from '../../workflows/vocabulary';
import type { CaseInputForm } from './input-spec';

const AFTER_ARREST: readonly string[] = ['CUSTODY', 'CHARGING'];

/**
 * The custody record under `law` while the case is in one of `stages` and its clocks are set (the
 * validators refuse an input before: the US clocks wait for the deployment's policy). The status has
 * no flag for it: the clocks' own marks stand for it (the indictment deadline, the relevant time).
 */
function custodyUnder(s: CaseStatus, law: 'US' | 'GB', stages: readonly string[] = AFTER_ARREST): CustodyStatus | undefined {
  const c = s.custody;
  if (!c || c.law !== law || !stages.includes(s.stage)) return undefined;
  const started = law === 'US' ? c.indictedAt !== undefined || s.deadlines.some((d) => d.name === 'indictment') : c.relevantTime !== undefined;
  return started ? c : undefined;
}

/** Who may extend pre-charge bail at its present step (PACE ss.47ZD–47ZF), and whether the role stands for that rank. */
function bailAuthority(c: CustodyStatus, role: Role): string | undefined {
  const step = c.bail?.extensions.length ?? 0;
  const authority = step === 0 ? 'inspector' : step === 1 ? 'superintendent' : 'magistrates-court';
  return authority === 'superintendent' && role !== 'manager' ? undefined : authority;
}

const ORDER_GROUNDS = EXCLUDABLE_DELAY_GROUND_NAMES.filter((g) => EXCLUDABLE_DELAY_GROUNDS[g].order);
const REFERENCE = { name: 'reference', label: 'The court’s reference', kind: 'text', required: false } as const;
const CUSTODY = { name: 'custody', label: 'Custody', kind: 'text', required: true, options: ['detained', 'released'] } as const;
const ISO_HINT = 'ISO 8601, e.g. 2027-03-01T12:00:00Z';

export const POST_ARREST_INPUTS: CaseInputForm[] = [
  // ---- US: the court's events (Fed. R. Crim. P. 5, 5.1; 18 U.S.C. § 3142(f)), one form each.
  {
    path: 'court-events',
    form: 'initial-appearance',
    fixed: { event: 'initial-appearance' },
    input: 'recordCourtEvent',
    label: 'Record the initial appearance',
    when: (s) => !!custodyUnder(s, 'US') && !s.custody!.initialAppearanceAt,
    fields: [
      CUSTODY,
      {
        name: 'detentionHearing',
        label: 'Detention hearing',
        kind: 'text',
        required: true,
        hint: 'held at the appearance, continued on a party’s motion (5 days for the defence, 3 for the government), or not sought',
        options: ['held', 'continued-defence', 'continued-government', 'not-sought'],
      },
      REFERENCE,
    ],
  },
  {
    path: 'court-events',
    form: 'detention-hearing',
    fixed: { event: 'detention-hearing' },
    input: 'recordCourtEvent',
    label: 'Record the continued detention hearing',
    when: (s) => custodyUnder(s, 'US')?.detentionHearing === 'pending',
    fields: [CUSTODY, REFERENCE],
  },
  {
    path: 'court-events',
    form: 'preliminary-hearing',
    fixed: { event: 'preliminary-hearing' },
    input: 'recordCourtEvent',
    label: 'Record the preliminary hearing',
    when: (s) => {
      const c = custodyUnder(s, 'US');
      return !!c?.initialAppearanceAt && !c.preliminaryHearingAt && !c.indictedAt;
    },
    fields: [REFERENCE],
  },
  {
    path: 'court-events',
    form: 'indictment',
    fixed: { event: 'indictment' },
    input: 'recordCourtEvent',
    label: 'Record the indictment',
    when: (s) => {
      const c = custodyUnder(s, 'US', ['CHARGING']);
      return !!c && !c.indictedAt && (!c.prosecution || (c.prosecution.decision === 'federal' && c.prosecution.partner === undefined));
    },
    fields: [{ name: 'reference', label: 'The indictment’s reference', kind: 'text', required: true }],
  },
  {
    path: 'excludable-delay',
    input: 'excludeDelay',
    label: 'Record excludable delay',
    when: (s) => {
      const c = custodyUnder(s, 'US');
      return !!c && !c.indictedAt && s.deadlines.some((d) => d.name === 'indictment');
    },
    fields: [
      { name: 'ground', label: 'Ground (18 U.S.C. § 3161(h))', kind: 'text', required: true, options: EXCLUDABLE_DELAY_GROUND_NAMES },
      {
        name: 'days',
        label: 'Days excluded',
        kind: 'count',
        required: true,
        hint: `1 to ${US_AFTER_ARREST.longestExclusion.value.days} in one input; the indictment deadline moves by them`,
      },
      { name: 'order', label: 'The court’s order or findings', kind: 'text', required: false, hint: `needed for ${ORDER_GROUNDS.join(', ')}` },
      { name: 'reason', label: 'Why the delay is excluded', kind: 'textarea', required: true },
    ],
  },
  {
    path: 'prosecution-decision',
    input: 'decideProsecution',
    label: 'Record the prosecution decision',
    when: (s) => {
      const c = custodyUnder(s, 'US');
      return !!c && !c.indictedAt && !c.prosecution;
    },
    fields: [
      { name: 'decision', label: 'Decision (Justice Manual 9-27.220)', kind: 'text', required: true, options: ['federal', 'state', 'declined'] },
      {
        name: 'partner',
        label: 'Referred to',
        kind: 'text',
        required: false,
        hint: 'for a state prosecution, the state prosecutor; for a federal one, a federal partner if not this agency’s',
      },
      { name: 'reason', label: 'What the decision rests on', kind: 'textarea', required: true },
    ],
  },
  // ---- UK (England and Wales): PACE custody, the CPS's decision, pre-charge bail.
  {
    path: 'detention-reviews',
    input: 'reviewDetention',
    label: 'Record a review of detention',
    when: (s) => {
      const c = custodyUnder(s, 'GB', ['CUSTODY']);
      return !!c && !c.decision;
    },
    fields: [{ name: 'reason', label: 'Why detention goes on (or not)', kind: 'textarea', required: true }],
  },
  {
    path: 'detention-extensions',
    input: 'extendDetention',
    label: 'Record an extension of detention',
    when: (s) => {
      const c = custodyUnder(s, 'GB', ['CUSTODY']);
      return !!c && !c.decision;
    },
    fields: [
      {
        name: 'authority',
        label: 'Extended by',
        kind: 'text',
        required: true,
        hint: 'a superintendent to 36 hours from the relevant time (s.42, a manager), or a magistrates’ court’s warrant (ss.43–44)',
        options: ['superintendent', 'magistrates-court'],
        // A superintendent's extension is a manager's, and only before the present limit runs out.
        choices: (s, role) =>
          role === 'manager' && s.custody?.detentionUntil && Date.now() < Date.parse(s.custody.detentionUntil)
            ? ['superintendent', 'magistrates-court']
            : ['magistrates-court'],
      },
      { name: 'until', label: 'Detention until', kind: 'text', required: true, hint: ISO_HINT },
      { name: 'reference', label: 'The court’s warrant of further detention', kind: 'text', required: false, hint: 'for a magistrates’ court’s warrant' },
      { name: 'reason', label: 'Why detention without charge must go on', kind: 'textarea', required: true },
    ],
  },
  {
    path: 'charging-decision',
    input: 'chargingDecision',
    label: 'Record the charging decision',
    when: (s) => {
      const c = custodyUnder(s, 'GB');
      return !!c && (s.stage === 'CUSTODY' ? !c.decision : c.decision?.decision === 'bailed');
    },
    fields: [
      {
        name: 'decision',
        label: 'Decision',
        kind: 'text',
        required: true,
        options: ['charged', 'bailed', 'released-under-investigation', 'no-further-action'],
        // On pre-charge bail already: extended with a bail extension, not bailed again.
        choices: (s) =>
          s.stage === 'CUSTODY'
            ? ['charged', 'bailed', 'released-under-investigation', 'no-further-action']
            : ['charged', 'released-under-investigation', 'no-further-action'],
      },
      { name: 'cpsReference', label: 'The CPS’s charging decision', kind: 'text', required: false, hint: 'for a charge' },
      {
        name: 'dppConsent',
        label: 'The DPP’s consent',
        kind: 'yes-no',
        required: false,
        hint: 'for a charge: an indecent-image offence needs it (Protection of Children Act 1978 s.1(3)), given by the CPS',
      },
      { name: 'reason', label: 'What the decision rests on', kind: 'textarea', required: true },
    ],
  },
  {
    path: 'bail-extensions',
    input: 'extendBail',
    label: 'Record an extension of pre-charge bail',
    when: (s, role) => {
      const c = custodyUnder(s, 'GB', ['CHARGING']);
      return !!c?.bail && Date.now() < Date.parse(c.bail.endsAt) && bailAuthority(c, role) !== undefined;
    },
    fields: [
      {
        name: 'authority',
        label: 'Extended by',
        kind: 'text',
        required: true,
        hint: 'an inspector to 6 months (s.47ZD), then a superintendent to 9 (s.47ZDA, a manager), then a magistrates’ court (s.47ZF)',
        options: ['inspector', 'superintendent', 'magistrates-court'],
        choices: (s, role) => {
          const a = s.custody ? bailAuthority(s.custody, role) : undefined;
          return a ? [a] : [];
        },
      },
      { name: 'until', label: 'Bail until', kind: 'text', required: false, hint: `a magistrates’ court’s order only: ${ISO_HINT}` },
      { name: 'reference', label: 'The court’s order', kind: 'text', required: false, hint: 'for a magistrates’ court' },
      { name: 'reason', label: 'Why bail is extended', kind: 'textarea', required: true },
    ],
  },
];

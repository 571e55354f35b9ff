/**
 * Imminent danger and risk grading (LEGAL-PROCESS.md, "The rest of the path"): what the system flags
 * from a tip, how long an analyst has to confirm or downgrade it before a manager is asked, and the
 * grade scale of each home country with its action times. A flag is a suggestion with its reasons; a
 * person decides. [P] primary, [S] secondary (configurable), [C] CaseBridge's own operating choice.
 */
import type { Period, Rule } from './rule';

/** What a tip may show that suggests a child in imminent danger. Codes only: they may be shown in lists and logs. */
export const DANGER_INDICATORS = {
  'provider-escalation': {
    means: 'the provider asked for high priority',
    source: '18 U.S.C. § 2258A(a)(1)(A)(ii), (a)(2)(B): facts showing a violation "may be planned or imminent"; NCMEC escalateToHighPriority',
    kind: 'P',
  },
  'ncmec-priority-1': { means: 'NCMEC graded the report priority 1 (a child in imminent danger)', source: 'NCMEC priority levels', kind: 'S' },
  sextortion: {
    means: 'sextortion (financial sextortion can escalate within hours)',
    source: 'NCMEC reportAnnotations sextortion; 26,718 reports in 2023 vs 10,731 in 2022 (NCMEC)',
    kind: 'S',
  },
  'csam-solicitation': { means: 'a child solicited for images', source: 'NCMEC reportAnnotations csamSolicitation', kind: 'S' },
  'minor-to-minor': { means: 'an interaction between minors', source: 'NCMEC reportAnnotations minorToMinorInteraction', kind: 'S' },
  'sadistic-online-exploitation': { means: 'sadistic online exploitation', source: 'NCMEC reportAnnotations sadisticOnlineExploitation', kind: 'S' },
  enticement: {
    means: 'online enticement of a child (real-time contact)',
    source: 'NCMEC incidentType "Online Enticement of Children for Sexual Acts"',
    kind: 'S',
  },
  trafficking: { means: 'child sex trafficking', source: 'NCMEC incidentType "Child Sex Trafficking"', kind: 'S' },
  'planned-meeting': { means: 'a planned meeting with a child', source: 'NCMEC practice: chats flagged for a planned meeting (LEGAL-PROCESS.md)', kind: 'S' },
  'real-time': {
    means: 'real-time abuse or live streaming',
    source: 'NCMEC fileAnnotations liveStreaming; real-time enticement (LEGAL-PROCESS.md)',
    kind: 'S',
  },
  threats: { means: 'threats against a child', source: 'NCMEC practice: threats as an imminent-danger indicator (LEGAL-PROCESS.md)', kind: 'S' },
  'victim-location': {
    means: 'a victim’s location is known',
    source: 'NCMEC victim estimatedLocation; location data as an indicator (LEGAL-PROCESS.md)',
    kind: 'S',
  },
} as const;
export type DangerIndicator = keyof typeof DANGER_INDICATORS;
export const DANGER_INDICATOR_CODES = Object.keys(DANGER_INDICATORS) as DangerIndicator[];

export const IMMINENT_DANGER = {
  /** How long an analyst has to confirm or downgrade a flag before a manager is asked to decide. */
  analystDecision: {
    value: { hours: 1 },
    source: 'CaseBridge: an analyst decides a flagged imminent danger within an hour ("at once", LEGAL-PROCESS.md: policy minutes/hours)',
    kind: 'C',
  } satisfies Rule<Period>,
  /** While the analyst has not decided, the case acts on the top grade: the safer side. */
  actAsTopGradeWhilePending: {
    value: true,
    source: 'CaseBridge (issue 14): a flagged case acts as priority 1 until a person decides',
    kind: 'C',
  } satisfies Rule<boolean>,
} as const;

export type GradeScaleName = 'ncmec-priority' | 'kirat';

export interface Grade {
  /** The value a person gives (`1`, `very-high`). */
  value: string;
  means: string;
  /** How soon the case must be acted on at this grade. */
  actWithin: Rule<Period>;
  /** The NCMEC-style priority the rest of the case routes by (emergency disclosure, provisional arrest, EU emergency orders). */
  priority: 1 | 2 | 3;
}

export interface GradeScale {
  name: GradeScaleName;
  title: string;
  source: string;
  kind: 'P' | 'S' | 'C';
  /** Highest first: the first grade is "imminent danger". */
  grades: readonly Grade[];
}

export const GRADE_SCALES: Record<GradeScaleName, GradeScale> = {
  'ncmec-priority': {
    name: 'ncmec-priority',
    title: 'NCMEC priority',
    source: 'NCMEC priority levels: 1 = a child in imminent danger',
    kind: 'S',
    grades: [
      {
        value: '1',
        means: 'a child in imminent danger',
        actWithin: { value: { days: 1 }, source: 'HMICFRS targets for acting on a referral: very high risk within a day', kind: 'S' },
        priority: 1,
      },
      {
        value: '2',
        means: 'a child at risk, not imminent',
        actWithin: { value: { days: 7 }, source: 'HMICFRS targets: high risk within 1 week', kind: 'S' },
        priority: 2,
      },
      {
        value: '3',
        means: 'no child known to be at risk',
        actWithin: { value: { days: 30 }, source: 'HMICFRS targets: low risk within 30 days', kind: 'S' },
        priority: 3,
      },
    ],
  },
  kirat: {
    name: 'kirat',
    title: 'KIRAT risk grade',
    source: 'KIRAT (Kent Internet Risk Assessment Tool, NCA and University of Liverpool): Low / Medium / High / Very High',
    kind: 'S',
    grades: [
      {
        value: 'very-high',
        means: 'very high risk',
        actWithin: { value: { days: 1 }, source: 'KIRAT action time: very high within 1 day', kind: 'S' },
        priority: 1,
      },
      { value: 'high', means: 'high risk', actWithin: { value: { days: 7 }, source: 'KIRAT action time: high within 1 week', kind: 'S' }, priority: 2 },
      { value: 'medium', means: 'medium risk', actWithin: { value: { days: 14 }, source: 'KIRAT action time: medium within 2 weeks', kind: 'S' }, priority: 3 },
      { value: 'low', means: 'low risk', actWithin: { value: { days: 30 }, source: 'KIRAT action time: low within 30 days', kind: 'S' }, priority: 3 },
    ],
  },
};

/** Every scale's grades in a line, for a person choosing one (the CLI's help, the web form's hint); a function, so workflows never build it. */
export function gradeScalesInWords(): string {
  return Object.values(GRADE_SCALES)
    .map((s) => `${s.title}: ${s.grades.map((g) => g.value).join(', ')}`)
    .join('; ');
}

/** Which scale each home country grades on; a home not listed grades on NCMEC's (the tips are NCMEC's). */
export const GRADE_SCALE_BY_HOME: Readonly<Record<string, GradeScaleName>> = { US: 'ncmec-priority', GB: 'kirat' };

export function gradeScaleFor(homeCountry: string): GradeScale {
  return GRADE_SCALES[GRADE_SCALE_BY_HOME[homeCountry] ?? 'ncmec-priority'];
}

export function gradeOf(scale: GradeScale, value: string): Grade | undefined {
  return scale.grades.find((g) => g.value === value);
}

/** The top grade of a scale: imminent danger. */
export function topGrade(scale: GradeScale): Grade {
  return scale.grades[0];
}

/** The grade a priority stands for on a scale (the highest grade with that priority). */
export function gradeForPriority(scale: GradeScale, priority: 1 | 2 | 3): Grade {
  return scale.grades.find((g) => g.priority === priority) ?? scale.grades[scale.grades.length - 1];
}

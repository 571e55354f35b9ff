/**
 * Values people type or send — case ids, units, countries, stages, parties, priorities, durations —
 * checked with zod the same way by the CLI (flags) and the API (paths, query strings).
 */
import { z } from 'zod';
import { CountryCodeSchema, FORCE_CASE_SUFFIX, PrioritySchema, TipSchema, caseIdFor } from '../workflows/tip';
import { PARTIES, STAGES, UnitCodeSchema } from '../workflows/vocabulary';
import { PolicyProfileSchema } from '../workflows/policy';

const UNIT_MS = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 } as const;

/** `90m`, `12h`, `30d`, `2w` (and `45s`) → milliseconds. */
export const DurationSchema = z
  .string()
  .regex(/^\d{1,6}[smhdw]$/, { message: 'must be a duration such as 90m, 12h, 30d or 2w' })
  .transform((s) => Number(s.slice(0, -1)) * UNIT_MS[s.slice(-1) as keyof typeof UNIT_MS]);

/**
 * A case id is `case-` + the NCMEC report number (workflows/tip.ts `caseIdFor`), or a force's case started by
 * the referral case's dissemination: the same with `-force` (`forceCaseIdFor`).
 */
export const CaseIdSchema = z.string().refine(
  (id) => {
    const own = id.endsWith(FORCE_CASE_SUFFIX) ? id.slice(0, -FORCE_CASE_SUFFIX.length) : id;
    const report = own.startsWith('case-') ? own.slice('case-'.length) : '';
    return TipSchema.shape.ncmecReportNumber.safeParse(report).success && caseIdFor(report) === own;
  },
  { message: `must be a case id such as ${caseIdFor('190000001')}` },
);

/** A unit code (team, force, task force): defined with the case's vocabulary (the dissemination input names one too). */
export const UnitSchema = UnitCodeSchema;

/** A country code as a person types it (lower case and spaces accepted), then the one ISO list every part uses. */
export const CountryArgSchema = z
  .string()
  .transform((s) => s.trim().toUpperCase())
  .pipe(CountryCodeSchema);

export const StageArgSchema = z.enum(STAGES, { message: `must be one of ${STAGES.join(', ')}` });
export const PartyArgSchema = z.enum(PARTIES, { message: `must be one of ${PARTIES.join(', ')}` });
/** NCMEC's priority scale, as the tip schema defines it. */
export const PriorityArgSchema = z
  .string()
  .regex(/^[123]$/, { message: 'must be 1, 2 or 3' })
  .transform(Number)
  .pipe(PrioritySchema);
export const ProfileArgSchema = z.enum(PolicyProfileSchema.options, { message: `must be one of ${PolicyProfileSchema.options.join(', ')}` });

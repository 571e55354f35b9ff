/**
 * Argument schemas: every value a person types is checked here, with zod, before it reaches a case.
 * Payloads of updates are checked with the very schemas the workflow's validators use (imported from
 * workflows/messages), with the failing field named by its flag.
 */
import { z } from 'zod';
import { CountryCodeSchema, PrioritySchema, TipSchema, caseIdFor } from '../../workflows/tip';
import { PARTIES, STAGES } from '../../workflows/messages';
import { PolicyProfileSchema } from '../../workflows/policy';
import { ISO_3166_ALPHA2 } from './iso-countries';
import { badInput } from './errors';

const UNIT_MS = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 } as const;

/** `90m`, `12h`, `30d`, `2w` (and `45s`) → milliseconds. */
export const DurationSchema = z
  .string()
  .regex(/^\d{1,6}[smhdw]$/, { message: 'must be a duration such as 90m, 12h, 30d or 2w' })
  .transform((s) => Number(s.slice(0, -1)) * UNIT_MS[s.slice(-1) as keyof typeof UNIT_MS]);

/** A case id is `case-` + the NCMEC report number (workflows/tip.ts `caseIdFor`). */
export const CaseIdSchema = z.string().refine(
  (id) => {
    const report = id.startsWith('case-') ? id.slice('case-'.length) : '';
    return TipSchema.shape.ncmecReportNumber.safeParse(report).success && caseIdFor(report) === id;
  },
  { message: `must be a case id such as ${caseIdFor('190000001')}` },
);

const regionNames = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'none' });
/** The ISO code a retired or informal code (UK, SU, ...) stands for, to suggest it. */
function isoCodeFor(code: string): string | undefined {
  let name: string | undefined;
  try {
    name = regionNames.of(code);
  } catch {
    return undefined; // not a well-formed region code at all
  }
  return name ? ISO_3166_ALPHA2.find((c) => regionNames.of(c) === name) : undefined;
}

/** The tip's country code format, further limited to codes ISO 3166-1 actually assigns; lower case accepted. */
export const CountryArgSchema = z
  .string()
  .transform((s) => s.trim().toUpperCase())
  .pipe(CountryCodeSchema)
  .superRefine((code, ctx) => {
    // zod runs this even when the format check failed; that failure is the one to report.
    if (!/^[A-Z]{2}$/.test(code) || ISO_3166_ALPHA2.includes(code)) return;
    const meant = isoCodeFor(code);
    ctx.addIssue({ code: 'custom', message: `${code} is not an ISO 3166-1 alpha-2 country code${meant ? ` (did you mean ${meant}?)` : ''}` });
  });

export const StageArgSchema = z.enum(STAGES, { message: `must be one of ${STAGES.join(', ')}` });
export const PartyArgSchema = z.enum(PARTIES, { message: `must be one of ${PARTIES.join(', ')}` });
/** NCMEC's priority scale, as the tip schema defines it. */
export const PriorityArgSchema = z
  .string()
  .regex(/^[123]$/, { message: 'must be 1, 2 or 3' })
  .transform(Number)
  .pipe(PrioritySchema);
export const ProfileArgSchema = z.enum(PolicyProfileSchema.options, { message: `must be one of ${PolicyProfileSchema.options.join(', ')}` });

/** Parses one argument or fails with exit 2 and `FLAG: message`. */
export function arg<T>(schema: z.ZodType<T, unknown>, value: unknown, flag: string): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw badInput(`${flag}: ${parsed.error.issues[0]!.message}`);
  return parsed.data;
}

export function optionalArg<T>(schema: z.ZodType<T, unknown>, value: unknown, flag: string): T | undefined {
  return value === undefined ? undefined : arg(schema, value, flag);
}

/**
 * Checks an update's payload with the workflow's own schema before sending it; a failing field is
 * named by its flag (`--text: must not be empty`), so nothing half-valid reaches a case.
 */
export function payload<T>(schema: z.ZodType<T, unknown>, input: Record<string, unknown>, flags: Record<string, string>): T {
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = String(issue.path[0] ?? '');
    throw badInput(`${flags[field] ?? (field || 'input')}: ${issue.message}`);
  }
  return parsed.data;
}

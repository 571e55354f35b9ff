/** Argument schemas: every value a person types is checked here before it reaches a case. */
import { z } from 'zod';
import { CountryCodeSchema, PrioritySchema } from '../../workflows/tip';
import { STAGES, PARTIES } from '../../workflows/messages';
import { badInput } from './errors';

const UNIT_MS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 };

export const DurationSchema = z
  .string()
  .regex(/^\d+[smhdw]$/, { message: 'must be a duration such as 90m, 12h, 30d or 2w' })
  .transform((s) => Number(s.slice(0, -1)) * UNIT_MS[s.slice(-1)]!);

export const CaseIdSchema = z.string().regex(/^case-\d{5,12}$/, { message: 'must be a case id such as case-190000001' });
export const ActorSchema = z.string().trim().min(1, { message: 'must name the person acting' }).max(200);
export const StageArgSchema = z.enum(STAGES, { message: `must be one of ${STAGES.join(', ')}` });
export const PartyArgSchema = z.enum(PARTIES, { message: `must be one of ${PARTIES.join(', ')}` });
export const CountryArgSchema = CountryCodeSchema;
export const PriorityArgSchema = z.coerce.number().pipe(PrioritySchema);

/** Parses one argument or exits 2 with `--flag: message`. */
export function arg<T>(schema: z.ZodType<T>, value: unknown, flag: string): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw badInput(`${flag}: ${parsed.error.issues[0]!.message}`);
  return parsed.data;
}

export function optionalArg<T>(schema: z.ZodType<T>, value: unknown, flag: string): T | undefined {
  return value === undefined ? undefined : arg(schema, value, flag);
}

/**
 * Argument schemas: every value a person types is checked here, with zod, before it reaches a case.
 * Payloads of updates are checked with the very schemas the workflow's validators use (imported from
 * workflows/messages), with the failing field named by its flag.
 */
import type { z } from 'zod';
import { badInput } from './errors';

export { CaseIdSchema, CountryArgSchema, DurationSchema, PartyArgSchema, PriorityArgSchema, ProfileArgSchema, StageArgSchema, UnitSchema } from '../schemas';

/** Parses one argument or fails with exit 2 and `FLAG: message`. */
export function arg<T>(schema: z.ZodType<T, unknown>, value: unknown, flag: string): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw badInput(`${flag}: ${parsed.error.issues[0].message}`);
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
    const issue = parsed.error.issues[0];
    const field = String(issue.path[0] ?? '');
    throw badInput(`${flags[field] ?? (field || 'input')}: ${issue.message}`);
  }
  return parsed.data;
}

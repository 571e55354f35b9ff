/**
 * The benches' command lines: `--name value` and `--name=value` into an object, validated by the
 * bench's zod schema, so a wrong flag or value names itself. One parser for every bench entry point.
 */
import type { z } from 'zod';

export class BadArgs extends Error {}

export function parseFlags<S extends z.ZodType>(argv: string[], schema: S): z.infer<S> {
  const raw: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const m = /^--([a-z-]+)(?:=(.*))?$/.exec(a);
    if (!m) throw new BadArgs(`unexpected argument ${a}`);
    const value = m[2] ?? argv[++i];
    if (value === undefined) throw new BadArgs(`--${m[1]}: needs a value`);
    raw[m[1]] = value;
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    if (issue.code === 'unrecognized_keys') throw new BadArgs(`unknown option --${issue.keys[0]}`);
    throw new BadArgs(`--${String(issue.path[0])}: ${issue.message}`);
  }
  return parsed.data;
}

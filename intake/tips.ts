/**
 * Tip files as people hand them in: one JSON tip, a JSON array of tips, or NDJSON (one tip per line,
 * blank lines allowed). Each tip is validated on its own, so one bad tip in a batch does not stop the
 * others; every result names the tip's position in the batch and the line of the file it starts on.
 * Shared by the CLI (which reads the file) and the API (which receives it), so both number tips and
 * word errors the same. Errors name fields and zod's messages only: a tip's content never appears.
 */
import { TipSchema, describeIssues, type Tip } from '../workflows/tip';

export type TipFormat = 'json' | 'array' | 'ndjson';

export type TipEntry = { position: number; line: number; tip: Tip } | { position: number; line: number; error: string };

/** The input as a whole is not tips (empty, not JSON, no tip in it): nothing in it is started. */
export class TipSourceError extends Error {}

export interface ParsedTips {
  format: TipFormat;
  entries: TipEntry[];
}

/** Lines (1-based) on which each top-level element of a JSON array starts. */
function arrayElementLines(text: string): number[] {
  const lines: number[] = [];
  let line = 1;
  let depth = 0;
  let inString = false;
  let expectValue = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\n') line++;
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\r' || c === '\n') continue;
    if (depth === 1 && expectValue) {
      lines.push(line);
      expectValue = false;
    }
    if (c === '"') inString = true;
    else if (c === '[' || c === '{') {
      depth++;
      if (depth === 1) expectValue = true;
    } else if (c === ']' || c === '}') depth--;
    else if (c === ',' && depth === 1) expectValue = true;
  }
  return lines;
}

function validate(item: unknown): { tip: Tip } | { error: string } {
  const parsed = TipSchema.safeParse(item);
  if (parsed.success) return { tip: parsed.data };
  const issues = describeIssues(parsed.error);
  return { error: `${issues[0]}${issues.length > 1 ? ` (and ${issues.length - 1} more)` : ''}` };
}

export function parseTips(text: string): ParsedTips {
  if (text.trim() === '') throw new TipSourceError('the input is empty');
  const firstLine = text.slice(0, text.length - text.trimStart().length).split('\n').length;
  let whole: unknown;
  let isJson = true;
  try {
    whole = JSON.parse(text);
  } catch {
    isJson = false;
  }
  if (isJson && Array.isArray(whole)) {
    if (whole.length === 0) throw new TipSourceError('no tips in the input');
    const lines = arrayElementLines(text);
    return { format: 'array', entries: whole.map((item, i) => ({ position: i + 1, line: lines[i] ?? firstLine, ...validate(item) })) };
  }
  if (isJson) return { format: 'json', entries: [{ position: 1, line: firstLine, ...validate(whole) }] };
  // Not one JSON document: NDJSON, one tip per non-blank line, numbered by its line in the file.
  const lines = text
    .split('\n')
    .map((t, i) => ({ t, line: i + 1 }))
    .filter((l) => l.t.trim() !== '');
  if (lines.length < 2) throw new TipSourceError('not valid JSON (expected a tip, an array of tips, or one tip per line)');
  return {
    format: 'ndjson',
    entries: lines.map(({ t, line }, i) => {
      try {
        return { position: i + 1, line, ...validate(JSON.parse(t)) };
      } catch {
        return { position: i + 1, line, error: 'not valid JSON' };
      }
    }),
  };
}

/** `tip 2 (line 5)`: where a tip is, as an error names it (a lone tip is just `tip 1`). */
export function tipWhere(e: { position: number; line: number }, format: TipFormat): string {
  return format === 'json' ? `tip ${e.position}` : `tip ${e.position} (line ${e.line})`;
}

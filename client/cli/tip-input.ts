/**
 * Reads tips from a file or standard input: one JSON tip, a JSON array of tips, or NDJSON (one tip
 * per line). Each tip is validated on its own, so one bad tip in a batch does not stop the others.
 */
import fs from 'node:fs';
import { TipSchema, describeIssues, type Tip } from '../../workflows/tip';
import { badInput } from './errors';

export type TipEntry = { position: number; tip: Tip } | { position: number; error: string };

export async function readTipSource(file: string): Promise<string> {
  if (file === '-') {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  }
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw badInput(`--tip: cannot read ${file}${code === 'ENOENT' ? ': no such file' : code ? `: ${code}` : ''}`);
  }
}

export function parseTips(text: string): TipEntry[] {
  const trimmed = text.trim();
  if (trimmed === '') throw badInput('--tip: the input is empty');
  let items: unknown[];
  try {
    const whole: unknown = JSON.parse(trimmed);
    items = Array.isArray(whole) ? whole : [whole];
  } catch {
    // Not one JSON document: NDJSON, one tip per non-empty line.
    const lines = trimmed.split('\n').filter((l) => l.trim() !== '');
    if (lines.length < 2) throw badInput('--tip: not valid JSON (expected a tip, an array of tips, or one tip per line)');
    items = lines.map((line, i) => {
      try {
        return JSON.parse(line) as unknown;
      } catch {
        return new InvalidLine(`line ${i + 1} is not valid JSON`);
      }
    });
  }
  if (items.length === 0) throw badInput('--tip: no tips in the input');
  return items.map((item, i) => {
    const position = i + 1;
    if (item instanceof InvalidLine) return { position, error: item.message };
    const parsed = TipSchema.safeParse(item);
    if (parsed.success) return { position, tip: parsed.data };
    // Field names and zod's messages only: a tip's content never appears in an error.
    const issues = describeIssues(parsed.error);
    return { position, error: `${issues[0]!}${issues.length > 1 ? ` (and ${issues.length - 1} more)` : ''}` };
  });
}

class InvalidLine {
  constructor(readonly message: string) {}
}

/**
 * A document's content: plain text in a small line format, which is what is hashed, stored,
 * approved, and rendered to PDF and DOCX (and read back from an edited DOCX):
 *
 *   # Title            ## Heading          - list item
 *   > quoted statutory language            **Label:** value  (a form field)
 *   any other line: a paragraph; a paragraph, item or quote takes the lines after it up to a blank line
 *
 * Canonical form: one block per line, blocks separated by one blank line, whitespace collapsed, a
 * final newline. Rendering a canonical text to DOCX and reading it back gives the same text, so an
 * unedited round trip keeps the content hash.
 */
import { createHash } from 'node:crypto';

export type Block =
  | { type: 'title'; text: string }
  | { type: 'heading'; text: string }
  | { type: 'item'; text: string }
  | { type: 'quote'; text: string }
  | { type: 'field'; label: string; text: string }
  | { type: 'paragraph'; text: string };

const FIELD = /^\*\*(.+?):\*\*\s*(.*)$/;

const squash = (s: string): string => s.replace(/\s+/g, ' ').trim();

function startOf(line: string): Block | undefined {
  if (line.startsWith('# ')) return { type: 'title', text: line.slice(2) };
  if (line.startsWith('## ')) return { type: 'heading', text: line.slice(3) };
  if (line.startsWith('- ')) return { type: 'item', text: line.slice(2) };
  if (line.startsWith('> ')) return { type: 'quote', text: line.slice(2) };
  const field = FIELD.exec(line);
  if (field) return { type: 'field', label: field[1], text: field[2] };
  return undefined;
}

export function parseContent(text: string): Block[] {
  const blocks: Block[] = [];
  let open: Block | undefined;
  for (const raw of text.replace(/\r\n?/g, '\n').split('\n')) {
    const line = raw.trim();
    if (line === '') {
      open = undefined;
      continue;
    }
    const start = startOf(line);
    if (start) {
      blocks.push(start);
      // A title, heading or field is one line; items, quotes and paragraphs take continuation lines.
      open = start.type === 'title' || start.type === 'heading' || start.type === 'field' ? undefined : start;
    } else if (open) {
      open.text = `${open.text} ${line}`;
    } else {
      open = { type: 'paragraph', text: line };
      blocks.push(open);
    }
  }
  return blocks
    .map((b) => (b.type === 'field' ? { ...b, label: squash(b.label), text: squash(b.text) } : { ...b, text: squash(b.text) }))
    .filter((b) => b.type === 'field' || b.text !== '');
}

export function blockLine(b: Block): string {
  switch (b.type) {
    case 'title':
      return `# ${b.text}`;
    case 'heading':
      return `## ${b.text}`;
    case 'item':
      return `- ${b.text}`;
    case 'quote':
      return `> ${b.text}`;
    case 'field':
      return `**${b.label}:** ${b.text}`.trimEnd();
    case 'paragraph':
      return b.text;
  }
}

export function serializeContent(blocks: readonly Block[]): string {
  return `${blocks.map(blockLine).join('\n\n')}\n`;
}

/** The canonical form of a text (what is hashed and stored). */
export function canonicalContent(text: string): string {
  return serializeContent(parseContent(text));
}

/** The content address: SHA-256 of the canonical text in UTF-8. */
export function contentHash(canonical: string): string {
  return createHash('sha256').update(canonical, 'utf8').digest('hex');
}

/** A gap a person must fill before the document can be approved; the marker is the same in every language. */
export const placeholder = (label: string): string => `[[TO COMPLETE: ${label}]]`;
const PLACEHOLDER = /\[\[TO COMPLETE: ([^\]]{1,200})\]\]/g;

/** The labels of the gaps still open in a text, each once, in order. */
export function openPlaceholders(text: string): string[] {
  return [...new Set([...text.matchAll(PLACEHOLDER)].map((m) => m[1].trim()))];
}

/** The title of a document (its first title block), for file names and PDF metadata. */
export function titleOf(blocks: readonly Block[]): string {
  return blocks.find((b) => b.type === 'title')?.text ?? 'Document';
}

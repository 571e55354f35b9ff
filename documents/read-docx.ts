/**
 * Reads an edited DOCX back into the content format, with mammoth (the maintained DOCX-to-HTML
 * converter; it reads the body only, so headers and footers — the DRAFT mark, the hash — stay out).
 * Paragraph styles map back to blocks: Title → title, Heading 1–6 → heading, Quote → quote, list
 * paragraphs → items, a paragraph opening with a bold "Label:" → a form field.
 */
import mammoth from 'mammoth';
import { parseContent, serializeContent, type Block } from './content';

export const MAX_DOCX_BYTES = 20 * 1024 * 1024;

export class DocxReadError extends Error {
  override name = 'DocxReadError';
}

const STYLE_MAP = [
  "p[style-name='Title'] => h1:fresh",
  "p[style-name='Heading 1'] => h2:fresh",
  "p[style-name='Heading 2'] => h2:fresh",
  "p[style-name='Heading 3'] => h2:fresh",
  "p[style-name='Quote'] => p.quote:fresh",
  "p[style-name='Intense Quote'] => p.quote:fresh",
];

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

function decode(html: string): string {
  return html
    .replace(/<br\s*\/?>/gi, ' ')
    .replace(/<[^>]+>/g, '')
    .replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (m, e: string) => {
      if (e[0] === '#') return String.fromCodePoint(e[1].toLowerCase() === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10));
      return ENTITIES[e.toLowerCase()] ?? m;
    });
}

/** Blocks from mammoth's HTML (its output is a small, well-formed subset: h1–h6, p, li, tables of p). */
function blocksFromHtml(html: string): Block[] {
  const blocks: Block[] = [];
  for (const m of html.matchAll(/<(h[1-6]|p|li)(\s[^>]*)?>([\s\S]*?)<\/\1>/g)) {
    const [, tag, attrs = '', inner] = m;
    if (tag === 'li' && /<p[\s>]/.test(inner)) continue; // its paragraphs are matched on their own
    const text = decode(inner);
    if (tag === 'h1') blocks.push({ type: 'title', text });
    else if (tag.startsWith('h')) blocks.push({ type: 'heading', text });
    else if (tag === 'li') blocks.push({ type: 'item', text });
    else if (/class="quote"/.test(attrs)) blocks.push({ type: 'quote', text: text.replace(/^[“"]|[”"]$/g, '') });
    else {
      const field = /^\s*<strong>([^<]+?):\s*<\/strong>([\s\S]*)$/.exec(inner);
      if (field) blocks.push({ type: 'field', label: decode(field[1]), text: decode(field[2]) });
      else blocks.push({ type: 'paragraph', text });
    }
  }
  return blocks;
}

/** The content (canonical text) of a DOCX file. */
export async function readDocx(bytes: Uint8Array): Promise<string> {
  if (bytes.byteLength > MAX_DOCX_BYTES) throw new DocxReadError(`file: a DOCX upload is at most ${MAX_DOCX_BYTES / 1024 / 1024} MB`);
  let html: string;
  try {
    ({ value: html } = await mammoth.convertToHtml({ buffer: Buffer.from(bytes) }, { styleMap: STYLE_MAP, ignoreEmptyParagraphs: true }));
  } catch {
    throw new DocxReadError('file: not a readable DOCX document (save it from Word or LibreOffice as .docx)');
  }
  // Round through the line format so the stored text is canonical whatever the editor did to spacing.
  const text = serializeContent(parseContent(serializeContent(blocksFromHtml(html))));
  if (text.trim() === '') throw new DocxReadError('file: the DOCX document has no text');
  return text;
}

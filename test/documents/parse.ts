/** The text of generated files, read back with independent parsers: pdf.js (pdf-parse) for PDF, the DOCX's own XML (jszip). */
import JSZip from 'jszip';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { DEMONSTRATION_AGENCY } from '../../documents/agency';

/** Whitespace collapsed, and words pdfkit broke after a hyphen at a line end joined again. */
export function flat(text: string): string {
  return text.replace(/-\s*\n\s*/g, '-').replace(/\s+/g, ' ');
}

/** `all`: every word on the pages, page headers and footers included; `body`: the document's text alone. */
export async function pdfText(bytes: Uint8Array): Promise<{ all: string; body: string }> {
  const text = await new Promise<string>((resolve, reject) => {
    const child = execFile(process.execPath, [path.join(__dirname, 'pdf-text.js')], { maxBuffer: 64 * 1024 * 1024 }, (err, stdout) =>
      err ? reject(new Error(`pdf-text.js failed: ${err.message}`)) : resolve(stdout),
    );
    child.stdin!.end(Buffer.from(bytes));
  });
  const all = flat(text);
  return { all, body: withoutPageFurniture(all) };
}

/**
 * The body text alone: pdf.js reads each page's header and footer (drawn after the body) between
 * the last line of one page and the first of the next; cut them out so a sentence that runs over a
 * page break reads whole. Each page ends: agency, [DRAFT banner, watermark | approval], id · version · hash, page.
 */
export function withoutPageFurniture(text: string, agency = DEMONSTRATION_AGENCY.name): string {
  const name = agency.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const page = new RegExp(
    ` ?${name} (?:(?:DRAFT|ENTWURF|PROJET) — [^·]*? (?:DRAFT|ENTWURF|PROJET) )?(?:(?:Approved|Zur Versendung freigegeben|Approuvé) [^·]*? )?` +
      `case-[^ ]+ · v\\d+ · [^·]*?[0-9a-f]{64} (?:Page|Seite) \\d+ (?:of|von|sur) \\d+ -- \\d+ of \\d+ --`,
    'g',
  );
  return text.replace(page, ' ');
}

/** For PDF text, where line breaks can fall inside a citation ("(c)" / "(4)"): compare without any whitespace. */
export const squeeze = (s: string): string => s.replace(/\s+/g, '');

const unescape = (s: string): string =>
  s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');

/** The text of a DOCX part: its runs (w:t) joined within each paragraph, paragraphs separated by a space. */
async function partText(zip: JSZip, name: string): Promise<string> {
  const xml = (await zip.file(name)?.async('string')) ?? '';
  const paragraphs = [...xml.matchAll(/<w:p[ >][\s\S]*?<\/w:p>/g)].map((p) =>
    [...p[0].matchAll(/<w:t(?:\s[^>]*)?>([^<]*)<\/w:t>/g)].map((t) => unescape(t[1])).join(''),
  );
  return flat(paragraphs.join('\n'));
}

export async function docxText(bytes: Uint8Array): Promise<{ body: string; headers: string; footers: string }> {
  const zip = await JSZip.loadAsync(bytes);
  const names = Object.keys(zip.files);
  const join = async (re: RegExp) => (await Promise.all(names.filter((n) => re.test(n)).map((n) => partText(zip, n)))).join(' ');
  return { body: await partText(zip, 'word/document.xml'), headers: await join(/^word\/header\d*\.xml$/), footers: await join(/^word\/footer\d*\.xml$/) };
}

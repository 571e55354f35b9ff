/**
 * The PDF's fonts. PDF's built-in fonts cover only Western European letters, and names in tips do
 * not stay inside them (Łukasz, Ştefan, Cyrillic screen names), so the PDF embeds DejaVu Serif,
 * which covers Latin, Greek and Cyrillic in full: Debian's fonts-dejavu-core, installed by
 * scripts/install-document-tools.sh (run by `make install`). CASEBRIDGE_DOCUMENT_FONT_DIR points
 * elsewhere when the fonts live in another folder.
 */
import fs from 'node:fs';
import path from 'node:path';

export const DEFAULT_FONT_DIR = '/usr/share/fonts/truetype/dejavu';
const FILES = { regular: 'DejaVuSerif.ttf', bold: 'DejaVuSerif-Bold.ttf', italic: 'DejaVuSerif-Italic.ttf' } as const;

export type FontFiles = Record<keyof typeof FILES, string>;

export class FontsMissingError extends Error {
  override name = 'FontsMissingError';
}

/** The font files, or FontsMissingError saying what to install. */
export function findFonts(dir: string = process.env.CASEBRIDGE_DOCUMENT_FONT_DIR || DEFAULT_FONT_DIR): FontFiles {
  const files = Object.fromEntries(Object.entries(FILES).map(([k, f]) => [k, path.join(dir, f)])) as FontFiles;
  const missing = Object.values(files).filter((f) => !fs.existsSync(f));
  if (missing.length > 0) {
    throw new FontsMissingError(
      `PDF rendering needs the DejaVu Serif fonts, missing: ${missing.join(', ')}; run scripts/install-document-tools.sh ` +
        `(Debian package fonts-dejavu-core) or set CASEBRIDGE_DOCUMENT_FONT_DIR to a folder holding ${Object.values(FILES).join(', ')}`,
    );
  }
  return files;
}

/**
 * What a person does to a draft in a word processor, for the demo (and the tests' document desk):
 * every `[[TO COMPLETE: …]]` gap in the DOCX body replaced by their text. The DOCX keeps its styles,
 * so CaseBridge reads it back as the same blocks with the gaps filled.
 */
import JSZip from 'jszip';

export async function fillDocxGaps(docx: Uint8Array, fill: (label: string) => string): Promise<Buffer> {
  const zip = await JSZip.loadAsync(docx);
  const body = zip.file('word/document.xml');
  if (!body) throw new Error('not a DOCX document (no word/document.xml)');
  const xml = await body.async('string');
  zip.file(
    'word/document.xml',
    xml.replace(/\[\[TO COMPLETE: ([^\]]*)\]\]/g, (_m, label: string) => fill(label)),
  );
  return zip.generateAsync({ type: 'nodebuffer' });
}

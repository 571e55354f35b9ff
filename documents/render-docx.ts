/**
 * DOCX for editing, with the `docx` library (declarative, typed, pure JavaScript, actively
 * maintained). The content goes into the body with named styles (Title, Heading 1, Quote, bulleted
 * list, a bold label for form fields) so that ./read-docx.ts can read an edited file back into the
 * same content format; the DRAFT mark, the approval and the hash go into the header and footer,
 * which are not content and are not read back.
 */
import { AlignmentType, Document, Footer, Header, HeadingLevel, Packer, Paragraph, TextRun } from 'docx';
import type { Block } from './content';
import { titleOf } from './content';
import { WORDS } from './i18n';
import { footerLines, type RenderMeta } from './marks';

const FONT = 'DejaVu Serif';

function paragraph(b: Block): Paragraph {
  switch (b.type) {
    case 'title':
      return new Paragraph({ heading: HeadingLevel.TITLE, alignment: AlignmentType.CENTER, children: [new TextRun(b.text)] });
    case 'heading':
      return new Paragraph({ heading: HeadingLevel.HEADING_1, children: [new TextRun(b.text)] });
    case 'item':
      return new Paragraph({ bullet: { level: 0 }, children: [new TextRun(b.text)] });
    case 'quote':
      return new Paragraph({ style: 'Quote', children: [new TextRun(b.text)] });
    case 'field':
      return new Paragraph({ children: [new TextRun({ text: `${b.label}:`, bold: true }), ...(b.text ? [new TextRun(` ${b.text}`)] : [])] });
    case 'paragraph':
      return new Paragraph({ alignment: AlignmentType.JUSTIFIED, children: [new TextRun(b.text)] });
  }
}

export async function renderDocx(blocks: readonly Block[], meta: RenderMeta): Promise<Buffer> {
  const w = WORDS[meta.language];
  const header = new Header({
    children: [
      new Paragraph({ children: [new TextRun({ text: meta.agency, size: 15, color: '555555' })] }),
      ...(meta.approval
        ? []
        : [new Paragraph({ alignment: AlignmentType.RIGHT, children: [new TextRun({ text: w.draftBanner, bold: true, color: 'B00000', size: 20 })] })]),
    ],
  });
  const footer = new Footer({
    children: footerLines(meta).map((line) => new Paragraph({ children: [new TextRun({ text: line, size: 14, color: '333333' })] })),
  });
  const doc = new Document({
    creator: 'CaseBridge',
    title: titleOf(blocks),
    description: `${meta.documentId} v${meta.version}${meta.approval ? '' : ` (${w.draft})`}`,
    styles: {
      default: { document: { run: { font: FONT, size: 21 } } },
      paragraphStyles: [
        {
          id: 'Quote',
          name: 'Quote',
          basedOn: 'Normal',
          next: 'Normal',
          run: { italics: true },
          paragraph: { indent: { left: 720, right: 720 }, spacing: { after: 120 } },
        },
      ],
    },
    sections: [{ headers: { default: header }, footers: { default: footer }, children: blocks.map(paragraph) }],
  });
  return Packer.toBuffer(doc);
}

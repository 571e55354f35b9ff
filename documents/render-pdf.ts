/**
 * PDF for sending, with pdfkit (pure JavaScript, no browser or office suite on the worker; embeds
 * TrueType fonts; maintained since 2011). A draft carries a DRAFT banner on every page and a
 * diagonal DRAFT watermark; an approved version carries neither, and its footer names who approved
 * it, in which role and when. Every page's footer holds the document id, version and content hash.
 */
import PDFDocument from 'pdfkit';
import type { Block } from './content';
import { titleOf } from './content';
import { findFonts } from './fonts';
import { WORDS } from './i18n';
import { footerLines, type RenderMeta } from './marks';

const MARGIN = 64;
const FOOTER_SPACE = 46;

export async function renderPdf(blocks: readonly Block[], meta: RenderMeta): Promise<Buffer> {
  const fonts = findFonts();
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: MARGIN + 14, bottom: MARGIN + FOOTER_SPACE, left: MARGIN, right: MARGIN },
    bufferPages: true,
    info: { Title: titleOf(blocks), Author: meta.agency, Subject: `${meta.documentId} v${meta.version}`, Creator: 'CaseBridge' },
    lang: meta.language,
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.registerFont('body', fonts.regular);
  doc.registerFont('bold', fonts.bold);
  doc.registerFont('italic', fonts.italic);
  const width = doc.page.width - 2 * MARGIN;

  for (const b of blocks) {
    switch (b.type) {
      case 'title':
        doc.font('bold').fontSize(14).text(b.text, { align: 'center', width });
        doc.moveDown(0.8);
        break;
      case 'heading':
        doc.moveDown(0.4);
        doc.font('bold').fontSize(11).text(b.text, { width });
        doc.moveDown(0.3);
        break;
      case 'item':
        doc
          .font('body')
          .fontSize(10)
          .text(`•  ${b.text}`, MARGIN + 12, undefined, { width: width - 12, indent: -9, align: 'left' });
        doc.x = MARGIN;
        doc.moveDown(0.2);
        break;
      case 'quote':
        doc
          .font('italic')
          .fontSize(10)
          .text(`“${b.text}”`, MARGIN + 24, undefined, { width: width - 48, align: 'justify' });
        doc.x = MARGIN;
        doc.moveDown(0.4);
        break;
      case 'field':
        doc
          .font('bold')
          .fontSize(10)
          .text(`${b.label}: `, { continued: b.text !== '', width });
        if (b.text !== '') doc.font('body').text(b.text, { width });
        doc.moveDown(0.2);
        break;
      case 'paragraph':
        doc.font('body').fontSize(10).text(b.text, { align: 'justify', width });
        doc.moveDown(0.5);
        break;
    }
  }

  const w = WORDS[meta.language];
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    // Writing inside the margins would make pdfkit add pages: lift the bottom margin while marking.
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    doc
      .font('body')
      .fontSize(7.5)
      .fillColor('#555555')
      .text(meta.agency, MARGIN, MARGIN - 24, { width, align: 'left', lineBreak: false });
    if (!meta.approval) {
      doc
        .font('bold')
        .fontSize(9)
        .fillColor('#b00000')
        .text(w.draftBanner, MARGIN, MARGIN - 38, { width, align: 'right', lineBreak: false });
      doc.save();
      doc.rotate(-40, { origin: [doc.page.width / 2, doc.page.height / 2] });
      doc
        .font('bold')
        .fontSize(120)
        .fillColor('#cc0000', 0.12)
        .text(w.draft, 0, doc.page.height / 2 - 70, { width: doc.page.width, align: 'center', lineBreak: false });
      doc.restore();
    }
    const lines = footerLines(meta);
    let y = doc.page.height - MARGIN - 10;
    doc.fillColor('#333333', 1).font('body').fontSize(7);
    for (const line of lines) {
      doc.text(line, MARGIN, y, { width, align: 'left', lineBreak: false });
      y += 10;
    }
    doc.text(w.page(i - range.start + 1, range.count), MARGIN, y, { width, align: 'right', lineBreak: false });
    doc.page.margins.bottom = bottom;
    doc.fillColor('#000000', 1);
  }
  doc.end();
  return done;
}

/**
 * Writes one PDF per document kind and language from the made-up sample case (documents/sample.ts)
 * to a folder, for looking at: `make document-examples` turns them into the page images kept in
 * docs/documents/. Drafts, except the search warrant affidavit, which is also written approved to
 * show the approval footer. Run: node dist/documents/examples.js OUT_DIR
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DOCUMENT_KINDS } from '../workflows/documents';
import { FileDocumentStore } from '../platform/store/documents';
import { DEMONSTRATION_AGENCY } from './agency';
import { sampleFacts } from './sample';
import { DocumentService } from './service';
import { loadTemplates } from './settings';

export async function writeExamples(outDir: string): Promise<string[]> {
  fs.mkdirSync(outDir, { recursive: true });
  const storeDir = fs.mkdtempSync(path.join(os.tmpdir(), 'casebridge-examples-'));
  const templates = loadTemplates(undefined, DEMONSTRATION_AGENCY);
  const service = new DocumentService({
    store: new FileDocumentStore(storeDir, undefined),
    templates,
    agency: DEMONSTRATION_AGENCY,
    now: () => new Date('2026-03-21T10:00:00Z'),
  });
  const written: string[] = [];
  try {
    for (const kind of DOCUMENT_KINDS) {
      for (const language of templates.languages(kind)) {
        const ref = await service.generate({
          idempotencyKey: `example/${kind}.${language}`,
          kind,
          facts: sampleFacts(kind),
          language,
          author: { actor: 'Investigator A. Example', role: 'coordinator' },
        });
        const draft = await service.render(ref.documentId, ref.version, 'pdf');
        const file = path.join(outDir, `${kind}.${language}.pdf`);
        fs.writeFileSync(file, draft.bytes);
        written.push(file);
        if (kind === 'search-warrant-affidavit') {
          await service.recordApproval({ ...ref, approver: { actor: 'Supervisor C. Sample', role: 'manager' }, at: '2026-03-21T14:30:00Z' });
          const approved = path.join(outDir, `${kind}.${language}.approved.pdf`);
          fs.writeFileSync(approved, (await service.render(ref.documentId, ref.version, 'pdf')).bytes);
          written.push(approved);
        }
      }
    }
  } finally {
    fs.rmSync(storeDir, { recursive: true, force: true });
  }
  return written;
}

if (require.main === module) {
  const out = process.argv[2];
  if (!out) {
    console.error('usage: node dist/documents/examples.js OUT_DIR');
    process.exit(2);
  }
  writeExamples(out).then(
    (files) => console.log(files.join('\n')),
    (err: unknown) => {
      console.error(err instanceof Error ? err.message : err);
      process.exit(1);
    },
  );
}

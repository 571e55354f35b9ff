/**
 * Versions, revisions and approval: the same idempotency key gives the same version; an edited DOCX
 * uploaded back becomes the next version with its text; an unedited one changes nothing; approval
 * is refused to the wrong role, to the author where four eyes are needed, for a hash that is not the
 * version's, and while gaps remain — and a refusal changes nothing.
 */
import JSZip from 'jszip';
import { createActivities } from '../../activities';
import { createDocumentPort } from '../../activities/documents';
import { createSimulatedSystems } from '../../activities/simulators';
import { CASE_ID, factsFor, service, tempDir } from './fixture';
import { pdfText } from './parse';

/** Edits a DOCX as a person would in a word processor: replaces text inside the body's runs. */
async function editDocx(bytes: Buffer, from: string, to: string): Promise<Buffer> {
  const zip = await JSZip.loadAsync(bytes);
  const xml = await zip.file('word/document.xml')!.async('string');
  expect(xml).toContain(from);
  zip.file('word/document.xml', xml.replace(from, to));
  return zip.generateAsync({ type: 'nodebuffer' });
}

describe('document versions, revisions and approval', () => {
  const docs = service(tempDir('revisions'));
  const facts = factsFor('mlat-supplement');
  const author = { actor: 'Liaison Lee', role: 'liaison' as const };

  it('the same idempotency key returns the same version; a new key with the same text too; changed facts make version 2', async () => {
    const first = await docs.generate({ idempotencyKey: `${CASE_ID}/mlat-1/supplement-draft-1`, kind: 'mlat-supplement', facts, author });
    const again = await docs.generate({
      idempotencyKey: `${CASE_ID}/mlat-1/supplement-draft-1`,
      kind: 'mlat-supplement',
      facts: { ...facts, additions: { edits: 'ignored: the key decides' } },
      author,
    });
    expect(again).toEqual(first);
    const sameText = await docs.generate({ idempotencyKey: `${CASE_ID}/mlat-1/supplement-draft-2`, kind: 'mlat-supplement', facts, author });
    expect(sameText).toEqual(first);
    const edited = await docs.generate({
      idempotencyKey: `${CASE_ID}/mlat-1/supplement-draft-3`,
      kind: 'mlat-supplement',
      facts: { ...facts, additions: { ...facts.additions, edits: 'Name the records.' } },
      author,
    });
    expect(edited.version).toBe(2);
    expect(edited.contentHash).not.toBe(first.contentHash);
  });

  it('an edited DOCX becomes the next version, with its text; an unedited one changes nothing', async () => {
    const { documentId } = await docs.generate({ idempotencyKey: `${CASE_ID}/mlat-1/supplement-draft-3`, kind: 'mlat-supplement', facts });
    const latest = (await docs.record(documentId)).versions.at(-1)!;
    const docx = (await docs.render(documentId, latest.version, 'docx')).bytes;
    expect(await docs.uploadRevision({ documentId, docx, author })).toMatchObject({ version: latest.version, contentHash: latest.contentHash });

    const answered = await editDocx(
      docx,
      '[[TO COMPLETE: the answers to the questions above]]',
      'The subscriber records of the upload IP address name the account holder.',
    );
    const revised = await docs.uploadRevision({ documentId, docx: answered, author: { actor: 'Liaison Kim', role: 'liaison' }, basedOn: latest.version });
    expect(revised).toMatchObject({ version: latest.version + 1, incomplete: [] });
    const { content } = await docs.content(documentId, revised.version);
    expect(content).toContain('**Answers:** The subscriber records of the upload IP address name the account holder.');
    expect(content).not.toContain('TO COMPLETE');
    const record = await docs.record(documentId);
    expect(record.versions.at(-1)).toMatchObject({ source: 'uploaded', author: { actor: 'Liaison Kim', role: 'liaison' } });
    // The revision's PDF carries the person's text.
    expect((await pdfText((await docs.render(documentId, revised.version, 'pdf')).bytes)).body).toContain('name the account holder');

    await expect(docs.uploadRevision({ documentId, docx: answered, author, basedOn: latest.version })).rejects.toThrow(
      `basedOn: the revision was edited from version ${latest.version}, but document ${documentId} is at version ${revised.version}`,
    );
    await expect(docs.uploadRevision({ documentId, docx: Buffer.from('not a docx'), author })).rejects.toThrow('file: not a readable DOCX document');
  });

  it('approval is refused to the wrong role, to the author (four eyes), for another hash, and with gaps open — and changes nothing', async () => {
    const { documentId } = await docs.generate({ idempotencyKey: `${CASE_ID}/mlat-1/supplement-draft-3`, kind: 'mlat-supplement', facts });
    const record = await docs.record(documentId);
    const open = record.versions.find((v) => v.incomplete.length > 0)!;
    const done = record.versions.at(-1)!;
    const approve = (version: number, contentHash: string, approver: { actor: string; role: 'coordinator' | 'liaison' | 'manager' | 'analyst' }) =>
      docs.recordApproval({ documentId, version, contentHash, approver });

    await expect(approve(done.version, done.contentHash, { actor: 'Analyst Ana', role: 'analyst' })).rejects.toThrow(
      'role: a liaison or a manager approves a supplement to a request for mutual legal assistance, not an analyst',
    );
    await expect(approve(done.version, done.contentHash, { actor: 'Liaison Kim', role: 'liaison' })).rejects.toThrow(
      'actor: a supplement to a request for mutual legal assistance is approved by someone other than the person who wrote this version (Liaison Kim)',
    );
    await expect(approve(done.version, open.contentHash, { actor: 'Manager Mo', role: 'manager' })).rejects.toThrow(
      `contentHash: version ${done.version} of ${documentId} has content ${done.contentHash}, not ${open.contentHash}`,
    );
    await expect(approve(open.version, open.contentHash, { actor: 'Manager Mo', role: 'manager' })).rejects.toThrow(
      `version: version ${open.version} still has gaps to complete: the answers to the questions above`,
    );
    expect(await docs.record(documentId)).toEqual(record);
    const draftPdf = (await pdfText((await docs.render(documentId, done.version, 'pdf')).bytes)).all;
    expect(draftPdf).toContain('DRAFT');

    const approved = await approve(done.version, done.contentHash, { actor: 'Manager Mo', role: 'manager' });
    expect(approved).toMatchObject({ version: done.version, contentHash: done.contentHash });
    expect((await docs.record(documentId)).versions.at(-1)!.approval).toMatchObject({ actor: 'Manager Mo', role: 'manager' });
    expect((await pdfText((await docs.render(documentId, done.version, 'pdf')).bytes)).all).not.toContain('DRAFT');
  });

  it('the generateDocument activity: same key, same reference; bad facts are a non-retryable rejection naming the field', async () => {
    const activities = createActivities(createSimulatedSystems(), { documents: createDocumentPort(service(tempDir('activity'))) });
    const ctx = { caseId: CASE_ID, idempotencyKey: `${CASE_ID}/mlat-1/draft-1` };
    const req = { kind: 'mlat-request' as const, facts: factsFor('mlat-request') };
    const a = await activities.generateDocument(ctx, req);
    const b = await activities.generateDocument(ctx, req);
    expect(b).toEqual(a);
    expect(Object.keys(a).sort()).toEqual(['contentHash', 'documentId', 'incomplete', 'kind', 'language', 'version']);
    expect(JSON.stringify(a)).not.toContain(req.facts.account.espIdentifier);

    const bad = { ...req, facts: { ...req.facts, ncmecReportNumber: 'abc' } };
    await expect(activities.generateDocument({ ...ctx, idempotencyKey: `${CASE_ID}/bad` }, bad)).rejects.toMatchObject({
      type: 'RejectedRequest',
      nonRetryable: true,
      message: expect.stringContaining('facts.ncmecReportNumber'),
    });
    await expect(createActivities(createSimulatedSystems()).generateDocument(ctx, req)).rejects.toMatchObject({ type: 'RejectedRequest', nonRetryable: true });
  });
});

/**
 * Agency overrides are checked at load (a missing field, a misspelt one, a bad agency.json stop the
 * start with the file and field named; a good override is used), and the personal data of a case
 * appears in its documents only: never in the log lines of generating, revising and approving them.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import { createDocumentLayer } from '../../documents/settings';
import { BUILT_IN_TEMPLATES_DIR } from '../../documents/templates';
import { DEMONSTRATION_AGENCY_GB } from '../../documents/agency';
import { createActivities } from '../../activities';
import { createDocumentPort } from '../../activities/documents';
import { createSimulatedSystems } from '../../activities/simulators';
import { createLogger, clearSensitiveValues } from '../../platform/logger';
import { CASE_ID, PERSONAL, factsFor, key, service, tempDir } from './fixture';
import { pdfText } from './parse';

const builtIn = (name: string) => fs.readFileSync(path.join(BUILT_IN_TEMPLATES_DIR, name), 'utf8');

function overrides(files: Record<string, string>): string {
  const dir = tempDir('overrides');
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  return dir;
}

const layer = (dir: string) =>
  createDocumentLayer({ CASEBRIDGE_DATA_DIR: tempDir('data') }, { CASEBRIDGE_TEMPLATES_DIR: dir, CASEBRIDGE_ENCRYPTION_KEYS: `k1:${key()}` });

describe('agency templates (CASEBRIDGE_TEMPLATES_DIR)', () => {
  it('uses an override that fills every field, with the agency’s letterhead', async () => {
    const agency = {
      name: 'Riverside Police Department',
      address: ['1 River Road', 'Riverside'],
      phone: '+1 555 0199',
      email: 'cyber@police.example',
      contact: { name: 'Det. Sam Rivers', title: 'Detective' },
      court: 'Superior Court of Riverside',
      prosecutor: 'Riverside County District Attorney',
      centralAuthority: 'Office of International Affairs',
      embassy: 'Embassy of the United States of America',
    };
    const text = builtIn('preservation-letter.en.hbs').replace('Please confirm receipt', 'Riverside asks you to confirm receipt');
    const { service: docs, warnings } = layer(overrides({ 'agency.json': JSON.stringify(agency), 'preservation-letter.en.hbs': text }));
    expect(warnings).toEqual([]);
    expect(docs.templates.overrides()).toEqual(['preservation-letter.en']);
    const ref = await docs.generate({ idempotencyKey: `${CASE_ID}/override`, kind: 'preservation-letter', facts: factsFor('preservation-letter') });
    const { body } = await pdfText((await docs.render(ref.documentId, 1, 'pdf')).bytes.valueOf());
    expect(body).toContain('Riverside asks you to confirm receipt');
    expect(body).toContain('From: Riverside Police Department, 1 River Road · Riverside');
    expect(body).not.toContain('demonstration');
  });

  it('gives a UK force without an agency.json the UK demonstration letterhead: its 24/7 point of contact is the NCA’s, not CCIPS', async () => {
    const uk = createDocumentLayer({ CASEBRIDGE_DATA_DIR: tempDir('data') }, { CASEBRIDGE_HOME_COUNTRY: 'GB', CASEBRIDGE_ENCRYPTION_KEYS: `k1:${key()}` });
    expect(uk.warnings).toEqual(['no agency.json in CASEBRIDGE_TEMPLATES_DIR: documents carry the demonstration letterhead']);
    const facts = { ...factsFor('budapest-preservation-request'), homeCountry: 'GB' };
    const ref = await uk.service.generate({ idempotencyKey: `${CASE_ID}/uk-letterhead`, kind: 'budapest-preservation-request', facts });
    const { body } = await pdfText((await uk.service.render(ref.documentId, 1, 'pdf')).bytes.valueOf());
    expect(body).toContain(`From: ${DEMONSTRATION_AGENCY_GB.name}`);
    expect(body).toContain('NCA 24/7 point of contact');
    expect(body).not.toContain('CCIPS');
    expect(body).toContain('demonstration');
  });

  it('refuses an override that drops a field its built-in fills, naming the fields', () => {
    const text = builtIn('search-warrant-affidavit.en.hbs').replace('{{> wilson}}', 'Files: see the attachment.');
    expect(() => layer(overrides({ 'search-warrant-affidavit.en.hbs': text }))).toThrow(
      /search-warrant-affidavit\.en\.hbs does not fill .*law\.cite\.fileViewGate\.cite.*files\.unviewed\.\*\.fileId.*\(the built-in search-warrant-affidavit\.en\.hbs does\)/,
    );
  });

  it('refuses a misspelt field, an unknown kind and a bad agency.json, naming the file and field', () => {
    expect(() => layer(overrides({ 'diplomatic-note.en.hbs': builtIn('diplomatic-note.en.hbs').replace('{{agency.embassy}}', '{{agency.embasy}}') }))).toThrow(
      /diplomatic-note\.en\.hbs: "embasy" not defined/,
    );
    expect(() => layer(overrides({ 'warrant.en.hbs': 'x' }))).toThrow("warrant.en.hbs: 'warrant' is not a document kind");
    expect(() => layer(overrides({ 'agency.json': JSON.stringify({ name: 'X' }) }))).toThrow(/agency\.json: address: /);
    expect(() => layer('/nonexistent/casebridge-templates')).toThrow('CASEBRIDGE_TEMPLATES_DIR: the folder /nonexistent/casebridge-templates does not exist');
  });
});

describe('personal data stays in the documents', () => {
  afterAll(() => clearSensitiveValues());

  it('appears in the generated PDF, never in the log lines of generating, revising, approving or failing', async () => {
    const lines: string[] = [];
    const destination = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(chunk.toString('utf8'));
        done();
      },
    });
    const log = createLogger({ level: 'trace', destination });
    const docs = service(tempDir('logs'), `k1:${key()}`, log.child({ component: 'documents' }));
    const activities = createActivities(createSimulatedSystems(), { documents: createDocumentPort(docs) });
    const facts = factsFor('search-warrant-affidavit');

    const ref = await activities.generateDocument({ caseId: CASE_ID, idempotencyKey: `${CASE_ID}/logs/1` }, { kind: 'search-warrant-affidavit', facts });
    const docx = (await docs.render(ref.documentId, 1, 'docx')).bytes;
    const revised = await docs.uploadRevision({ documentId: ref.documentId, docx, author: { actor: 'Coordinator Una Test', role: 'coordinator' } });
    await docs.recordApproval({ ...revised, approver: { actor: 'Manager Mo', role: 'manager' } });
    // A careless caller logging what it has, and a failure whose message a provider wrote with an identifier in it.
    log.info({ facts, ref }, 'generated');
    log.error({ err: new Error(`no account ${PERSONAL.screenName} at ${PERSONAL.ip}`) }, 'provider said');
    await activities
      .generateDocument(
        { caseId: CASE_ID, idempotencyKey: `${CASE_ID}/logs/bad` },
        { kind: 'search-warrant-affidavit', facts: { ...facts, incident: { ...facts.incident, dateTime: 'soon' } } },
      )
      .catch((err: unknown) => log.warn({ err }, 'generation refused'));

    const pdf = (await pdfText((await docs.render(ref.documentId, 1, 'pdf')).bytes)).body;
    const output = lines.join('');
    expect(output).toContain('document generated');
    expect(output).toContain('document version approved');
    expect(output).toContain('generation refused');
    for (const value of Object.values(PERSONAL)) {
      expect(pdf).toContain(value);
      expect(output).not.toContain(value);
    }
  });
});

/**
 * Reports in as NCMEC writes them, through the door: the API takes a `<receivedReport>` (and a ZIP of
 * a bare `<report>` with its `<fileDetails>`) as received, opens one case per report for the uploader's
 * unit, reports a re-submitted one as `exists`, names a bad report by position and line and starts
 * nothing for it, and refuses a file that is not NCMEC XML at all (422); the CLI sends the same
 * file with `case start --tip report.xml`.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import yazl from 'yazl';
import { sampleFileDetails, sampleReceivedReport, sampleReport } from '../../bench/ncmec-sample';
import { runCli } from '../cli/cli-process';
import { startApiEnv, type ApiEnv } from './api-env';

// Six digits without a leading zero; a report number's zeros are tested in intake/ncmec (one xs:long either way).
const tag = String(100_000 + (Date.now() % 900_000));

function zipOf(entries: Record<string, string>): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  for (const [name, text] of Object.entries(entries)) zip.addBuffer(Buffer.from(text), name);
  zip.end();
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    zip.outputStream.on('data', (c: Buffer) => chunks.push(c));
    zip.outputStream.on('end', () => resolve(Buffer.concat(chunks)));
    zip.outputStream.on('error', reject);
  });
}

describe('NCMEC reports through the API and the CLI', () => {
  let e: ApiEnv;
  let coordinator: string;
  let home: string;
  beforeAll(async () => {
    e = await startApiEnv({ taskQueue: 'api-ncmec' });
    coordinator = await e.person('Nora Coordinator', ['coordinator'], ['unit-n']);
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'casebridge-ncmec-cli-'));
  });
  afterAll(async () => {
    await e?.teardown();
    fs.rmSync(home, { recursive: true, force: true });
  });

  const unitOf = async (caseId: string) => (await e.env.client.workflow.getHandle(caseId).describe()).searchAttributes.CaseUnit;

  it('opens a case per received report, for the uploader’s unit; a re-submitted report exists; a bad one is named', async () => {
    const xml = sampleReceivedReport(`${tag}01`);
    const first = await e.http('POST', '/cases', { token: coordinator, raw: xml, contentType: 'application/xml' });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ format: 'ncmec-xml', started: 1, exists: 0, invalid: 0 });
    expect(first.body.results).toEqual([{ position: 1, line: 1, caseId: `case-${tag}01`, status: 'started' }]);
    expect(await unitOf(`case-${tag}01`)).toEqual(['unit-n']);

    const again = await e.http('POST', '/cases', { token: coordinator, raw: xml, contentType: 'application/xml' });
    expect(again.body.results).toEqual([{ position: 1, line: 1, caseId: `case-${tag}01`, status: 'exists' }]);

    // A report without any file details cannot open a case: named, nothing started.
    const bare = await e.http('POST', '/cases', { token: coordinator, raw: sampleReport(`${tag}02`), contentType: 'application/xml' });
    expect(bare.status).toBe(200);
    expect(bare.body).toMatchObject({ started: 0, invalid: 1 });
    expect(bare.body.results[0].error).toMatch(/report number|file/);
    await expect(e.env.client.workflow.getHandle(`case-${tag}02`).describe()).rejects.toThrow();

    // Not XML at all: the file as a whole is refused.
    const junk = await e.http('POST', '/cases', { token: coordinator, raw: '<html><body>hello</body></html>', contentType: 'application/xml' });
    expect(junk.status).toBe(422);
    expect(junk.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(junk.body.field).toBe('body');
  });

  it('takes a ZIP of a report with its file details, the report number from the file details', async () => {
    const n = `${tag}03`;
    const zip = await zipOf({ 'report.xml': sampleReport(n), 'file-1.xml': sampleFileDetails(n, 1), 'file-2.xml': sampleFileDetails(n, 2) });
    const r = await e.http('POST', '/cases?name=report.zip', { token: coordinator, raw: zip, contentType: 'application/zip' });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ format: 'ncmec-zip', started: 1 });
    expect(r.body.results[0]).toMatchObject({ caseId: `case-${n}`, status: 'started' });
  });

  it('the CLI sends a report file as it is: `case start --tip report.xml`', async () => {
    const env = { ...process.env, XDG_CONFIG_HOME: home, CASEBRIDGE_API_URL: e.api.url, CASEBRIDGE_LOG_LEVEL: 'silent' };
    const login = await runCli(['login', 'Nora Coordinator', '--password-stdin'], env, 'pw-Nora Coordinator\n');
    expect(login.code).toBe(0);
    const file = path.join(home, 'received.xml');
    fs.writeFileSync(file, sampleReceivedReport(`${tag}04`));
    const r = await runCli(['case', 'start', '--tip', file], env);
    expect(r).toMatchObject({ code: 0, stdout: `case-${tag}04  started\n`, stderr: '' });
    // A report number the file contradicts is refused, naming it; nothing new starts.
    fs.writeFileSync(file, sampleReceivedReport(`${tag}05`));
    const wrong = await runCli(['case', 'start', '--tip', file, '--report-number', `${tag}99`], env);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/^casebridge: report 1 \(line \d+\): .*/);
    await expect(e.env.client.workflow.getHandle(`case-${tag}05`).describe()).rejects.toThrow();
  });
});

/**
 * A case's documents through the door, end to end on the dev server: a worker process (the real
 * document layer on the data dir, encrypted with the payload keys, trace logging), the API process
 * and the CLI, over real HTTP. An MLAT request waits for its generated document; people list it,
 * download it (PDF text and DOCX XML parsed back: the case's facts and the citations are there;
 * the download audited as a read of personal data), preview it, upload a completed revision and
 * approve it; a role that does not approve is a 403 and changes nothing; a stored file altered on
 * disk is refused with a clear problem; the tip's identifiers appear in no log line of the worker or
 * the API; the CLI does the same through the API.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { hashPassword, openIssuerStore } from '../../platform/store';
import { completeDocx } from '../case/document-desk';
import { ROOT, runCli } from '../cli/cli-process';
import { docxText, pdfText, squeeze } from '../documents/parse';
import { startDevServer } from '../harness/servers';
import { namespaceOf } from '../harness/cluster-target';
import { waitFor } from '../harness/wait';
import { request, startApiProcess, type ApiProcess, type HttpAnswer } from './api-env';

const nonce = randomBytes(3).toString('hex');
const SCREEN_NAME = `harbourlight_${nonce}`;
const ESP_ID = `esp-doc-${nonce}`;
const DOCX_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

function tipFor(report: string) {
  const tip = JSON.parse(fs.readFileSync(path.join(ROOT, 'test', 'fixtures', 'tips', 'data-abroad-mlat.json'), 'utf8'));
  tip.ncmecReportNumber = report;
  tip.personOrUserReported.espIdentifier = ESP_ID;
  tip.personOrUserReported.screenName = SCREEN_NAME;
  return tip;
}

describe('documents through the API and the CLI (worker process + API process + dev server)', () => {
  let env: TestWorkflowEnvironment | undefined;
  let worker: ChildProcess | undefined;
  let api: ApiProcess | undefined;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'casebridge-documents-api-'));
  const dataDir = path.join(dir, 'data');
  const workerLog: string[] = [];
  const cliOutput: string[] = [];
  const tokens: Record<string, string> = {};
  const report = String(780_000_000 + (process.pid % 100_000) * 10);
  const caseId = `case-${report}`;
  const cliCaseId = `case-${Number(report) + 1}`;
  const doc = 'mlat-1/mlat-request.en';
  const docPath = (c: string) => `/cases/${c}/documents/${encodeURIComponent(doc)}`;

  const baseEnv = (): NodeJS.ProcessEnv => ({
    ...process.env,
    TEMPORAL_ADDRESS: env!.address,
    TEMPORAL_NAMESPACE: namespaceOf(env!),
    CASEBRIDGE_TASK_QUEUE: 'documents-api',
    CASEBRIDGE_DATA_DIR: dataDir,
    CASEBRIDGE_ENCRYPTION_KEYS: `k1:${randomKey}`,
    CASEBRIDGE_LOG_LEVEL: 'trace',
    CASEBRIDGE_SIM_WARRANT_DENIAL_RATE: '0',
    CASEBRIDGE_SIM_EMERGENCY_REFUSAL_RATE: '0',
    CASEBRIDGE_API_RATE_LIMIT: '100000',
  });
  const randomKey = randomBytes(32).toString('base64');
  const http = (method: string, route: string, who: string, opts: Parameters<typeof request>[3] = {}): Promise<HttpAnswer> =>
    request(api!.url, method, route, { token: tokens[who], ...opts });
  const bytesOf = async (route: string, who: string, headers: Record<string, string> = {}) => {
    const res = await fetch(`${api!.url}${route}`, { headers: { authorization: `Bearer ${tokens[who]}`, ...headers } });
    return { status: res.status, headers: res.headers, bytes: Buffer.from(await res.arrayBuffer()) };
  };
  const personEnv = (): NodeJS.ProcessEnv => ({
    PATH: process.env.PATH,
    HOME: dir,
    XDG_CONFIG_HOME: path.join(dir, 'home'),
    CASEBRIDGE_API_URL: api!.url,
    CASEBRIDGE_LOG_LEVEL: 'trace',
  });
  const cli = async (args: string[], stdin = '') => {
    const r = await runCli(args, personEnv(), stdin);
    cliOutput.push(r.stderr);
    return r;
  };

  const pendingOf = async (c: string) => {
    const s = await http('GET', `/cases/${c}/status`, 'Lee');
    return s.body.requests?.find((r: { requestId: string }) => r.requestId === `${c}/mlat-1`);
  };
  /**
   * The case's own papers before the MLAT (the subscriber subpoena) wait for a coordinator: Cora
   * completes (a DOCX revision through the door) and approves them, as she would.
   */
  const approveCasePapers = async (c: string) => {
    const s = await http('GET', `/cases/${c}/status`, 'Cora');
    for (const r of (s.body.requests ?? []) as { requestId: string; pendingApproval?: { documentId: string; contentHash: string } }[]) {
      if (!r.pendingApproval || r.requestId === `${c}/mlat-1`) continue;
      const at = `/cases/${c}/documents/${encodeURIComponent(r.pendingApproval.documentId.slice(c.length + 1))}`;
      let hash = r.pendingApproval.contentHash;
      const listed = await http('GET', `/cases/${c}/documents`, 'Cora');
      const d = (listed.body.documents as { documentId: string; incomplete: string[] }[]).find((x) => x.documentId === r.pendingApproval!.documentId);
      if (d && d.incomplete.length > 0) {
        const docx = await bytesOf(at, 'Cora', { accept: DOCX_TYPE });
        const revised = await http('POST', `${at}/revisions`, 'Lee', { raw: await completeDocx(docx.bytes), contentType: DOCX_TYPE });
        hash = revised.body.contentHash as string;
      }
      await http('POST', `${at}/approve`, 'Cora', { body: { contentHash: hash } });
    }
  };
  const waitPending = (c: string, version: number) =>
    waitFor(
      async () => {
        await approveCasePapers(c);
        const r = await pendingOf(c);
        return r?.pendingApproval?.version === version ? r : undefined;
      },
      120_000,
      250,
    );

  beforeAll(async () => {
    env = await startDevServer();
    worker = spawn(process.execPath, [path.join(ROOT, 'dist', 'worker', 'main.js')], { env: baseEnv() });
    worker.stdout!.on('data', (d) => workerLog.push(String(d)));
    worker.stderr!.on('data', (d) => workerLog.push(String(d)));
    await waitFor(async () => (workerLog.join('').includes('worker started') ? true : undefined), 60_000);
    api = await startApiProcess(baseEnv());
    const users = openIssuerStore(dataDir).users;
    const people: [string, ('coordinator' | 'liaison' | 'manager' | 'analyst')[], string][] = [
      ['Cora', ['coordinator'], 'u'],
      ['Lee', ['liaison'], 'u'],
      ['Mona', ['manager'], 'u'],
      ['Ana', ['analyst'], 'u'],
      ['Otto', ['manager'], 'other-unit'],
    ];
    for (const [name, roles, unit] of people) {
      await users.put({ name, roles, units: [unit], passwordHash: await hashPassword(`pw-${name}-pw`) });
      const r = await request(api.url, 'POST', '/auth/token', { body: { name, password: `pw-${name}-pw` } });
      expect(r.status).toBe(200);
      tokens[name] = r.body.token;
    }
    for (const c of [report, String(Number(report) + 1)]) {
      const started = await http('POST', '/cases?profile=demo&unit=u', 'Cora', { body: tipFor(c) });
      expect(started.status).toBe(200);
      expect(started.body.results[0]).toMatchObject({ caseId: `case-${c}`, status: 'started' });
    }
  }, 180_000);

  afterAll(async () => {
    await api?.stop();
    if (worker && worker.exitCode === null) {
      worker.kill('SIGTERM');
      await new Promise((r) => worker!.once('exit', r));
    }
    await env?.teardown();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('puts a document waiting for approval in the queues of the roles that approve it, with its request, and in no other', async () => {
    await waitPending(caseId, 1);
    type Row = { caseId: string; waiting?: { subject: string; requestId?: string; what: string }[] | null };
    const queueOf = async (who: string) => {
      const q = await http('GET', '/queue', who);
      expect(q.status).toBe(200);
      return (q.body.cases as Row[]).find((c) => c.caseId === caseId);
    };
    // Visibility follows the case's upsert a moment later.
    for (const who of ['Lee', 'Mona']) {
      const row = await waitFor(async () => {
        const r = await queueOf(who);
        return r?.waiting?.some((w) => w.subject === 'approval') ? r : undefined;
      }, 30_000);
      expect(row.waiting).toContainEqual(
        expect.objectContaining({ subject: 'approval', requestId: `${caseId}/mlat-1`, what: expect.stringContaining('approve mlat-request version 1') }),
      );
    }
    // The attribute the queue is asked by: role names only.
    const described = await env!.client.workflow.getHandle(caseId).describe();
    expect(described.searchAttributes.AwaitingRoles).toEqual(expect.arrayContaining(['liaison', 'manager']));
    // Not the coordinator's or the analyst's to approve; another unit's manager does not see the case.
    for (const who of ['Cora', 'Ana']) expect((await queueOf(who))?.waiting ?? []).not.toContainEqual(expect.objectContaining({ subject: 'approval' }));
    expect(await queueOf('Otto')).toBeUndefined();
    // The queue's reads of the cases are audited with the cases read.
    const audit = fs
      .readFileSync(path.join(dataDir, 'audit', 'audit.ndjson'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(audit.filter((l) => l.route === '/queue' && l.name === 'Lee' && (l.caseIds ?? []).includes(caseId)).length).toBeGreaterThan(0);
  });

  it('lists, downloads (parsed back, audited), previews, takes a revision and an approval; a wrong role changes nothing; a tampered file is refused', async () => {
    const pending = await waitPending(caseId, 1);
    expect(pending.status).toBe('AWAITING_APPROVAL');

    // The list: every case role reads it; another unit's manager is told the case does not exist.
    const listed = await http('GET', `/cases/${caseId}/documents`, 'Ana');
    expect(listed.status).toBe(200);
    // The MLAT's request (the case's own papers before it are listed too, each with its request).
    expect(listed.body.documents.filter((d: { requestId?: string }) => d.requestId === `${caseId}/mlat-1`)).toEqual([
      expect.objectContaining({
        documentId: `${caseId}/${doc}`,
        shortId: doc,
        requestId: `${caseId}/mlat-1`,
        kind: 'mlat-request',
        version: 1,
        status: 'DRAFT',
        contentHash: pending.pendingApproval.contentHash,
        incomplete: ['the affiant’s statement of the facts'],
      }),
    ]);
    expect((await http('GET', `/cases/${caseId}/documents`, 'Otto')).status).toBe(404);
    expect((await bytesOf(docPath(caseId), 'Otto')).status).toBe(404);

    // The PDF (by ?format) and the DOCX (by Accept), parsed back with independent readers.
    const pdf = await bytesOf(`${docPath(caseId)}?format=pdf`, 'Ana');
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    expect(pdf.headers.get('content-disposition')).toBe('attachment; filename="mlat-request-v1-draft.en.pdf"');
    expect(pdf.headers.get('cache-control')).toBe('no-store');
    const pdfWords = await pdfText(pdf.bytes);
    for (const fact of [ESP_ID, SCREEN_NAME, report, 'Example Cloud Co., Ltd.', 'Thailand']) expect(pdfWords.body).toContain(fact);
    expect(squeeze(pdfWords.body)).toContain(squeeze('18 U.S.C. § 2252A(a)(2)'));
    expect(pdfWords.body).toContain('Criminal Resource Manual 276');
    expect(pdfWords.all).toContain('DRAFT');
    const docx = await bytesOf(docPath(caseId), 'Ana', { accept: DOCX_TYPE });
    expect(docx.headers.get('content-type')).toBe(DOCX_TYPE);
    const docxWords = await docxText(docx.bytes);
    for (const fact of [ESP_ID, SCREEN_NAME, report, '18 U.S.C. § 2252A(a)(2)', 'Criminal Resource Manual 276']) expect(docxWords.body).toContain(fact);
    expect(docxWords.headers + docxWords.footers).toContain('DRAFT');
    const preview = await bytesOf(`${docPath(caseId)}/preview`, 'Ana');
    expect(preview.headers.get('content-type')).toBe('application/pdf');
    expect(preview.headers.get('content-disposition')).toMatch(/^inline; filename=/);
    expect((await http('GET', `${docPath(caseId)}?format=html`, 'Ana')).status).toBe(400);
    expect((await http('GET', `/cases/${caseId}/documents/${encodeURIComponent('../../etc')}`, 'Ana')).status).toBe(400);

    // Audited as reads of personal data: who, the document, before the answer left.
    const audit = fs
      .readFileSync(path.join(dataDir, 'audit', 'audit.ndjson'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const downloads = audit.filter((l) => l.route === '/cases/:caseId/documents/:documentId' && l.status === 200 && l.documentId === `${caseId}/${doc}`);
    expect(downloads).toHaveLength(2);
    expect(downloads[0]).toMatchObject({
      name: 'Ana',
      role: 'analyst',
      action: 'read',
      caseId,
      documentId: `${caseId}/${doc}`,
      personalData: true,
      requestId: `${caseId}/mlat-1`,
    });

    // Refusals change nothing: not approvable by an analyst or a coordinator (403), not with gaps open (409), not a non-DOCX (422/415).
    const timelineBefore = (await http('GET', `/cases/${caseId}/timeline`, 'Lee')).body;
    const hash1 = pending.pendingApproval.contentHash;
    const analyst = await http('POST', `${docPath(caseId)}/approve`, 'Ana', { body: { contentHash: hash1 } });
    expect(analyst.status).toBe(403);
    expect(analyst.headers.get('content-type')).toContain('application/problem+json');
    const coordinator = await http('POST', `${docPath(caseId)}/approve`, 'Cora', { body: { contentHash: hash1 } });
    expect(coordinator).toMatchObject({
      status: 403,
      body: { field: 'role', detail: 'role: a liaison or a manager approves a request for mutual legal assistance, not a coordinator' },
    });
    const gaps = await http('POST', `${docPath(caseId)}/approve`, 'Mona', { body: { contentHash: hash1 } });
    expect(gaps).toMatchObject({ status: 409, body: { detail: expect.stringContaining('still has gaps to complete') } });
    expect((await http('POST', `${docPath(caseId)}/approve`, 'Mona', { body: { contentHash: 'abc' } })).body).toMatchObject({
      status: 422,
      field: 'contentHash',
    });
    const notDocx = await http('POST', `${docPath(caseId)}/revisions`, 'Lee', { raw: Buffer.from('PK\x03\x04 not really a zip'), contentType: DOCX_TYPE });
    expect(notDocx).toMatchObject({ status: 422, body: { field: 'file' } });
    expect((await http('POST', `${docPath(caseId)}/revisions`, 'Lee', { raw: 'hello', contentType: 'text/plain' })).status).toBe(415);
    expect((await http('POST', `${docPath(caseId)}/revisions`, 'Ana', { raw: docx.bytes, contentType: DOCX_TYPE })).status).toBe(403);
    expect((await http('GET', `/cases/${caseId}/timeline`, 'Lee')).body).toEqual(timelineBefore);
    expect((await http('GET', `/cases/${caseId}/documents`, 'Ana')).body).toEqual(listed.body);

    // The liaison completes the draft and uploads it: version 2, to be approved by someone else.
    const revised = await http('POST', `${docPath(caseId)}/revisions?basedOn=1`, 'Lee', { raw: await completeDocx(docx.bytes), contentType: DOCX_TYPE });
    expect(revised).toMatchObject({ status: 200, body: { version: 2, status: 'DRAFT', incomplete: [], author: { actor: 'Lee', role: 'liaison' } } });
    const hash2 = revised.body.contentHash as string;
    await waitPending(caseId, 2);
    expect((await http('POST', `${docPath(caseId)}/approve`, 'Lee', { body: { contentHash: hash2 } })).body).toMatchObject({
      status: 409,
      detail: expect.stringMatching(/^actor: .* is approved by someone other than the person who wrote this version \(Lee\)/),
    });
    expect((await http('POST', `${docPath(caseId)}/approve`, 'Mona', { body: { contentHash: hash1 } })).body).toMatchObject({
      status: 409,
      field: 'contentHash',
    });
    const approved = await http('POST', `${docPath(caseId)}/approve`, 'Mona', { body: { contentHash: hash2 } });
    expect(approved).toMatchObject({ status: 200, body: { version: 2, status: 'APPROVED', approval: { actor: 'Mona', role: 'manager' } } });
    const after = await http('GET', `/cases/${caseId}/documents`, 'Ana');
    const mlatDoc = after.body.documents.find((d: { documentId: string }) => d.documentId === `${caseId}/${doc}`);
    expect(mlatDoc).toMatchObject({ version: 2, status: 'APPROVED', contentHash: hash2, approval: { actor: 'Mona', role: 'manager' } });
    expect(mlatDoc.versions.map((v: { status: string }) => v.status)).toEqual(['DRAFT', 'APPROVED']);
    const approvedLine = (await http('GET', `/cases/${caseId}/timeline`, 'Lee')).body.find(
      (e: { detail: string }) => e.detail.startsWith(`${caseId}/mlat-1:`) && e.detail.includes('approved for sending'),
    );
    expect(approvedLine).toMatchObject({ actor: 'Mona', role: 'manager', detail: expect.stringContaining(`content sha256 ${hash2}`) });
    const approvedPdf = await pdfText((await bytesOf(docPath(caseId), 'Ana')).bytes);
    expect(approvedPdf.all).not.toContain('DRAFT');
    expect(approvedPdf.all).toContain('Approved');
    // It went on to the central authority: no more revisions or approvals.
    await waitFor(async () => ((await pendingOf(caseId))?.status !== 'AWAITING_APPROVAL' ? true : undefined), 60_000);
    expect((await http('POST', `${docPath(caseId)}/revisions`, 'Lee', { raw: docx.bytes, contentType: DOCX_TYPE })).status).toBe(409);

    // A stored file altered on disk is refused, naming the item, never served.
    const contentFile = path.join(dataDir, 'documents', 'content', hash2.slice(0, 2), hash2);
    const stored = fs.readFileSync(contentFile);
    stored[stored.length - 5] ^= 0xff;
    fs.writeFileSync(contentFile, stored);
    const tampered = await http('GET', `${docPath(caseId)}?format=pdf`, 'Ana');
    expect(tampered.status).toBe(500);
    expect(tampered.body).toMatchObject({ type: 'https://casebridge.invalid/problems/tampered', title: 'A stored document failed its integrity check' });
    expect(tampered.body.detail).toMatch(new RegExp(`^document content ${hash2} was refused: .*; it is not served$`));
    expect(tampered.text).not.toContain(SCREEN_NAME);
  });

  it('the CLI: case documents, document get (PDF, DOCX), upload, approve — through the API as the person logged in', async () => {
    await waitPending(cliCaseId, 1);
    for (const name of ['Lee', 'Mona']) {
      fs.mkdirSync(path.join(dir, name), { recursive: true });
    }
    const as = async (name: string, args: string[]) => {
      const login = await cli(['login', name, '--password-stdin'], `pw-${name}-pw\n`);
      expect(login.code).toBe(0);
      return cli(args);
    };
    const list = await as('Lee', ['case', 'documents', cliCaseId, '--json']);
    expect(list.code).toBe(0);
    // The MLAT's document, beside the case's own papers before it (the subpoena, approved).
    const listed = (JSON.parse(list.stdout) as { shortId: string }[]).find((d) => d.shortId === doc);
    expect(listed).toMatchObject({ shortId: doc, version: 1, status: 'DRAFT' });
    const text = await cli(['case', 'documents', cliCaseId]);
    expect(text.stdout).toMatch(/^DOC\s+VERSION\s+STATUS\s+HASH/);
    expect(text.stdout).toMatch(new RegExp(`^${doc.replace(/[./]/g, '\\$&')} +1 +DRAFT `, 'm'));

    const pdfFile = path.join(dir, 'draft.pdf');
    const docxFile = path.join(dir, 'draft.docx');
    expect((await cli(['document', 'get', cliCaseId, doc, '--format', 'pdf', '--out', pdfFile])).code).toBe(0);
    expect((await pdfText(fs.readFileSync(pdfFile))).body).toContain(ESP_ID);
    expect(fs.statSync(pdfFile).mode & 0o777).toBe(0o600);
    expect((await cli(['document', 'get', cliCaseId, doc, '--format', 'docx', '--out', docxFile])).code).toBe(0);
    expect((await docxText(fs.readFileSync(docxFile))).body).toContain(SCREEN_NAME);
    const badFormat = await cli(['document', 'get', cliCaseId, doc, '--format', 'odt', '--out', docxFile]);
    expect(badFormat).toMatchObject({ code: 2, stderr: 'casebridge: --format: must be pdf or docx\n' });
    expect((await cli(['document', 'get', cliCaseId, 'no/such', '--out', docxFile])).code).toBe(2);

    // Approval with gaps open is refused (exit 2, nothing changed); the completed DOCX uploaded, then approved by another person.
    const early = await as('Mona', ['document', 'approve', cliCaseId, doc]);
    expect(early.code).toBe(2);
    expect(early.stderr).toContain('rejected, nothing changed');
    expect(early.stderr).toContain('still has gaps to complete');
    const completed = path.join(dir, 'completed.docx');
    fs.writeFileSync(completed, await completeDocx(fs.readFileSync(docxFile)));
    const notDocx = path.join(dir, 'notes.txt');
    fs.writeFileSync(notDocx, 'not a document');
    expect((await as('Lee', ['document', 'upload', cliCaseId, doc, notDocx])).stderr).toBe(`casebridge: FILE: ${notDocx} is not a DOCX document\n`);
    const upload = await cli(['document', 'upload', cliCaseId, doc, completed, '--based-on', '1']);
    expect(upload.code).toBe(0);
    expect(upload.stdout).toMatch(new RegExp(`^${cliCaseId}: ${doc} version 2 uploaded \\(sha256 [0-9a-f]{64}\\); it needs approval\\n$`));
    await waitPending(cliCaseId, 2);
    const own = await cli(['document', 'approve', cliCaseId, doc]);
    expect(own.code).toBe(2);
    expect(own.stderr).toContain('someone other than the person who wrote this version');
    const approve = await as('Mona', ['document', 'approve', cliCaseId, doc, '--json']);
    expect(approve.code).toBe(0);
    expect(JSON.parse(approve.stdout)).toMatchObject({ version: 2, status: 'APPROVED', approval: { actor: 'Mona', role: 'manager' } });
    expect((await cli(['case', 'documents', cliCaseId])).stdout).toMatch(/APPROVED\s+[0-9a-f]{16}\s+Mona \(manager\)/);
  });

  it('the tip’s identifiers appear in no log line of the worker, the API or the CLI', async () => {
    const logs = workerLog.join('') + api!.output() + cliOutput.join('');
    expect(logs).toContain('"level":10'); // trace logging really was on
    expect(logs).toContain('document generated');
    for (const secret of [SCREEN_NAME, ESP_ID]) expect(logs).not.toContain(secret);
  });
});

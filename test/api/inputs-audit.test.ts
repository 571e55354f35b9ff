/**
 * Inputs and the audit log over real HTTP: bad bodies are 400/422 naming the field and change
 * nothing; the actor is the credential, never the body; an Idempotency-Key retried POST is recorded
 * once; views page over visibility's page token; every read and write is in the audit log once, in
 * order, and a changed, removed or moved line is found (by the function and by `casebridge audit verify`).
 */
import fs from 'node:fs';
import path from 'node:path';
import { verifyAuditFile, type AuditLine } from '../../platform/store';
import { runCli, sampleTip } from '../cli/cli-process';
import { waitFor } from '../harness/wait';
import { startApiEnv, type ApiEnv } from './api-env';

const tag = String(Date.now()).slice(-7);

describe('API inputs and audit (real HTTP)', () => {
  let e: ApiEnv;
  let coordinator: string;
  let manager: string;
  let auditor: string;
  const cases: string[] = [];
  const readAudit = async (): Promise<AuditLine[]> =>
    (await e.auditText())
      .split('\n')
      .filter((l) => l)
      .map((l) => JSON.parse(l) as AuditLine);

  beforeAll(async () => {
    e = await startApiEnv({ taskQueue: 'api-inputs' });
    coordinator = await e.person('Ann Coordinator', ['coordinator'], ['unit-a']);
    manager = await e.person('Max Manager', ['manager'], ['unit-a']);
    auditor = await e.person('Aud Itor', ['auditor'], []);
    const ndjson = [1, 2, 3].map((n) => JSON.stringify(sampleTip('jurisdiction-unresolved', `${tag}${n}`))).join('\n\n');
    const r = await e.http('POST', '/cases', { token: coordinator, raw: ndjson, contentType: 'application/x-ndjson' });
    expect(r.status).toBe(200);
    expect(r.body.results.map((x: { line: number }) => x.line)).toEqual([1, 3, 5]); // blank lines keep the file's numbering
    cases.push(...r.body.results.map((x: { caseId: string }) => x.caseId));
    await waitFor(
      // In JURISDICTION, and preservation has reported in: later timeline comparisons are about our inputs only.
      async () => {
        const s = await e.env.client.workflow.getHandle(cases[0]).query<{ stage: string; preservation: { state: string } | null }>('status');
        return s.stage === 'JURISDICTION' && s.preservation?.state === 'PRESERVED' ? true : undefined;
      },
      60_000,
    );
  });
  afterAll(async () => e?.teardown());

  it('refuses bad bodies, paths and queries with 400/422 naming the field, and changes nothing', async () => {
    const caseId = cases[0];
    const before = await e.env.client.workflow.getHandle(caseId).query('timeline');
    const post = (p: string, body: unknown) => e.http('POST', `/cases/${caseId}/${p}`, { token: coordinator, body });
    const answers = await Promise.all([
      post('resolve-jurisdiction', { suspectCountry: 'UK' }),
      post('resolve-jurisdiction', {}),
      post('notes', { text: '   ' }),
      post('notes', { text: 'x', actor: 'Someone Else' }),
      post('notes', { text: 'x', role: 'manager' }),
      post('notes', { text: 'x', colour: 'blue' }),
      e.http('POST', `/cases/${caseId}/notes`, { token: coordinator, raw: '{"text": ', contentType: 'application/json' }),
      e.http('GET', '/cases/case-12/status', { token: coordinator }),
      e.http('GET', '/cases?stage=LIMBO', { token: manager }),
      e.http('GET', '/views/stalled?idle=soon', { token: manager }),
      e.http('POST', '/cases', { token: coordinator, raw: '  ' }),
      e.http('POST', `/cases/${caseId}/notes`, { token: coordinator, body: { text: 'x' }, headers: { 'idempotency-key': 'has spaces' } }),
    ]);
    expect(answers.map((a) => [a.status, a.body.field, a.body.detail])).toEqual([
      [422, 'suspectCountry', 'suspectCountry: UK is not an ISO 3166-1 alpha-2 country code (did you mean GB?)'],
      [422, 'suspectCountry', expect.stringMatching(/^suspectCountry: /)],
      [422, 'text', 'text: must not be empty'],
      [422, 'actor', 'actor: is not a field of this input: the actor and role come from your credential'],
      [422, 'role', 'role: is not a field of this input: the actor and role come from your credential'],
      [422, 'colour', 'colour: is not a field of this input'],
      [400, 'body', 'body: is not valid JSON'],
      [400, 'caseId', 'caseId: must be a case id such as case-190000001'],
      [400, 'stage', expect.stringMatching(/^stage: must be one of INTAKE, /)],
      [400, 'idle', 'idle: must be a duration such as 90m, 12h, 30d or 2w'],
      [400, 'body', 'body: the input is empty'],
      [400, 'idempotency-key', expect.stringMatching(/^idempotency-key: /)],
    ]);
    for (const a of answers) expect(a.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(await e.env.client.workflow.getHandle(caseId).query('timeline')).toEqual(before);
  });

  it('records the verified person as the actor, and a POST retried with the same Idempotency-Key once', async () => {
    const caseId = cases[1];
    const note = () =>
      e.http('POST', `/cases/${caseId}/notes`, { token: coordinator, body: { text: 'called the provider' }, headers: { 'idempotency-key': 'note-42' } });
    const [first, again] = [await note(), await note()];
    expect([first.status, again.status]).toEqual([200, 200]);
    const third = await e.http('POST', `/cases/${caseId}/notes`, {
      token: coordinator,
      body: { text: 'called the provider' },
      headers: { 'idempotency-key': 'note-43' },
    });
    expect(third.status).toBe(200);
    const timeline = (await e.http('GET', `/cases/${caseId}/timeline`, { token: coordinator })).body as {
      kind: string;
      actor: string;
      role?: string;
      detail: string;
    }[];
    const notes = timeline.filter((x) => x.kind === 'note');
    expect(notes).toHaveLength(2); // note-42 twice, note-43 once
    for (const n of notes) expect(n).toMatchObject({ actor: 'Ann Coordinator', role: 'coordinator', detail: 'called the provider' });
  });

  it('pages the managers’ views over visibility’s page token, scoped to the unit', async () => {
    await waitFor(async () => ((await e.http('GET', '/cases', { token: manager })).body.cases.length >= 3 ? true : undefined), 30_000);
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const q: string = `/cases?pageSize=1${cursor ? `&cursor=${cursor}` : ''}`;
      const page = await e.http('GET', q, { token: manager });
      expect(page.status).toBe(200);
      expect(page.body.cases).toHaveLength(cursor === null || page.body.cases.length ? 1 : 0);
      seen.push(...page.body.cases.map((c: { caseId: string }) => c.caseId));
      cursor = page.body.nextCursor;
      pages++;
    } while (cursor && pages < 10);
    expect([...seen].sort()).toEqual([...cases].sort());
    expect(pages).toBeGreaterThanOrEqual(3);
    expect((await e.http('GET', '/cases?cursor=bm90LWEtdG9rZW4', { token: manager })).status).toBe(400);
  });

  it('writes every read and write to the audit log once, in order, before answering; exports by date range; finds a changed, removed or moved line', async () => {
    const from = new Date().toISOString();
    const before = (await readAudit()).length;
    const steps = [
      ['GET', `/cases/${cases[2]}/status`, 200],
      ['POST', `/cases/${cases[2]}/notes`, 200],
      ['GET', `/cases/${cases[2]}/timeline`, 200],
      ['POST', `/cases/${cases[2]}/amend-reapply`, 409],
      ['GET', '/cases/case-99999999999/status', 404],
    ] as const;
    for (const [method, route, status] of steps) {
      const a = await e.http(method, route, {
        token: coordinator,
        ...(method === 'POST' ? { body: route.endsWith('notes') ? { text: 'n' } : { amendment: 'a' } } : {}),
      });
      expect(a.status).toBe(status);
      // On disk before the answer arrived.
      expect((await readAudit()).length).toBe(before + steps.findIndex((s) => s[1] === route && s[0] === method) + 1);
    }
    const lines = (await readAudit()).slice(before);
    expect(lines.map((l) => [l.method, l.route, l.caseId, l.status, l.name, l.role, l.action])).toEqual([
      ['GET', '/cases/:caseId/status', cases[2], 200, 'Ann Coordinator', 'coordinator', 'read'],
      ['POST', '/cases/:caseId/notes', cases[2], 200, 'Ann Coordinator', 'coordinator', 'write'],
      ['GET', '/cases/:caseId/timeline', cases[2], 200, 'Ann Coordinator', 'coordinator', 'read'],
      ['POST', '/cases/:caseId/amend-reapply', cases[2], 409, 'Ann Coordinator', 'coordinator', 'write'],
      ['GET', '/cases/:caseId/status', 'case-99999999999', 404, 'Ann Coordinator', 'coordinator', 'read'],
    ]);
    for (const l of lines) expect(l).toMatchObject({ subject: expect.stringMatching(/\|/), units: ['unit-a'] });
    // No tip content: the suspect's identifiers never reach the log.
    expect(await e.auditText()).not.toMatch(/nightowl|198\.51\.100|user-88/);

    // Export by date range: the auditor gets these lines; a manager of another unit none of them.
    const exported = await e.http('GET', `/audit?from=${encodeURIComponent(from)}`, { token: auditor });
    expect(exported.headers.get('content-type')).toMatch(/^application\/x-ndjson/);
    const got = exported.text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as AuditLine);
    expect(got.slice(0, lines.length)).toEqual(lines);
    const otherManager = await e.person('Other Manager', ['manager'], ['unit-z']);
    const theirs = await e.http('GET', `/audit?from=${encodeURIComponent(from)}`, { token: otherManager });
    expect(theirs.text.split('\n').filter((l) => l && (JSON.parse(l) as AuditLine).caseUnit === 'unit-a')).toEqual([]);
    expect((await e.http('GET', '/audit?from=yesterday', { token: auditor })).status).toBe(400);

    const text = (await e.auditText()).trimEnd().split('\n');
    // The chain as stored, checked by the same verifier whichever store holds it.
    const stored = path.join(e.dataDir, 'stored.ndjson');
    fs.writeFileSync(stored, text.join('\n') + '\n');
    expect(await verifyAuditFile(stored)).toMatchObject({ ok: true });
    const copy = (name: string, edit: (l: string[]) => string[]) => {
      const f = path.join(e.dataDir, `${name}.ndjson`);
      fs.writeFileSync(f, edit([...text]).join('\n') + '\n');
      return f;
    };
    const changed = copy('changed', (l) => ((l[2] = l[2].replace('"status":200', '"status":403')), l));
    const removed = copy('removed', (l) => (l.splice(1, 1), l));
    const moved = copy('moved', (l) => ([l[1], l[2]] = [l[2], l[1]]) && l);
    expect(await verifyAuditFile(changed)).toMatchObject({ ok: false, line: 3, problem: expect.stringContaining('changed') });
    expect(await verifyAuditFile(removed)).toMatchObject({ ok: false, line: 2 });
    expect(await verifyAuditFile(moved)).toMatchObject({ ok: false, line: 2 });
    const cli = await runCli(['audit', 'verify', '--file', changed], { ...process.env, CASEBRIDGE_LOG_LEVEL: 'warn' });
    expect(cli).toEqual({ code: 1, stdout: '', stderr: `casebridge: ${changed}: line 3: its content does not match its hash (the line was changed)\n` });
    // The operator's command verifies the API's own store: its file, or its PostgreSQL database.
    const ok = await runCli(['audit', 'verify'], {
      ...process.env,
      CASEBRIDGE_DATA_DIR: e.dataDir,
      ...(e.storeUrl ? { CASEBRIDGE_STORE_URL: e.storeUrl } : {}),
    });
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(
      e.storeUrl
        ? /^audit log in PostgreSQL: \d+ lines, chain intact; head \d+ [0-9a-f]{64}\n$/
        : /^audit\.ndjson: \d+ lines, chain intact; head \d+ [0-9a-f]{64}\n$/,
    );
  });
});

/**
 * `make demo` end to end (scripts/demo.sh on its own data dir and ports): the embedded server, the
 * worker and the API start; the demo's people are added and log in; every step they take goes
 * through the CLI and so the API as them, and succeeds; every case ends as its scenario says; every
 * one of those reads and writes is in the audit log, whose chain verifies.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { auditFile, verifyAuditFile, type AuditLine } from '../../platform/store';
import { freePort } from '../harness/ports';
import { SCENARIOS } from '../../client/demo';

const ROOT = path.resolve(__dirname, '..', '..');

describe('make demo (scripts/demo.sh), through the API', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'casebridge-demo-'));
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('plays every step as a logged-in person through the API, each succeeding and audited', async () => {
    const env = {
      ...process.env,
      CASEBRIDGE_DATA_DIR: dataDir,
      CASEBRIDGE_DEV_SERVER_PORT: String(await freePort()),
      CASEBRIDGE_UI_PORT: '0',
      // 0: the API takes a free port as it starts (api/main.ts). A port chosen here was taken by another
      // process in CI during the 20 s before the demo's API listened (EADDRINUSE).
      CASEBRIDGE_API_PORT: '0',
    };
    const { code, out } = await new Promise<{ code: number | null; out: string }>((resolve) => {
      const child = spawn('bash', [path.join(ROOT, 'scripts', 'demo.sh')], { env, cwd: ROOT });
      let o = '';
      child.stdout.on('data', (d) => (o += String(d)));
      child.stderr.on('data', (d) => (o += String(d)));
      child.on('exit', (c) => resolve({ code: c, out: o }));
    });
    // The output's tail in the message when the demo fails, so a CI log says which step.
    if (code !== 0) throw new Error(`demo exited ${code}:\n${out.slice(-3000)}`);
    // The US agency's run, then the UK force's (its own deployment, data dir and audit log).
    const [us, uk] = out.split("== A UK force's deployment");
    expect(uk).toBeDefined();
    expect(us).toMatch(/^CaseBridge is up: API at http:\/\/127\.0\.0\.1:\d+ /m);

    const steps = us.split('\n').filter((l) => /^(operator|coordinator|analyst|liaison|manager)\$ casebridge /.test(l));
    const by = (who: string, command: string) => steps.filter((l) => l.startsWith(`${who}$ casebridge ${command}`)).length;
    // Each person logged in; coordinators, the analyst and liaisons acted, the manager confirmed a danger and read the views, the operator verified the log.
    for (const who of ['operator', 'coordinator', 'analyst', 'liaison', 'manager']) expect([who, by(who, 'login')]).toEqual([who, 1]);
    expect(by('coordinator', 'case start')).toBe(1);
    expect(by('liaison', 'respond')).toBeGreaterThanOrEqual(8);
    expect(by('coordinator', 'case resolve-jurisdiction') + by('coordinator', 'case amend-reapply') + by('coordinator', 'case withdraw')).toBe(3);
    expect(['cases', 'stalled', 'deadlines', 'case assess-danger'].map((c) => by('manager', c))).toEqual([1, 1, 1, 1]);
    // Before the warrant: a child identified by the analyst, reported and safeguarded by the coordinator, a § 2703(d) order.
    expect(by('analyst', 'respond')).toBe(1);
    expect(by('coordinator', 'respond')).toBe(2);
    expect(by('coordinator', 'case request-records-order')).toBe(1);
    expect(by('coordinator', 'case close-while-safeguarding')).toBe(2);
    // People's commands name nobody and no role: who acts is the login (only the operator's `users add` gives roles).
    expect(steps.filter((l) => !l.includes('casebridge users add') && /--actor|--role /.test(l))).toEqual([]);
    // After the arrest: every arrested or extradited case appeared, was decided federal and indicted.
    const toIndictment = SCENARIOS.filter((x) => x.expect === 'INDICTED').length;
    expect(toIndictment).toBeGreaterThanOrEqual(8);
    expect([by('coordinator', 'case court-event'), by('coordinator', 'case decide-prosecution')]).toEqual([2 * toIndictment, toIndictment]);
    expect(us).toMatch(/ INDICTED +indicted \(IND-DEMO\)/);
    expect(us).toMatch(/ TRANSFERRED +/);
    expect(us).toMatch(/ WITHDRAWN +merged/);

    // The UK: the NCA's referral disseminated; at the force, an overseas production order answered, the premises searched, the suspect charged on the CPS's decision.
    const ukSteps = uk.split('\n').filter((l) => /^(operator|coordinator|analyst|liaison|manager)\$ casebridge /.test(l));
    expect(ukSteps.filter((l) => l.startsWith('liaison$ casebridge respond') && l.includes('cloud-act-order-1'))).toHaveLength(1);
    expect(ukSteps.filter((l) => l.startsWith('coordinator$ casebridge case charging-decision'))).toHaveLength(1);
    // The NCA's referrals bureau opened the referral; its analyst disseminated it to the force, whose case the rest was.
    expect(ukSteps.filter((l) => l.startsWith('coordinator$ casebridge case start') && l.includes('--unit nca-referrals'))).toHaveLength(1);
    expect(ukSteps.filter((l) => l.startsWith('analyst$ casebridge case disseminate') && l.includes('--unit demo-unit'))).toHaveLength(1);
    // The child the bureau reported at risk: its track handed over, answered through the force's case by its whole id, to a child protection plan.
    const handedOver = /^(analyst|coordinator)\$ casebridge respond (case-\d+-force) --request (case-\d+)\/safeguarding-1 /;
    const answers = ukSteps.map((l) => handedOver.exec(l)).filter((m): m is RegExpExecArray => m !== null && m[2] === `${m[3]}-force`);
    expect(answers.map((m) => m[1])).toEqual(['analyst', 'coordinator', 'coordinator', 'coordinator']);
    expect(uk).toMatch(/ DISSEMINATED +/);
    expect(uk).toMatch(/ CHARGED +/);
    expect(uk).toMatch(/overseas production order \(the Crime \(Overseas Production Orders\) Act 2019/);
    expect(uk).toMatch(/laid before a justice of the peace \(Police and Criminal Evidence Act 1984 s\.8\)/);
    const ukAudit = auditFile(path.join(dataDir, 'uk-force'));
    expect(await verifyAuditFile(ukAudit)).toMatchObject({ ok: true });
    expect(
      fs
        .readFileSync(ukAudit, 'utf8')
        .split('\n')
        .filter((l) => l)
        .map((l) => JSON.parse(l) as AuditLine)
        .filter((l) => l.status >= 400),
    ).toEqual([]);

    // Every step that reached a case is in the audit log, as the person who took it, and succeeded.
    const lines = fs
      .readFileSync(auditFile(dataDir), 'utf8')
      .split('\n')
      .filter((l) => l)
      .map((l) => JSON.parse(l) as AuditLine);
    const writes = lines.filter((l) => l.action === 'write');
    expect(writes.filter((l) => l.route.endsWith('/responses') && l.role === 'liaison').map((l) => [l.name, l.status])).toEqual(
      Array(by('liaison', 'respond')).fill(['Lee Liaison', 200]),
    );
    expect(writes.filter((l) => l.route.endsWith('/responses') && l.role !== 'liaison').map((l) => [l.name, l.role, l.status])).toEqual([
      ['Nia Analyst', 'analyst', 200],
      ['Dana Coordinator', 'coordinator', 200],
      ['Dana Coordinator', 'coordinator', 200],
    ]);
    expect(writes.filter((l) => l.route === '/cases').map((l) => [l.name, l.caseIds?.length])).toEqual([['Dana Coordinator', 13]]);
    expect(lines.filter((l) => l.status >= 400)).toEqual([]);
    expect(lines.filter((l) => ['/cases', '/views/stalled', '/views/deadlines'].includes(l.route) && l.action === 'read').map((l) => l.name)).toEqual(
      Array(3).fill('Max Manager'),
    );
    expect(await verifyAuditFile(auditFile(dataDir))).toMatchObject({ ok: true, lines: lines.length });
  }, 900_000);
});

/**
 * The door, over real HTTP (the API process, a dev server, a real worker): every route × every role
 * → the exact status, and every route × each credential fault → 401 (a token for another unit → 404
 * on a case, as for an unknown case); after all of it the case's status, timeline and history are
 * unchanged.
 */
import { temporal } from '@temporalio/proto';
import { INPUT_RULES, type CaseInputName } from '../../workflows/access';
import { PERSON_ROLES, type PersonRole } from '../../workflows/vocabulary';
import { sampleTip } from '../cli/cli-process';
import { waitFor } from '../harness/wait';
import { startApiEnv, type ApiEnv, type HttpAnswer } from './api-env';
import { FAULTS, forge, type Fault } from './tokens';

interface Route {
  name: string;
  method: 'GET' | 'POST';
  path: (caseId: string) => string;
  body?: unknown;
  raw?: (caseId: string) => string;
  /** Who may: a case input's roles (workflows/access.ts), or the API's own rule. */
  input?: CaseInputName;
  roles?: readonly PersonRole[];
  /** The status an allowed role gets on a closed case. */
  allowed: number;
  onCase: boolean;
}

const CASE_ROLES: readonly PersonRole[] = ['coordinator', 'liaison', 'manager', 'analyst'];
const report = (n: number) => `${String(Date.now()).slice(-7)}${n}`;

describe('API access: roles, credentials, units (real HTTP)', () => {
  let e: ApiEnv;
  const tokens = {} as Record<PersonRole, string>;
  let otherUnit: string;
  let openCase: string;
  let closedCase: string;
  let openTip: Record<string, unknown>;

  const routes: Route[] = [
    { name: 'status', method: 'GET', path: (id) => `/cases/${id}/status`, roles: CASE_ROLES, allowed: 200, onCase: true },
    { name: 'timeline', method: 'GET', path: (id) => `/cases/${id}/timeline`, roles: CASE_ROLES, allowed: 200, onCase: true },
    {
      name: 'resolve-jurisdiction',
      method: 'POST',
      path: (id) => `/cases/${id}/resolve-jurisdiction`,
      body: { suspectCountry: 'US' },
      input: 'resolveJurisdiction',
      allowed: 409,
      onCase: true,
    },
    { name: 'notes', method: 'POST', path: (id) => `/cases/${id}/notes`, body: { text: 'a note' }, input: 'addNote', allowed: 409, onCase: true },
    { name: 'withdraw', method: 'POST', path: (id) => `/cases/${id}/withdraw`, body: { reason: 'r' }, input: 'withdraw', allowed: 409, onCase: true },
    {
      name: 'amend-reapply',
      method: 'POST',
      path: (id) => `/cases/${id}/amend-reapply`,
      body: { amendment: 'a' },
      input: 'amendAndReapply',
      allowed: 409,
      onCase: true,
    },
    { name: 'retry', method: 'POST', path: (id) => `/cases/${id}/retry`, body: {}, input: 'retryStep', allowed: 409, onCase: true },
    { name: 'close', method: 'POST', path: (id) => `/cases/${id}/close`, body: { reason: 'r' }, input: 'closeCase', allowed: 409, onCase: true },
    {
      name: 'disseminate',
      method: 'POST',
      path: (id) => `/cases/${id}/disseminate`,
      body: { unit: 'force-b', reason: 'r' },
      input: 'disseminate',
      allowed: 409,
      onCase: true,
    },
    {
      name: 'respond',
      method: 'POST',
      path: (id) => `/cases/${id}/requests/foreign-evidence-1/responses`,
      body: { outcome: 'acknowledged', reference: 'R-1' },
      input: 'respond',
      allowed: 409,
      onCase: true,
    },
    { name: 'start', method: 'POST', path: () => '/cases', raw: () => JSON.stringify(openTip), roles: ['coordinator'], allowed: 200, onCase: false },
    { name: 'cases', method: 'GET', path: () => '/cases', roles: ['manager'], allowed: 200, onCase: false },
    { name: 'stalled', method: 'GET', path: () => '/views/stalled?idle=1s', roles: ['manager'], allowed: 200, onCase: false },
    { name: 'deadlines', method: 'GET', path: () => '/views/deadlines?within=30d', roles: ['manager'], allowed: 200, onCase: false },
    { name: 'audit', method: 'GET', path: () => '/audit', roles: ['manager', 'auditor'], allowed: 200, onCase: false },
    { name: 'metrics', method: 'GET', path: () => '/metrics', roles: ['operator'], allowed: 200, onCase: false },
    { name: 'whoami', method: 'GET', path: () => '/whoami', roles: PERSON_ROLES, allowed: 200, onCase: false },
  ];
  const mayAct = (r: Route, role: PersonRole) => (r.input ? (INPUT_RULES[r.input].roles as readonly string[]).includes(role) : r.roles!.includes(role));
  const call = (r: Route, caseId: string, token: string | undefined): Promise<HttpAnswer> =>
    e.http(r.method, r.path(caseId), { ...(token ? { token } : {}), ...(r.raw ? { raw: r.raw(caseId) } : r.body !== undefined ? { body: r.body } : {}) });

  /** What Temporal holds for the case: status, timeline, and the inputs in its history. */
  const snapshot = async (caseId: string) => {
    const h = e.env.client.workflow.getHandle(caseId);
    const { EventType } = temporal.api.enums.v1;
    const events = (await h.fetchHistory()).events ?? [];
    return {
      status: await h.query('status'),
      timeline: await h.query('timeline'),
      updates: events.filter((x) => x.eventType === EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED).length,
    };
  };

  beforeAll(async () => {
    e = await startApiEnv({ taskQueue: 'api-access' });
    for (const role of PERSON_ROLES) tokens[role] = await e.person(`${role} of A`, [role], ['unit-a']);
    otherUnit = await e.person('all roles of B', [...CASE_ROLES], ['unit-b']);
    openTip = sampleTip('jurisdiction-unresolved', report(1));
    const started = await e.http('POST', '/cases', { token: tokens.coordinator, raw: JSON.stringify([openTip, sampleTip('no-action-viral', report(2))]) });
    expect(started.status).toBe(200);
    [openCase, closedCase] = started.body.results.map((x: { caseId: string }) => x.caseId);
    await waitFor(async () => ((await e.env.client.workflow.getHandle(closedCase).describe()).status.name === 'COMPLETED' ? true : undefined), 60_000);
    await waitFor(async () => {
      const s = await e.env.client.workflow.getHandle(openCase).query<{ stage: string; preservation: { state: string } | null }>('status');
      return s.stage === 'JURISDICTION' && s.preservation?.state === 'PRESERVED' ? true : undefined;
    }, 60_000);
  });
  afterAll(async () => e?.teardown());

  it('answers every route for every role with the exact status (inputs on a closed case: 409 for a role that may, 403 for one that may not)', async () => {
    const got: Record<string, Record<string, number>> = {};
    const want: Record<string, Record<string, number>> = {};
    for (const r of routes) {
      got[r.name] = {};
      want[r.name] = {};
      for (const role of PERSON_ROLES) {
        const a = await call(r, closedCase, tokens[role]);
        got[r.name][role] = a.status;
        want[r.name][role] = mayAct(r, role) ? r.allowed : 403;
        if (a.status >= 400) expect(a.headers.get('content-type')).toMatch(/^application\/problem\+json/);
        if (a.status === 403) expect(a.body.detail).toMatch(/^role: /);
      }
    }
    expect(got).toEqual(want);
    // A refusal names the role rule from workflows/access.ts.
    const refused = await e.http('POST', `/cases/${closedCase}/resolve-jurisdiction`, { token: tokens.liaison, body: { suspectCountry: 'US' } });
    expect(refused.body).toMatchObject({ status: 403, detail: 'role: a coordinator or a manager resolves jurisdiction' });
    const closed = await e.http('POST', `/cases/${closedCase}/notes`, { token: tokens.analyst, body: { text: 'late' } });
    expect(closed.body).toMatchObject({ status: 409, detail: `case ${closedCase} is closed (NO_ACTION) and accepts no more input` });
  });

  it('refuses every credential fault on every route with 401, and a token for another unit with 404 as for an unknown case; nothing changes', async () => {
    const before = await snapshot(openCase);
    const issuer = e.api.url;
    const forged: Record<Fault, string | undefined> = { none: undefined } as Record<Fault, string | undefined>;
    for (const f of FAULTS)
      if (f !== 'none')
        forged[f] = await forge(await e.signingKey(), f, { issuer, name: 'Mallory', roles: [...CASE_ROLES, 'operator', 'auditor'], units: ['unit-a'] });

    const got: Record<string, Record<string, number>> = {};
    const want: Record<string, Record<string, number>> = {};
    for (const r of routes) {
      got[r.name] = {};
      want[r.name] = {};
      for (const f of FAULTS) {
        const a = await call(r, openCase, forged[f]);
        got[r.name][f] = a.status;
        want[r.name][f] = 401;
        expect([r.name, f, a.headers.get('www-authenticate')]).toEqual([r.name, f, expect.stringMatching(/^Bearer realm="casebridge"/)]);
        expect(a.body).toMatchObject({ type: expect.stringContaining('unauthenticated'), status: 401 });
      }
    }
    expect(got).toEqual(want);
    // Each refusal says which fault, without echoing the token.
    const why: Record<Exclude<Fault, 'none'>, RegExp> = {
      expired: /has expired/,
      'not yet valid': /not valid yet/,
      'wrong issuer': /issuer this API does not trust/,
      'wrong audience': /another audience/,
      'bad signature': /signature does not verify/,
      'alg none': /algorithm this API does not accept|not a valid signed token/,
      'HS256 with the public key': /algorithm this API does not accept/,
    };
    for (const [f, re] of Object.entries(why)) {
      const a = await e.http('GET', `/cases/${openCase}/status`, { token: forged[f as Fault] });
      expect([f, a.body.detail]).toEqual([f, expect.stringMatching(re)]);
    }
    expect((await e.http('GET', `/cases/${openCase}/status`)).body.detail).toMatch(/^no credential/);

    // Another unit's person, with every case role: each case route answers exactly as for an unknown case.
    const unknown = 'case-99999999999';
    for (const r of routes.filter((x) => x.onCase)) {
      const theirs = await call(r, openCase, otherUnit);
      const none = await call(r, unknown, otherUnit);
      expect([r.name, theirs.status]).toEqual([r.name, 404]);
      expect({ ...theirs.body, detail: theirs.body.detail.replace(openCase, 'X'), caseId: 'X' }).toEqual({
        ...none.body,
        detail: none.body.detail.replace(unknown, 'X'),
        caseId: 'X',
      });
    }
    // Their managers' views hold none of unit A's cases.
    for (const path of ['/cases', '/views/stalled?idle=1s', '/views/deadlines?within=30d']) {
      const a = await e.http('GET', path, { token: otherUnit });
      expect(a.status).toBe(200);
      expect(a.body.cases.map((c: { caseId: string }) => c.caseId)).not.toEqual(expect.arrayContaining([openCase]));
      expect(a.body.cases.filter((c: { caseId: string }) => c.caseId === openCase || c.caseId === closedCase)).toEqual([]);
    }
    const mine = await e.http('GET', '/cases', { token: tokens.manager });
    expect(mine.body.cases.map((c: { caseId: string }) => c.caseId)).toEqual(expect.arrayContaining([openCase, closedCase]));

    expect(await snapshot(openCase)).toEqual(before);
  });

  it('lets a person holding several roles choose one with CaseBridge-Role, checked against the credential', async () => {
    const both = await e.person('coordinator and manager of A', ['coordinator', 'manager'], ['unit-a']);
    const asManager = await e.http('GET', '/cases', { token: both, headers: { 'casebridge-role': 'manager' } });
    expect(asManager.status).toBe(200);
    const notHeld = await e.http('GET', `/cases/${closedCase}/status`, { token: both, headers: { 'casebridge-role': 'liaison' } });
    expect(notHeld.body).toMatchObject({ status: 403, detail: 'role: your credential does not carry the role liaison' });
    const mayNot = await e.http('POST', `/cases/${closedCase}/amend-reapply`, {
      token: both,
      body: { amendment: 'a' },
      headers: { 'casebridge-role': 'manager' },
    });
    expect(mayNot.body).toMatchObject({ status: 403, detail: 'role: only a coordinator amends and reapplies for a warrant' });
  });
});

/**
 * A real OIDC flow: a test identity provider as its own process (test/api/idp.mjs: discovery, JWKS,
 * a token endpoint), the API configured for it (issuer, audience, RS256, Keycloak-style claim paths),
 * people who get their tokens from the provider over HTTP and act through the API. The API finds the
 * keys through the provider's discovery document; the local issuer is off.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { sampleTip } from '../cli/cli-process';
import { waitFor } from '../harness/wait';
import { request, startApiEnv, type ApiEnv } from './api-env';

const PEOPLE = {
  ann: { name: 'Ann Okafor', roles: ['coordinator', 'offline_access'], units: ['icac-ohio'], password: 'ann-secret-1' },
  max: { name: 'Max Weber', roles: ['manager'], units: ['icac-ohio'], password: 'max-secret-1' },
};

async function startIdp(): Promise<{ url: string; child: ChildProcess; stop: () => Promise<void> }> {
  const child = spawn(process.execPath, [path.join(__dirname, 'idp.mjs')], {
    env: { ...process.env, IDP_PEOPLE: JSON.stringify(PEOPLE) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d) => (out += String(d)));
  child.stderr.on('data', (d) => (out += String(d)));
  const url = await waitFor(async () => /IDP at (\S+)/.exec(out)?.[1], 30_000, 100).catch((err: unknown) => {
    throw new Error(`${String(err)}: ${out}`);
  });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  return { url, child, stop: async () => (child.kill('SIGTERM'), await exited) };
}

async function tokenFrom(idp: string, username: string, password: string): Promise<{ status: number; token?: string }> {
  const res = await fetch(`${idp}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'password', username, password, client_id: 'casebridge-cli', scope: 'openid' }).toString(),
  });
  const body = (await res.json()) as { access_token?: string };
  return { status: res.status, token: body.access_token };
}

describe('OIDC: tokens from an identity provider process (real HTTP, discovery, JWKS)', () => {
  let idp: Awaited<ReturnType<typeof startIdp>>;
  let stranger: Awaited<ReturnType<typeof startIdp>>;
  let e: ApiEnv;

  beforeAll(async () => {
    idp = await startIdp();
    stranger = await startIdp();
    e = await startApiEnv({
      taskQueue: 'api-oidc',
      settings: {
        CASEBRIDGE_OIDC_ISSUER: idp.url,
        CASEBRIDGE_OIDC_AUDIENCE: 'casebridge',
        CASEBRIDGE_OIDC_ALGORITHMS: 'RS256',
        CASEBRIDGE_OIDC_ROLES_CLAIM: 'realm_access.roles',
        CASEBRIDGE_OIDC_UNITS_CLAIM: 'agency_units',
        CASEBRIDGE_OIDC_NAME_CLAIM: 'preferred_username',
      },
    });
  });
  afterAll(async () => {
    await e?.teardown();
    await idp?.stop();
    await stranger?.stop();
  });

  it('lets people the provider vouches for act in their roles and units, named as the provider names them', async () => {
    const ann = await tokenFrom(idp.url, 'ann', PEOPLE.ann.password);
    expect(ann.status).toBe(200);
    const me = await e.http('GET', '/whoami', { token: ann.token });
    // Roles CaseBridge does not know (offline_access) are dropped.
    expect(me.body).toEqual({ id: `${idp.url}|idp-ann`, name: 'Ann Okafor', roles: ['coordinator'], units: ['icac-ohio'] });

    const report = `${String(Date.now()).slice(-7)}7`;
    const started = await e.http('POST', '/cases', { token: ann.token, raw: JSON.stringify(sampleTip('jurisdiction-unresolved', report)) });
    expect(started.body.results).toEqual([{ position: 1, line: 1, caseId: `case-${report}`, status: 'started' }]);
    const caseId = `case-${report}`;
    await waitFor(
      async () => ((await e.http('GET', `/cases/${caseId}/status`, { token: ann.token })).body.stage === 'JURISDICTION' ? true : undefined),
      60_000,
    );
    const noted = await e.http('POST', `/cases/${caseId}/notes`, { token: ann.token, body: { text: 'spoke to the provider' } });
    expect(noted.status).toBe(200);
    const timeline = (await e.http('GET', `/cases/${caseId}/timeline`, { token: ann.token })).body as { kind: string; actor: string; role: string }[];
    expect(timeline.filter((x) => x.kind === 'note')).toEqual([
      expect.objectContaining({ actor: 'Ann Okafor', role: 'coordinator', detail: 'spoke to the provider' }),
    ]);

    const max = await tokenFrom(idp.url, 'max', PEOPLE.max.password);
    const view = await e.http('GET', '/cases', { token: max.token });
    expect(view.body.cases.map((c: { caseId: string }) => c.caseId)).toContain(caseId);
    expect((await e.http('POST', `/cases/${caseId}/notes`, { token: max.token, body: { text: 'x' } })).status).toBe(200);
    expect((await e.http('POST', `/cases/${caseId}/amend-reapply`, { token: max.token, body: { amendment: 'x' } })).body).toMatchObject({
      status: 403,
      detail: 'role: only a coordinator amends and reapplies for a warrant',
    });
  });

  it('refuses a token from another provider, a wrong password gets no token, and the local issuer is off', async () => {
    expect((await tokenFrom(idp.url, 'ann', 'wrong')).status).toBe(401);
    const foreign = await tokenFrom(stranger.url, 'ann', PEOPLE.ann.password);
    expect(foreign.status).toBe(200);
    const refused = await e.http('GET', '/whoami', { token: foreign.token });
    // Its key is not in our provider's JWKS (checked before the issuer claim).
    expect(refused.body).toMatchObject({ status: 401, detail: 'the credential is signed with a key the issuer does not publish' });
    // No local token endpoint or key set: without a credential that is a 401 like any route (nothing to enumerate), with one a 404.
    expect((await request(e.api.url, 'POST', '/auth/token', { body: { name: 'ann', password: 'x' } })).status).toBe(401);
    const ann = (await tokenFrom(idp.url, 'ann', PEOPLE.ann.password)).token;
    expect((await request(e.api.url, 'POST', '/auth/token', { token: ann, body: { name: 'ann', password: 'x' } })).status).toBe(404);
    expect((await request(e.api.url, 'GET', '/.well-known/jwks.json', { token: ann })).status).toBe(404);
  });
});

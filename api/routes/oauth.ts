/**
 * The local issuer's OpenID Connect endpoints for the web app (embedded default only): the
 * authorization endpoint with its plain login page (no script, nothing from elsewhere), and the
 * form-encoded token endpoint that answers a code with tokens. Registered in a scope of its own:
 * these take application/x-www-form-urlencoded bodies, as OAuth 2.0 says, where the rest of the API
 * takes JSON.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { html, pageHeaders, type Html } from '../../platform/html';
import { OAuthError, type AuthorizationAsk, type LocalIssuer } from '../local-issuer';
import type { ApiContext } from '../server';
import { loginRateLimit } from './identity';

const LOGIN_CSS = `body{font-family:"DejaVu Sans",system-ui,sans-serif;margin:0;background:#f4f5f7;color:#16191f}
main{max-width:24rem;margin:4rem auto;background:#fff;padding:2rem;border:1px solid #c9ccd1;border-radius:6px}
h1{font-size:1.4rem;margin-top:0}label{display:block;margin:1rem 0 .3rem;font-weight:bold}
input{width:100%;box-sizing:border-box;padding:.5rem;font-size:1rem;border:1px solid #6b7280;border-radius:4px}
button{margin-top:1.5rem;padding:.6rem 1.2rem;font-size:1rem;background:#1d4ed8;color:#fff;border:0;border-radius:4px;cursor:pointer}
button:focus,input:focus{outline:3px solid #f59e0b;outline-offset:1px}.error{color:#9b1c1c;font-weight:bold}`;

type Form = Record<string, string | undefined>;

function formBody(body: unknown): Form {
  return body !== null && typeof body === 'object' ? (body as Form) : {};
}

function loginPage(ask: AuthorizationAsk, error?: string, name = ''): Html {
  const hidden = (n: string, v: string | undefined) => (v === undefined ? '' : html`<input type="hidden" name="${n}" value="${v}" />`);
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width,initial-scale=1" />
        <title>Sign in · CaseBridge</title>
        <link rel="stylesheet" href="/oauth/login.css" />
      </head>
      <body>
        <main>
          <h1>Sign in to CaseBridge</h1>
          ${error ? html`<p class="error" role="alert" id="login-error">${error}</p>` : ''}
          <form method="post" action="/oauth/authorize">
            ${hidden('client_id', ask.clientId)}${hidden('redirect_uri', ask.redirectUri)}${hidden('state', ask.state)}${hidden('code_challenge', ask.codeChallenge)}${hidden('nonce', ask.nonce)}
            <input type="hidden" name="response_type" value="code" /><input type="hidden" name="scope" value="openid" /><input
              type="hidden"
              name="code_challenge_method"
              value="S256"
            />
            <label for="name">Name</label
            ><input id="name" name="name" autocomplete="username" required value="${name}" ${error ? html` aria-describedby="login-error"` : ''} />
            <label for="password">Password</label><input id="password" name="password" type="password" autocomplete="current-password" required />
            <button type="submit">Sign in</button>
          </form>
        </main>
      </body>
    </html>`;
}

/** The login form posts here and is redirected to the client: form-action must allow that redirect's origin. */
function loginCsp(ask: AuthorizationAsk): Record<string, string> {
  const h = pageHeaders();
  h['content-security-policy'] = h['content-security-policy'].replace("form-action 'self'", `form-action 'self' ${new URL(ask.redirectUri).origin}`);
  return h;
}

function sendPage(reply: FastifyReply, status: number, page: Html, headers = pageHeaders()) {
  return reply.code(status).headers(headers).type('text/html; charset=utf-8').send(page.text);
}

function refuse(reply: FastifyReply, description: string) {
  return sendPage(
    reply,
    400,
    html`<!doctype html>
      <html lang="en">
        <head>
          <meta charset="utf-8" />
          <title>Sign-in refused · CaseBridge</title>
          <link rel="stylesheet" href="/oauth/login.css" />
        </head>
        <body>
          <main>
            <h1>This sign-in request cannot be served</h1>
            <p>${description}</p>
          </main>
        </body>
      </html>`,
  );
}

function redirectWith(reply: FastifyReply, issuer: LocalIssuer, redirectUri: string, params: Record<string, string>) {
  const to = new URL(redirectUri);
  for (const [k, v] of Object.entries({ ...params, iss: issuer.issuer })) to.searchParams.set(k, v);
  return reply.code(303).header('cache-control', 'no-store').redirect(to.toString(), 303);
}

export async function registerOAuthRoutes(app: FastifyInstance, ctx: ApiContext): Promise<void> {
  const issuer = ctx.localIssuer;
  if (!issuer) return;
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 64 * 1024 }, (_req, body, done) =>
    done(null, Object.fromEntries(new URLSearchParams(String(body)))),
  );
  const hide = { schema: { hide: true } };

  app.get('/oauth/login.css', { config: { auth: false }, ...hide }, async (_req, reply) =>
    reply.type('text/css; charset=utf-8').header('cache-control', 'public, max-age=3600').send(LOGIN_CSS),
  );

  app.get('/oauth/authorize', { config: { auth: false }, ...hide }, async (req: FastifyRequest, reply) => {
    const checked = issuer.checkAsk(req.query as Form);
    if (!checked.ok) {
      const q = req.query as Form;
      if (checked.redirect && q.redirect_uri)
        return redirectWith(reply, issuer, q.redirect_uri, { error: checked.error, error_description: checked.description, state: q.state ?? '' });
      return refuse(reply, checked.description);
    }
    return sendPage(reply, 200, loginPage(checked.ask), loginCsp(checked.ask));
  });

  app.post(
    '/oauth/authorize',
    {
      config: {
        auth: false,
        audit: 'login',
        rateLimit: loginRateLimit(ctx, (req) => formBody(req.body).name ?? ''),
      },
      ...hide,
    },
    async (req, reply) => {
      const form = formBody(req.body);
      const checked = issuer.checkAsk(form);
      if (!checked.ok) return refuse(reply, checked.description);
      const user = await issuer.check(form.name ?? '', form.password ?? '');
      if (!user) return sendPage(reply.code(401), 401, loginPage(checked.ask, 'Unknown name or wrong password.', form.name ?? ''), loginCsp(checked.ask));
      Object.assign(req.auditNote, { subject: `${issuer.issuer}|${user.subject}`, name: user.name, units: user.units });
      return redirectWith(reply, issuer, checked.ask.redirectUri, { code: issuer.issueCode(checked.ask, user), state: checked.ask.state });
    },
  );

  app.post('/oauth/token', { config: { auth: false }, ...hide }, async (req, reply) => {
    try {
      const tokens = await issuer.redeem(formBody(req.body));
      return reply.header('cache-control', 'no-store').header('pragma', 'no-cache').send(tokens);
    } catch (err) {
      if (!(err instanceof OAuthError)) throw err;
      return reply
        .code(err.error === 'invalid_client' ? 401 : 400)
        .header('cache-control', 'no-store')
        .send({ error: err.error, error_description: err.description });
    }
  });
}

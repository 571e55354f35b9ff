/**
 * The local issuer's endpoints (embedded default only): the token endpoint behind `casebridge login`,
 * its JWKS and OpenID discovery document; and `/whoami`, what the API reads from your credential.
 */
import { ProblemSchema, problem } from '../problems';
import { LoginBody, TokenSchema, WhoAmISchema } from '../schemas';
import type { ApiContext, ZodApp } from '../server';
import type { FastifyRequest } from 'fastify';

export function registerIdentityRoutes(app: ZodApp, ctx: ApiContext): void {
  app.get(
    '/whoami',
    {
      schema: { summary: 'the person your credential names: id, name, roles, units', tags: ['identity'], response: { 200: WhoAmISchema, 401: ProblemSchema } },
    },
    async (req) => {
      const p = req.person!;
      return { id: p.id, name: p.name, roles: p.roles, units: p.units };
    },
  );

  const issuer = ctx.localIssuer;
  if (!issuer) return;
  app.get('/.well-known/openid-configuration', { config: { auth: false }, schema: { hide: true } }, async () => issuer.discovery());
  app.get('/.well-known/jwks.json', { config: { auth: false }, schema: { hide: true } }, async () => issuer.jwks());
  app.post(
    '/auth/token',
    {
      config: {
        auth: false,
        audit: 'login',
        rateLimit: loginRateLimit(ctx, (req) => {
          const name = (req.body as { name?: unknown } | undefined)?.name;
          return typeof name === 'string' ? name : '';
        }),
      },
      schema: {
        summary: 'the local issuer’s token endpoint: a name and password for a signed token (8 h)',
        tags: ['identity'],
        security: [],
        body: LoginBody,
        response: { 200: TokenSchema, 401: ProblemSchema, 422: ProblemSchema, 429: ProblemSchema },
      },
    },
    async (req) => {
      const issued = await issuer.login(req.body.name, req.body.password);
      if (!issued) throw problem('unauthenticated', 'unknown name or wrong password');
      const user = (await ctx.store.users.get(issued.name))!;
      Object.assign(req.auditNote, { subject: `${issuer.issuer}|${user.subject}`, name: user.name, units: user.units });
      return { token: issued.token, tokenType: 'Bearer' as const, expiresAt: issued.expiresAt, name: issued.name };
    },
  );
}

/**
 * Every sign-in's rate limit (the token endpoint, the local issuer's login form): per client address
 * and name, so guessing one person's password is slowed wherever it comes from.
 */
export function loginRateLimit(ctx: ApiContext, nameOf: (req: FastifyRequest) => string) {
  return { max: ctx.settings.CASEBRIDGE_LOGIN_RATE_LIMIT, timeWindow: '1 minute', keyGenerator: (req: FastifyRequest) => `login:${req.ip}:${nameOf(req)}` };
}
